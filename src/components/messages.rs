//! The conversation: stored messages, the reply being written, reasoning in
//! a collapsible "Thinking" block, token usage, and failed replies with their
//! fix and a Retry button.

use crate::model::{ChatMessage, MessageStatus, Role, Usage};
use crate::think::split_think;
use leptos::prelude::*;

/// Heading of a failed reply.
pub const FALLBACK_MESSAGE: &str = "Sorry, no reply this time.";

/// A reply as the page shows it: reasoning apart from the answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShownReply {
    /// Reasoning from the provider's reasoning field and inline `<think>`.
    pub reasoning: String,
    /// The answer without reasoning.
    pub answer: String,
    /// The model is still inside a `<think>` block.
    pub thinking: bool,
}

/// Splits a message for display.
pub fn shown_reply(message: &ChatMessage) -> ShownReply {
    if message.role != Role::Assistant {
        return ShownReply {
            answer: message.content.clone(),
            ..ShownReply::default()
        };
    }
    let split = split_think(&message.content);
    let mut reasoning = message.reasoning.trim().to_string();
    if !split.reasoning.is_empty() {
        if !reasoning.is_empty() {
            reasoning.push_str("\n\n");
        }
        reasoning.push_str(&split.reasoning);
    }
    let thinking = split.open || (!message.reasoning.is_empty() && split.answer.is_empty());
    ShownReply {
        reasoning,
        answer: split.answer,
        thinking,
    }
}

/// "42 tokens · 31.5 tokens/s" for a reply's usage.
pub fn usage_line(usage: &Usage) -> String {
    let mut line = format!("{} tokens", usage.completion_tokens);
    if let Some(speed) = usage.tokens_per_second {
        line.push_str(&format!(" · {speed:.1} tokens/s"));
    }
    line
}

/// The stored messages of a conversation. Takes plain data: the caller
/// re-renders it when the conversation is fetched again. The stored copy of
/// the reply being written hides while the live view shows it.
#[component]
pub fn MessageList(
    messages: Vec<ChatMessage>,
    waiting: Signal<bool>,
    live_id: Memo<Option<i64>>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let last = messages.len().saturating_sub(1);
    messages
        .into_iter()
        .enumerate()
        .map(|(i, message)| view! { <MessageView message is_last=i == last waiting live_id on_retry/> })
        .collect_view()
}

/// Shown in an empty conversation.
#[component]
pub fn Welcome() -> impl IntoView {
    view! {
        <div class="welcome">
            <h2>"What can I help with?"</h2>
            <p>"Pick a provider above, type below and press Enter. Shift+Enter starts a new line."</p>
        </div>
    }
}

/// The message being sent, until its stored copy arrives.
#[component]
pub fn PendingMessage(text: String) -> impl IntoView {
    view! {
        <article class="message user pending">
            <div class="content">{text}</div>
        </article>
    }
}

/// Three dots: the model is working.
#[component]
pub fn Typing() -> impl IntoView {
    view! {
        <div class="typing" aria-label="The model is answering">
            <span class="dot"></span>
            <span class="dot"></span>
            <span class="dot"></span>
        </div>
    }
}

/// The collapsible reasoning of a reply.
#[component]
fn ThinkingBlock(reasoning: String) -> impl IntoView {
    view! {
        <details class="thinking">
            <summary>"Thinking"</summary>
            <div class="thinking-text">{reasoning}</div>
        </details>
    }
}

