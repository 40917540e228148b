//! A model's reply, and the same reply grown by a streamed delta: the safe
//! renderer never panics, never lets markup or a script URL through (its
//! own allowlist check, `only_allowed_markup`), and its shortcut for a
//! grown reply (the HTML patch followers get) is the full render, byte for
//! byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nexa_chat::i18n::Lang;
use nexa_chat::markdown::{extended_html, only_allowed_markup, to_safe_html};

fuzz_target!(|data: &str| {
    // The text before the first NUL is the reply so far; the rest is what
    // the next delta adds.
    let (before, added) = data.split_once('\0').unwrap_or((data, ""));
    let before_html = to_safe_html(before, Lang::En);
    if let Err(found) = only_allowed_markup(&before_html) {
        panic!("{found} in {before_html}");
    }
    let answer = format!("{before}{added}");
    let full = to_safe_html(&answer, Lang::En);
    if let Err(found) = only_allowed_markup(&full) {
        panic!("{found} in {full}");
    }
    if let Some(patched) = extended_html(before, &before_html, &answer) {
        assert_eq!(patched, full, "the streamed patch differs from a full render");
    }
});
