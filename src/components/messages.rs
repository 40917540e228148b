//! The conversation: stored messages, the reply being written, reasoning in
//! a collapsible "Thinking" block, token usage, and failed replies with their
//! fix and a Retry button.

use crate::i18n::Lang;
use crate::model::{ChatMessage, MessageStatus, Role, Usage};
use crate::think::split_think;
use leptos::prelude::*;

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
pub fn usage_line(usage: &Usage, lang: Lang) -> String {
    let t = lang.texts();
    let mut line = format!("{} {}", usage.completion_tokens, t.tokens);
    let separator = match lang {
        Lang::Es => ',',
        Lang::En => '.',
    };
    let speed = usage
        .tokens_per_second
        .and_then(|speed| crate::numbers::decimal_text(speed, 1, separator, false));
    if let Some(speed) = speed {
        line.push_str(&format!(" · {speed} {}", t.tokens_per_second));
    }
    line
}

/// What the reader can do to messages, handed down from the page.
#[derive(Clone, Copy)]
pub struct MessageActions {
    /// A reply is being asked for or written: actions wait.
    pub waiting: Signal<bool>,
    /// Id of the reply shown live (its stored copy hides).
    pub live_id: Memo<Option<i64>>,
    /// Retry a failed reply or regenerate the last one.
    pub on_retry: Callback<()>,
    /// Edit a user message and send it again: (message id, new text).
    pub on_edit: Callback<(i64, String)>,
}

/// The stored messages of a conversation. Takes plain data: the caller
/// re-renders it when the conversation is fetched again. The stored copy of
/// the reply being written hides while the live view shows it.
#[component]
pub fn MessageList(messages: Vec<ChatMessage>, actions: MessageActions) -> impl IntoView {
    let last = messages.len().saturating_sub(1);
    messages
        .into_iter()
        .enumerate()
        .map(|(i, message)| view! { <MessageView message is_last=i == last actions/> })
        .collect_view()
}

/// Shown in an empty conversation.
#[component]
pub fn Welcome() -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <div class="welcome">
            <h2>{t.welcome_title}</h2>
            <p>{t.welcome_text}</p>
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
    let t = crate::i18n::t();
    view! {
        <div class="typing" role="img" aria-label=t.model_answering>
            <span class="dot"></span>
            <span class="dot"></span>
            <span class="dot"></span>
        </div>
    }
}

/// The collapsible reasoning of a reply.
#[component]
fn ThinkingBlock(reasoning: String) -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <details class="thinking">
            <summary>{t.thinking}</summary>
            <div class="thinking-text">{reasoning}</div>
        </details>
    }
}

/// A Copy button that says "Copied" for a moment.
#[component]
fn CopyButton(text: String) -> impl IntoView {
    let t = crate::i18n::t();
    let copied = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="copy-message"
            on:click=move |_| {
                crate::components::clipboard::copy_text(&text);
                copied.set(true);
                set_timeout(move || copied.set(false), std::time::Duration::from_millis(1500));
            }
        >
            {move || if copied.get() { t.copied } else { t.copy }}
        </button>
    }
}

/// A user message in place for editing: Save and send, or Esc to cancel.
#[component]
fn EditBox(
    id: i64,
    text: String,
    editing: RwSignal<bool>,
    on_edit: Callback<(i64, String)>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let draft = RwSignal::new(text);
    let field = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(field) = field.get() {
            let _ = field.focus();
        }
    });
    let save = move || {
        let text = draft.get_untracked();
        if !text.trim().is_empty() {
            editing.set(false);
            on_edit.run((id, text));
        }
    };
    view! {
        <form
            class="edit-box"
            on:submit=move |ev| {
                ev.prevent_default();
                save();
            }
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    editing.set(false);
                }
            }
        >
            <label class="visually-hidden" for=format!("edit-{id}")>{t.edit}</label>
            <textarea
                id=format!("edit-{id}")
                node_ref=field
                rows="3"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
            ></textarea>
            <p class="hint">{t.edit_note}</p>
            <div class="edit-actions">
                <button type="submit" class="save-edit">{t.save_and_send}</button>
                <button type="button" class="link-button" on:click=move |_| editing.set(false)>{t.cancel}</button>
            </div>
        </form>
    }
}

