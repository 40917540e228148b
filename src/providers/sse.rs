//! Server-Sent Events framing, from bytes. Lines are cut at `\n` (with an
//! optional `\r` before it) before any UTF-8 decoding, so a character split
//! across two network reads is only decoded once its line is whole.

/// One event of an SSE stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event:` field, when present.
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The `id:` field, when present.
    pub id: Option<String>,
}

/// Turns the bytes of an SSE stream into events as they arrive.
#[derive(Debug, Default)]
pub struct SseDecoder {
    pending: Vec<u8>,
    event: Option<String>,
    data: Option<String>,
    id: Option<String>,
}

/// Longest line kept while waiting for its end, and longest data of one
/// event: a peer that never ends a line, or sends `data:` lines without
/// the blank line that ends an event, cannot make us buffer without bound.
pub const MAX_EVENT_BYTES: usize = 4 * 1024 * 1024;

/// A line or an event longer than [`MAX_EVENT_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong;

impl SseDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes; returns the events they completed.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<SseEvent>, TooLong> {
        self.pending.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut start = 0;
        while let Some(offset) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let end = start + offset;
            let line = self.pending[start..end]
                .strip_suffix(b"\r")
                .unwrap_or(&self.pending[start..end]);
            let line = String::from_utf8_lossy(line).into_owned();
            if let Some(event) = self.take_line(&line) {
                events.push(event);
            }
            if self
                .data
                .as_ref()
                .is_some_and(|d| d.len() > MAX_EVENT_BYTES)
            {
                return Err(TooLong);
            }
            start = end + 1;
        }
        self.pending.drain(..start);
        if self.pending.len() > MAX_EVENT_BYTES {
            return Err(TooLong);
        }
        Ok(events)
    }

    /// The stream ended: an event whose blank line never came is still
    /// delivered.
    pub fn finish(&mut self) -> Option<SseEvent> {
        if !self.pending.is_empty() {
            let line = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned();
            let line = line.strip_suffix('\r').unwrap_or(&line).to_string();
            if let Some(event) = self.take_line(&line) {
                return Some(event);
            }
        }
        self.take_line("")
    }

    fn take_line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let Some(data) = self.data.take() else {
                self.event = None;
                self.id = None;
                return None;
            };
            return Some(SseEvent {
                event: self.event.take(),
                data,
                id: self.id.take(),
            });
        }
        if line.starts_with(':') {
            return None; // comment or keep-alive
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "event" => self.event = Some(value.to_string()),
            "id" => self.id = Some(value.to_string()),
            _ => {} // retry and unknown fields
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_of(events: &[SseEvent]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    #[test]
    fn events_are_split_on_blank_lines() {
        let mut d = SseDecoder::new();
        let events = d.push(b"data: one\n\ndata: two\r\n\r\ndata: thr").unwrap();
        assert_eq!(data_of(&events), ["one", "two"]);
        let events = d.push(b"ee\n\n").unwrap();
        assert_eq!(data_of(&events), ["three"]);
    }

    #[test]
    fn a_character_split_across_reads_arrives_whole() {
        let text = "data: {\"c\":\"año 🎉\"}\n\n".as_bytes();
        let emoji_start = text.iter().position(|&b| b == 0xF0).unwrap();
        let enye = text.iter().position(|&b| b == 0xC3).unwrap();
        let mut d = SseDecoder::new();
        let mut events = Vec::new();
        for piece in [
            &text[..enye + 1],
            &text[enye + 1..emoji_start + 2],
            &text[emoji_start + 2..],
        ] {
            events.extend(d.push(piece).unwrap());
        }
        assert_eq!(data_of(&events), ["{\"c\":\"año 🎉\"}"]);
    }

    #[test]
    fn comments_and_keep_alives_are_skipped() {
        let mut d = SseDecoder::new();
        let events = d
            .push(b": keep-alive\n\n:\n\nevent: message\nid: 7\ndata: x\n\n")
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data, "x");
        assert_eq!(events[0].event.as_deref(), Some("message"));
        assert_eq!(events[0].id.as_deref(), Some("7"));
    }

    #[test]
    fn several_data_lines_join_with_newlines() {
        let mut d = SseDecoder::new();
        let events = d.push(b"data: a\ndata:b\n\n").unwrap();
        assert_eq!(data_of(&events), ["a\nb"]);
    }

    #[test]
    fn an_event_cut_by_the_end_of_the_stream_is_kept() {
        let mut d = SseDecoder::new();
        assert!(d.push(b"data: last").unwrap().is_empty());
        assert_eq!(d.finish().map(|e| e.data), Some("last".to_string()));
        assert_eq!(d.finish(), None);
    }

    #[test]
    fn a_line_without_end_is_bounded() {
        let mut d = SseDecoder::new();
        assert_eq!(d.push(&vec![b'x'; MAX_EVENT_BYTES + 1]), Err(TooLong));
    }

    #[test]
    fn an_event_whose_data_lines_never_end_it_is_bounded() {
        let mut d = SseDecoder::new();
        let line = format!("data: {}\n", "x".repeat(64 * 1024));
        let mut pushed = 0;
        let refused = loop {
            match d.push(line.as_bytes()) {
                Ok(events) => assert!(events.is_empty()),
                Err(too_long) => break too_long,
            }
            pushed += line.len();
            assert!(
                pushed <= MAX_EVENT_BYTES + line.len(),
                "kept {pushed} bytes"
            );
        };
        assert_eq!(refused, TooLong);
    }
}
