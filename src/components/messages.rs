//! The conversation: messages, the waiting indicator and failed replies with
//! their fix and a Retry button.

use crate::model::{ChatMessage, MessageStatus, Role};
use leptos::prelude::*;

/// Heading of a failed reply.
pub const FALLBACK_MESSAGE: &str = "Sorry, no reply this time.";

/// The list of messages.
#[component]
pub fn MessageList(
    messages: Signal<Vec<ChatMessage>>,
    waiting: Signal<bool>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let empty = move || messages.with(Vec::is_empty) && !waiting.get();
    view! {
        <section class="messages" role="log" aria-live="polite" aria-label="Conversation">
            <Show when=empty>
                <div class="welcome">
                    <h2>"What can I help with?"</h2>
                    <p>"Pick a provider above, type below and press Enter. Shift+Enter starts a new line."</p>
                </div>
            </Show>
            <For
                each=move || {
                    let list = messages.get();
                    let last = list.len().saturating_sub(1);
                    list.into_iter().enumerate().map(move |(i, m)| (i == last, m)).collect::<Vec<_>>()
                }
                key=|(is_last, m)| (m.id, *is_last, m.content.len(), m.status == MessageStatus::Failed)
                children=move |(is_last, message)| view! { <MessageView message is_last waiting on_retry/> }
            />
            <Show when=move || waiting.get()>
                <div class="message assistant thinking" aria-label="The model is answering">
                    <span class="dot"></span><span class="dot"></span><span class="dot"></span>
                </div>
            </Show>
        </section>
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
                <Show when=move || is_last>
                    <button
                        type="button"
                        class="retry"
                        disabled=move || waiting.get()
                        on:click=move |_| on_retry.run(())
                    >
                        "Retry"
                    </button>
                </Show>
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
