//! A model's reply, and the same reply grown by a streamed delta: the safe
//! renderer never panics, never lets markup or a script URL through, and
//! its shortcut for a grown reply (the HTML patch followers get) is the
//! full render, byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nexa_chat::i18n::Lang;
use nexa_chat::markdown::{extended_html, to_safe_html};

fn check_safe(html: &str) {
    let lower = html.to_ascii_lowercase();
    for forbidden in ["<script", "<iframe", "<img", "<style", "<object", "<svg", " on", "href=\"javascript:", "href=\"data:", "href=\"vbscript:"] {
        if forbidden == " on" {
            // An event handler attribute inside a tag: ` on…=` before `>`.
            for tag in lower.split('<').skip(1) {
                let inside = tag.split('>').next().unwrap_or("");
                let attrs = inside.split_once(' ').map_or("", |(_, rest)| rest);
                let has_handler = attrs
                    .split_whitespace()
                    .any(|attr| attr.starts_with("on") && attr.contains('='));
                assert!(!has_handler, "an event handler in <{inside}>");
            }
            continue;
        }
        assert!(!lower.contains(forbidden), "{forbidden} in {html}");
    }
}

fuzz_target!(|data: &str| {
    // The text before the first NUL is the reply so far; the rest is what
    // the next delta adds.
    let (before, added) = data.split_once('\0').unwrap_or((data, ""));
    let before_html = to_safe_html(before, Lang::En);
    check_safe(&before_html);
    let answer = format!("{before}{added}");
    let full = to_safe_html(&answer, Lang::En);
    check_safe(&full);
    if let Some(patched) = extended_html(before, &before_html, &answer) {
        assert_eq!(patched, full, "the streamed patch differs from a full render");
    }
});
