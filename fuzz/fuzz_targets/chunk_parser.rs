//! One SSE `data:` payload from a provider: the chunk parser answers with
//! parts or "not JSON", never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let _ = nexa_chat::providers::chunk::parse_chunk(data);
});