/// One stored message.
#[component]
fn MessageView(
    message: ChatMessage,
    is_last: bool,
    waiting: Signal<bool>,
    live_id: Memo<Option<i64>>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let id = message.id;
    let class = match (message.role, message.status) {
        (Role::User, _) => "message user",
        (Role::System, _) => "message system",
        (Role::Assistant, MessageStatus::Failed) => "message assistant failed",
        (Role::Assistant, MessageStatus::Stopped) => "message assistant stopped",
        (Role::Assistant, MessageStatus::Streaming) => "message assistant streaming",
        (Role::Assistant, MessageStatus::Complete) => "message assistant",
    };
    let shown = shown_reply(&message);
    let failed = message.status == MessageStatus::Failed;
    let error = message.error.clone().unwrap_or_default();
    view! {
        <article
            class=class
            role=failed.then_some("alert")
            style:display=move || (live_id.get() == Some(id)).then_some("none")
        >
            {(!shown.reasoning.is_empty()).then(|| view! { <ThinkingBlock reasoning=shown.reasoning.clone()/> })}
            {(!shown.answer.is_empty()).then(|| view! { <div class="content">{shown.answer.clone()}</div> })}
            {(message.status == MessageStatus::Stopped)
                .then(|| view! { <p class="stopped-note">"Stopped"</p> })}
            {message.notice.clone().map(|n| view! { <p class="notice">{n}</p> })}
            {message.usage.as_ref().map(|u| view! { <p class="usage">{usage_line(u)}</p> })}
            {failed.then(|| view! {
                <p class="fallback-title">{FALLBACK_MESSAGE}</p>
                <p class="fallback-fix">{error}</p>
                {is_last.then(|| view! {
                    <button
                        type="button"
                        class="retry"
                        disabled=move || waiting.get()
                        on:click=move |_| on_retry.run(())
                    >
                        "Retry"
                    </button>
                })}
            })}
        </article>
    }
}

/// The reply being written, updated as its text arrives.
#[component]
pub fn LiveReply(
    live: RwSignal<Option<ChatMessage>>,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let shown = Memo::new(move |_| live.with(|m| m.as_ref().map(shown_reply)));
    let streaming = Memo::new(move |_| {
        live.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.status == MessageStatus::Streaming)
        })
    });
    let reasoning =
        move || shown.with(|s| s.as_ref().map(|s| s.reasoning.clone()).unwrap_or_default());
    let answer = move || shown.with(|s| s.as_ref().map(|s| s.answer.clone()).unwrap_or_default());
    let thinking = move || shown.with(|s| s.as_ref().is_some_and(|s| s.thinking));
    let has_reasoning = move || shown.with(|s| s.as_ref().is_some_and(|s| !s.reasoning.is_empty()));
    view! {
        <Show when=move || live.with(Option::is_some)>
            <article class="message assistant live" aria-busy=move || streaming.get().to_string()>
                <Show when=has_reasoning>
                    // Open while the model thinks; the reader may close it.
                    <details class="thinking" open=true>
                        <summary>{move || if thinking() { "Thinking…" } else { "Thinking" }}</summary>
                        <div class="thinking-text">{reasoning}</div>
                    </details>
                </Show>
                <div class="content">{answer}</div>
                {move || status.get().map(|text| view! { <p class="live-status" role="status">{text}</p> })}
                <Show when=move || streaming.get()>
                    <Typing/>
                </Show>
            </article>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(content: &str, reasoning: &str) -> ChatMessage {
        ChatMessage {
            id: 1,
            role: Role::Assistant,
            content: content.into(),
            reasoning: reasoning.into(),
            status: MessageStatus::Complete,
            error: None,
            provider: None,
            usage: None,
            notice: None,
        }
    }

    #[test]
    fn reasoning_from_both_sources_is_shown_apart() {
        let shown = shown_reply(&reply("<think>inline</think>Answer", "field"));
        assert_eq!(shown.reasoning, "field\n\ninline");
        assert_eq!(shown.answer, "Answer");
        assert!(!shown.thinking);
        assert!(shown_reply(&reply("", "still going")).thinking);
    }

    #[test]
    fn usage_reads_naturally() {
        let usage = Usage {
            prompt_tokens: Some(3),
            completion_tokens: 42,
            tokens_per_second: Some(31.52),
        };
        assert_eq!(usage_line(&usage), "42 tokens · 31.5 tokens/s");
    }
}
