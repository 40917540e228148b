//! What of a conversation goes to the model: the messages worth sending,
//! and, when they are more than the bound, the newest that fit, with a
//! note saying so (never cut silently).

use crate::failure::{HistoryBudget, LeftOut};
use crate::model::{ChatMessage, MessageStatus, Role};
use crate::providers::WireMessage;
use crate::think::split_think;

/// The history as the provider should see it, in order: finished and stopped
/// messages with text; failed replies and any reasoning are left out.
pub fn history_for_provider(messages: &[ChatMessage]) -> Vec<WireMessage> {
    messages
        .iter()
        .filter(|m| matches!(m.status, MessageStatus::Complete | MessageStatus::Stopped))
        .map(|m| WireMessage {
            role: m.role.as_str().to_string(),
            content: match m.role {
                Role::Assistant => split_think(&m.content).answer,
                _ => m.content.clone(),
            },
        })
        .filter(|m| !m.content.trim().is_empty())
        .collect()
}

/// What is sent: the system prompt (if any) and the newest `turns` whose
/// characters, the prompt's included, fit `max_chars`. The prompt and the
/// latest message always go, even alone over the bound (the provider then
/// says what it holds). The oldest go first, and the kept part starts with
/// a user's message, as chat templates expect. `LeftOut` says what was not
/// sent, when anything was not.
pub fn fit_history(
    system_prompt: Option<WireMessage>,
    turns: Vec<WireMessage>,
    max_chars: usize,
) -> (Vec<WireMessage>, Option<LeftOut>) {
    let total = turns.len();
    let size = |m: &WireMessage| m.content.chars().count();
    let mut used = system_prompt.as_ref().map_or(0, size);
    // Walk back from the newest, keeping what fits.
    let mut first_kept = total;
    for (i, turn) in turns.iter().enumerate().rev() {
        let cost = size(turn);
        if first_kept < total && used + cost > max_chars {
            break;
        }
        used += cost;
        first_kept = i;
    }
    if first_kept > 0 {
        // Start at a user's message, unless none is left to start with.
        while first_kept + 1 < total && turns[first_kept].role != Role::User.as_str() {
            first_kept += 1;
        }
    }
    let sent = total - first_kept;
    let left_out = (first_kept > 0).then_some(LeftOut {
        sent,
        total,
        budget: HistoryBudget::Chars { max: max_chars },
    });
    let history = system_prompt
        .into_iter()
        .chain(turns.into_iter().skip(first_kept))
        .collect();
    (history, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: Role, content: &str, status: MessageStatus) -> ChatMessage {
        ChatMessage::new(0, role, content, status)
    }

    fn wire(role: Role, content: &str) -> WireMessage {
        WireMessage {
            role: role.as_str().to_string(),
            content: content.to_string(),
        }
    }

    /// Five turns of ten characters: user, assistant, user, assistant, user.
    fn five_turns() -> Vec<WireMessage> {
        (0..5)
            .map(|i| {
                let role = if i % 2 == 0 {
                    Role::User
                } else {
                    Role::Assistant
                };
                wire(role, &format!("message {i}"))
            })
            .collect()
    }

    fn contents(history: &[WireMessage]) -> Vec<&str> {
        history.iter().map(|m| m.content.as_str()).collect()
    }

    #[test]
    fn failed_and_streaming_replies_never_reach_the_provider() {
        let history = vec![
            msg(Role::User, "one", MessageStatus::Complete),
            msg(Role::Assistant, "half an ans", MessageStatus::Failed),
            msg(Role::User, "two", MessageStatus::Complete),
            msg(Role::Assistant, "cut short", MessageStatus::Stopped),
            msg(Role::User, "three", MessageStatus::Complete),
            msg(Role::Assistant, "", MessageStatus::Streaming),
        ];
        let wire = history_for_provider(&history);
        let seen: Vec<_> = wire
            .iter()
            .map(|m| (m.role.as_str(), m.content.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("user", "one"),
                ("user", "two"),
                ("assistant", "cut short"),
                ("user", "three")
            ]
        );
    }

    #[test]
    fn earlier_reasoning_is_not_sent_back() {
        let mut reply = msg(
            Role::Assistant,
            "<think>secret plan</think>The answer.",
            MessageStatus::Complete,
        );
        reply.reasoning = "more thoughts".into();
        let wire = history_for_provider(&[reply]);
        assert_eq!(wire[0].content, "The answer.");
    }

    #[test]
    fn a_history_within_the_bound_goes_whole_without_a_note() {
        let prompt = wire(Role::System, "be brief");
        let (sent, left_out) = fit_history(Some(prompt), five_turns(), 58);
        assert_eq!(sent.len(), 6);
        assert_eq!(sent[0].content, "be brief");
        assert_eq!(left_out, None);
    }

    #[test]
    fn the_oldest_turns_go_first_and_the_note_counts_them() {
        // The prompt (8) and three turns (30) fit 40; a fourth does not.
        let prompt = wire(Role::System, "be brief");
        let (sent, left_out) = fit_history(Some(prompt), five_turns(), 40);
        assert_eq!(
            contents(&sent),
            vec!["be brief", "message 2", "message 3", "message 4"]
        );
        assert_eq!(
            left_out,
            Some(LeftOut {
                sent: 3,
                total: 5,
                budget: HistoryBudget::Chars { max: 40 }
            })
        );
    }

    #[test]
    fn what_is_sent_starts_with_a_user_message() {
        // Four turns would fit 40, but the oldest of them is a reply.
        let (sent, left_out) = fit_history(None, five_turns(), 40);
        assert_eq!(contents(&sent), vec!["message 2", "message 3", "message 4"]);
        assert_eq!(left_out.map(|l| (l.sent, l.total)), Some((3, 5)));
    }

    #[test]
    fn the_prompt_and_the_latest_message_always_go() {
        let prompt = wire(Role::System, "a very long system prompt");
        let (sent, left_out) = fit_history(Some(prompt), five_turns(), 5);
        assert_eq!(
            contents(&sent),
            vec!["a very long system prompt", "message 4"]
        );
        assert_eq!(left_out.map(|l| (l.sent, l.total)), Some((1, 5)));
        let (sent, left_out) = fit_history(None, Vec::new(), 5);
        assert!(sent.is_empty());
        assert_eq!(left_out, None);
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        // "canción ñandú" is 13 characters and 16 bytes.
        let turns = vec![wire(Role::User, "canción ñandú"), wire(Role::User, "sí")];
        let (sent, left_out) = fit_history(None, turns, 15);
        assert_eq!(sent.len(), 2);
        assert_eq!(left_out, None);
    }
}
