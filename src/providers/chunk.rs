//! What one streamed chat-completions chunk carries. Providers differ: a
//! role-only first chunk, `{}` or `choices: []` chunks, `content: null`,
//! reasoning under three names, a usage chunk, an error object inside an
//! HTTP 200 stream.

use serde_json::Value;

/// Token counts reported by the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenCounts {
    /// Tokens of the prompt, when given.
    pub prompt_tokens: Option<u32>,
    /// Tokens generated.
    pub completion_tokens: u32,
}

/// The useful parts of one `data:` payload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChunkParts {
    /// Answer text in this chunk (may be empty).
    pub content: String,
    /// Reasoning text in this chunk (may be empty).
    pub reasoning: String,
    /// Usage, in the chunk that reports it.
    pub usage: Option<TokenCounts>,
    /// An error object the provider sent inside the stream (the raw payload,
    /// explained later by [`super::errors::map_failure`]).
    pub error: Option<String>,
    /// `data: [DONE]`: the stream is over.
    pub done: bool,
}

/// A `data:` payload that is neither `[DONE]` nor JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotJson(pub String);

const REASONING_FIELDS: [&str; 3] = ["reasoning_content", "reasoning", "reasoning_text"];

fn text_at<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn token_counts(usage: &Value) -> Option<TokenCounts> {
    let completion = usage.get("completion_tokens")?.as_u64()?;
    Some(TokenCounts {
        prompt_tokens: usage
            .get("prompt_tokens")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok()),
        completion_tokens: u32::try_from(completion).ok()?,
    })
}

/// Reads one `data:` payload of a chat-completions stream.
pub fn parse_chunk(data: &str) -> Result<ChunkParts, NotJson> {
    let data = data.trim();
    if data == "[DONE]" {
        return Ok(ChunkParts {
            done: true,
            ..ChunkParts::default()
        });
    }
    if data.is_empty() {
        return Ok(ChunkParts::default());
    }
    let value: Value = serde_json::from_str(data).map_err(|_| NotJson(data.to_string()))?;
    let mut parts = ChunkParts::default();
    if value.get("error").is_some_and(|e| !e.is_null()) {
        parts.error = Some(data.to_string());
        return Ok(parts);
    }
    if let Some(choice) = value
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
    {
        // `delta` in streams; a few servers send `message` instead.
        let delta = choice
            .get("delta")
            .filter(|d| d.is_object())
            .or_else(|| choice.get("message"))
            .unwrap_or(&Value::Null);
        parts.content = text_at(delta, "content").to_string();
        parts.reasoning = REASONING_FIELDS
            .iter()
            .map(|field| text_at(delta, field))
            .find(|text| !text.is_empty())
            .unwrap_or("")
            .to_string();
    }
    parts.usage = value.get("usage").and_then(token_counts);
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::errors::upstream_message;

    fn parse(data: &str) -> ChunkParts {
        parse_chunk(data).expect("valid chunk")
    }

    #[test]
    fn done_ends_the_stream() {
        assert!(parse("[DONE]").done);
        assert!(parse(" [DONE] ").done);
    }

    #[test]
    fn empty_objects_and_empty_choices_carry_nothing() {
        assert_eq!(parse("{}"), ChunkParts::default());
        assert_eq!(parse(r#"{"choices":[]}"#), ChunkParts::default());
    }

    #[test]
    fn null_or_absent_content_is_no_text() {
        assert_eq!(
            parse(r#"{"choices":[{"delta":{"content":null}}]}"#).content,
            ""
        );
        assert_eq!(parse(r#"{"choices":[{"delta":{}}]}"#).content, "");
        assert_eq!(
            parse(r#"{"choices":[{"finish_reason":"stop"}]}"#).content,
            ""
        );
    }

    #[test]
    fn a_role_only_first_chunk_carries_no_text() {
        let parts = parse(r#"{"choices":[{"index":0,"delta":{"role":"assistant"}}]}"#);
        assert_eq!(parts, ChunkParts::default());
    }

    #[test]
    fn content_deltas_are_read() {
        let parts = parse(r#"{"choices":[{"delta":{"content":"¡Hola"}}]}"#);
        assert_eq!(parts.content, "¡Hola");
    }

    #[test]
    fn reasoning_comes_under_any_of_its_names() {
        for field in REASONING_FIELDS {
            let data = format!(r#"{{"choices":[{{"delta":{{"content":null,"{field}":"hmm"}}}}]}}"#);
            let parts = parse(&data);
            assert_eq!(
                (parts.reasoning.as_str(), parts.content.as_str()),
                ("hmm", "")
            );
        }
    }

    #[test]
    fn the_usage_chunk_is_read() {
        let parts = parse(
            r#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}}"#,
        );
        assert_eq!(
            parts.usage,
            Some(TokenCounts {
                prompt_tokens: Some(12),
                completion_tokens: 34
            })
        );
        assert_eq!(parse(r#"{"usage":null}"#).usage, None);
    }

    #[test]
    fn an_error_object_inside_a_200_stream_is_an_error() {
        let parts = parse(r#"{"error":{"message":"CUDA out of memory","type":"server_error"}}"#);
        let raw = parts.error.expect("an error");
        assert_eq!(
            upstream_message(&raw).as_deref(),
            Some("CUDA out of memory")
        );
        let parts = parse(r#"{"error":"Model crashed"}"#);
        let raw = parts.error.expect("an error");
        assert_eq!(upstream_message(&raw).as_deref(), Some("Model crashed"));
    }

    #[test]
    fn non_json_data_is_reported() {
        assert_eq!(parse_chunk("<html>"), Err(NotJson("<html>".into())));
    }
}