/// One stored message.
#[component]
fn MessageView(message: ChatMessage, is_last: bool, actions: MessageActions) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let id = message.id;
    let MessageActions {
        waiting,
        live_id,
        on_retry,
        on_edit,
    } = actions;
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
    let is_user = message.role == Role::User;
    // Worded by the server in the reader's language.
    let error = message.error.clone().unwrap_or_default();
    let editing = RwSignal::new(false);
    // Replies are Markdown, rendered safely by the server; what people typed
    // stays text (and so would a reply that came without its HTML).
    let html = (message.role == Role::Assistant && !shown.answer.is_empty())
        .then(|| message.html.clone())
        .flatten();
    let text = (html.is_none() && !shown.answer.is_empty()).then(|| shown.answer.clone());
    let content = move || {
        let html = html
            .clone()
            .map(|html| view! { <div class="content markdown" inner_html=html></div> });
        let text = text
            .clone()
            .map(|text| view! { <div class="content">{text}</div> });
        (html, text)
    };
    let can_regenerate = is_last
        && message.role == Role::Assistant
        && matches!(
            message.status,
            MessageStatus::Complete | MessageStatus::Stopped
        );
    let answer = shown.answer.clone();
    let edit_text = message.content.clone();
    view! {
        <article
            class=class
            role=failed.then_some("alert")
            // A class, not a style attribute: the page's CSP allows no inline style.
            class:superseded=move || live_id.get() == Some(id)
        >
            {(!shown.reasoning.is_empty()).then(|| view! { <ThinkingBlock reasoning=shown.reasoning.clone()/> })}
            <Show when=move || !editing.get() fallback=move || view! {
                <EditBox id text=edit_text.clone() editing on_edit/>
            }>
                {content.clone()}
            </Show>
            {(message.status == MessageStatus::Stopped).then(|| {
                // Why it stopped, when the server stopped it (its length).
                let note = message.error.clone().unwrap_or_else(|| t.stopped.to_string());
                view! { <p class="stopped-note">{note}</p> }
            })}
            {message.notice.clone().map(|n| view! { <p class="notice">{n}</p> })}
            {message.usage.as_ref().map(|u| view! { <p class="usage">{usage_line(u, lang)}</p> })}
            {failed.then(|| view! {
                <p class="fallback-title">{t.no_reply}</p>
                <p class="fallback-fix">{error}</p>
                {is_last.then(|| view! {
                    <button
                        type="button"
                        class="retry"
                        disabled=move || waiting.get()
                        on:click=move |_| on_retry.run(())
                    >
                        {t.retry}
                    </button>
                })}
            })}
            {(!failed && !answer.is_empty()).then(|| view! {
                <div class="message-actions">
                    <CopyButton text=answer.clone()/>
                    {is_user.then(|| view! {
                        <button
                            type="button"
                            class="edit-message"
                            disabled=move || waiting.get()
                            on:click=move |_| editing.set(true)
                        >
                            {t.edit}
                        </button>
                    })}
                    {can_regenerate.then(|| view! {
                        <button
                            type="button"
                            class="regenerate"
                            disabled=move || waiting.get()
                            on:click=move |_| on_retry.run(())
                        >
                            {t.regenerate}
                        </button>
                    })}
                </div>
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
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let shown = Memo::new(move |_| live.with(|m| m.as_ref().map(shown_reply)));
    let streaming = Memo::new(move |_| {
        live.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.status == MessageStatus::Streaming)
        })
    });
    let reasoning =
        move || shown.with(|s| s.as_ref().map(|s| s.reasoning.clone()).unwrap_or_default());
    // Rendered by the server as the text arrives (the stream's HTML patches).
    let answer_html =
        move || live.with(|m| m.as_ref().and_then(|m| m.html.clone()).unwrap_or_default());
    let thinking = move || shown.with(|s| s.as_ref().is_some_and(|s| s.thinking));
    let has_reasoning = move || shown.with(|s| s.as_ref().is_some_and(|s| !s.reasoning.is_empty()));
    view! {
        <Show when=move || live.with(Option::is_some)>
            // Busy while writing: screen readers announce the reply once, whole.
            <article class="message assistant live" aria-live="polite" aria-busy=move || streaming.get().to_string()>
                <Show when=has_reasoning>
                    // Open while the model thinks; the reader may close it.
                    <details class="thinking" open=true>
                        <summary>{move || if thinking() { t.thinking_now } else { t.thinking }}</summary>
                        <div class="thinking-text">{reasoning}</div>
                    </details>
                </Show>
                <div class="content markdown" inner_html=answer_html></div>
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
            reasoning: reasoning.into(),
            ..ChatMessage::new(1, Role::Assistant, content, MessageStatus::Complete)
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
        assert_eq!(usage_line(&usage, Lang::En), "42 tokens · 31.5 tokens/s");
        assert_eq!(usage_line(&usage, Lang::Es), "42 tokens · 31,5 tokens/s");
    }
}
