//! The conversation: messages, the waiting indicator and failed replies with
//! their fix and a Retry button.

use crate::model::{ChatMessage, MessageStatus, Role};
use leptos::prelude::*;

/// Heading of a failed reply.
pub const FALLBACK_MESSAGE: &str = "Sorry, no reply this time.";

/// The stored messages of a conversation. Takes plain data: the caller
/// re-renders it when the conversation is fetched again.
#[component]
pub fn MessageList(
    messages: Vec<ChatMessage>,
    waiting: Signal<bool>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let last = messages.len().saturating_sub(1);
    messages
        .into_iter()
        .enumerate()
        .map(|(i, message)| view! { <MessageView message is_last=i == last waiting on_retry/> })
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

/// The model is working on a reply.
#[component]
pub fn Thinking() -> impl IntoView {
    view! {
        <div class="message assistant thinking" aria-label="The model is answering">
            <span class="dot"></span>
            <span class="dot"></span>
            <span class="dot"></span>
        </div>
    }
}

/// One message.
#[component]
fn MessageView(
    message: ChatMessage,
    is_last: bool,
    waiting: Signal<bool>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let role_class = match message.role {
        Role::User => "message user",
        Role::Assistant => "message assistant",
        Role::System => "message system",
    };
    if message.status == MessageStatus::Failed {
        let error = message.error.clone().unwrap_or_default();
        return view! {
            <article class="message assistant failed" role="alert">
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
            </article>
        }
        .into_any();
    }
    view! {
        <article class=role_class>
            <div class="content">{message.content.clone()}</div>
        </article>
    }
    .into_any()
}
