//! Inline reasoning: some models write their thinking into the answer between
//! `<think>` and `</think>`. The stored text keeps it as sent; the page shows
//! it apart and the provider never gets it back.

const OPEN: &str = "<think>";
const CLOSE: &str = "</think>";

/// A reply's text split into its reasoning and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThinkSplit {
    /// Text found inside `<think>` blocks (or before a lone `</think>`).
    pub reasoning: String,
    /// Everything else, trimmed.
    pub answer: String,
    /// A `<think>` block is still open: the model is thinking.
    pub open: bool,
}

fn push_piece(reasoning: &mut String, piece: &str) {
    let piece = piece.trim();
    if piece.is_empty() {
        return;
    }
    if !reasoning.is_empty() {
        reasoning.push_str("\n\n");
    }
    reasoning.push_str(piece);
}

/// Splits `content` into reasoning and answer. Tags may be unbalanced: a
/// `</think>` with no `<think>` before it closes reasoning that started with
/// the reply (chat templates often open the tag themselves), and a `<think>`
/// that is never closed holds reasoning still being written.
pub fn split_think(content: &str) -> ThinkSplit {
    let mut split = ThinkSplit::default();
    let mut rest = content;
    if let Some(close) = rest.find(CLOSE) {
        if rest.find(OPEN).is_none_or(|open| open > close) {
            push_piece(&mut split.reasoning, &rest[..close]);
            rest = &rest[close + CLOSE.len()..];
        }
    }
    let mut answer = String::new();
    loop {
        let Some(open) = rest.find(OPEN) else {
            answer.push_str(rest);
            break;
        };
        answer.push_str(&rest[..open]);
        let inside = &rest[open + OPEN.len()..];
        match inside.find(CLOSE) {
            Some(close) => {
                push_piece(&mut split.reasoning, &inside[..close]);
                rest = &inside[close + CLOSE.len()..];
            }
            None => {
                push_piece(&mut split.reasoning, inside);
                split.open = true;
                break;
            }
        }
    }
    split.answer = answer.trim().to_string();
    split
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_has_no_reasoning() {
        let s = split_think("Hello there");
        assert_eq!(
            (s.reasoning.as_str(), s.answer.as_str(), s.open),
            ("", "Hello there", false)
        );
    }

    #[test]
    fn a_closed_block_is_taken_out_of_the_answer() {
        let s = split_think("<think>\nLet me see.\n</think>\n\nThe answer is 4.");
        assert_eq!(s.reasoning, "Let me see.");
        assert_eq!(s.answer, "The answer is 4.");
        assert!(!s.open);
    }

    #[test]
    fn an_open_block_is_reasoning_still_being_written() {
        let s = split_think("<think>Counting the apples");
        assert_eq!(s.reasoning, "Counting the apples");
        assert_eq!(s.answer, "");
        assert!(s.open);
    }

    #[test]
    fn a_lone_closing_tag_ends_reasoning_that_began_with_the_reply() {
        let s = split_think("The user greets me.</think>¡Hola! 👋");
        assert_eq!(s.reasoning, "The user greets me.");
        assert_eq!(s.answer, "¡Hola! 👋");
    }

    #[test]
    fn several_blocks_are_joined() {
        let s = split_think("<think>a</think>one <think>b</think>two");
        assert_eq!(s.reasoning, "a\n\nb");
        assert_eq!(s.answer, "one two");
    }
}
