//! The chat settings dialog: system prompt, temperature and max tokens of
//! the open conversation, and its export as Markdown or JSON.

use crate::chat::api::SaveChatSettings;
use crate::model::{ChatSettings, SettingsFields};
use leptos::prelude::*;

/// The conversation as the page loads it.
pub type ConversationResource =
    Resource<Result<Option<crate::model::Conversation>, crate::error::AppError>>;

/// The button in the chat header and the dialog it opens (once a
/// conversation exists; a new chat uses the server's defaults).
#[component]
pub fn ChatSettingsButton(conversation: ConversationResource) -> impl IntoView {
    let t = crate::i18n::t();
    let open = RwSignal::new(false);
    // What was saved last, so the dialog reopens with it without reloading
    // the whole conversation.
    let saved = RwSignal::new(None::<(i64, ChatSettings)>);
    // Moving to another chat (Back, the sidebar) closes the dialog.
    Effect::watch(
        move || {
            conversation.with(|loaded| {
                loaded
                    .as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .and_then(|c| c.as_ref())
                    .map(|c| c.summary.id)
            })
        },
        move |_, _, _| open.set(false),
        false,
    );
    view! {
        // Inside Transition: the server renders it once the conversation is
        // loaded, exactly as the browser hydrates it.
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let loaded = conversation.await.ok().flatten();
                loaded.map(|c| {
                    let id = c.summary.id;
                    let stored = c.settings;
                    let current = move || {
                        saved
                            .get_untracked()
                            .filter(|(saved_id, _)| *saved_id == id)
                            .map_or_else(|| stored.clone(), |(_, s)| s)
                    };
                    view! {
                        <button
                            type="button"
                            class="settings-button"
                            aria-haspopup="dialog"
                            aria-expanded=move || open.get().to_string()
                            on:click=move |_| open.set(true)
                        >
                            {t.chat_settings}
                        </button>
                        <Show when=move || open.get()>
                            <SettingsDialog id current=current() open saved/>
                        </Show>
                    }
                })
            })}
        </Transition>
    }
}

/// The dialog itself; Esc or Close closes it.
#[component]
fn SettingsDialog(
    id: i64,
    current: ChatSettings,
    open: RwSignal<bool>,
    saved: RwSignal<Option<(i64, ChatSettings)>>,
) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let fields = current.to_fields();
    let prompt = RwSignal::new(fields.system_prompt);
    let temperature = RwSignal::new(fields.temperature);
    let max_tokens = RwSignal::new(fields.max_tokens);
    let save = ServerAction::<SaveChatSettings>::new();
    let message = RwSignal::new(None::<(bool, String)>);
    let first_field = NodeRef::<leptos::html::Textarea>::new();
    // Esc closes the dialog wherever the focus is (a disabled button drops it).
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" {
                open.set(false);
            }
        });
        on_cleanup(move || handle.remove());
    }
    Effect::new(move |_| {
        if let Some(field) = first_field.get() {
            let _ = field.focus();
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(settings)) => {
            message.set(Some((true, t.saved.to_string())));
            saved.set(Some((id, settings)));
        }
        Some(Err(err)) => message.set(Some((false, err.message(lang)))),
        None => {}
    });
    // The server reads and checks the numbers (and says what is wrong).
    let submit = move || {
        save.dispatch(SaveChatSettings {
            id,
            fields: SettingsFields {
                system_prompt: prompt.get_untracked(),
                temperature: temperature.get_untracked(),
                max_tokens: max_tokens.get_untracked(),
            },
        });
    };
    view! {
        <div class="dialog-backdrop" on:click=move |_| open.set(false)></div>
        <div
            class="dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="settings-title"
        >
            <h2 id="settings-title">{t.chat_settings}</h2>
            <form on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }>
                <label for="system-prompt">{t.system_prompt}</label>
                <textarea
                    id="system-prompt"
                    node_ref=first_field
                    rows="5"
                    placeholder=t.system_prompt_placeholder
                    prop:value=move || prompt.get()
                    on:input=move |ev| prompt.set(event_target_value(&ev))
                ></textarea>
                <div class="settings-row">
                    <NumberSetting id="temperature" label=t.temperature min="0" max="2" step="0.1" value=temperature/>
                    <NumberSetting id="max-tokens" label=t.max_tokens min="1" step="1" value=max_tokens/>
                </div>
                {move || message.get().map(|(ok, text)| view! {
                    <p class=if ok { "saved-note" } else { "form-error" } role=if ok { "status" } else { "alert" }>{text}</p>
                })}
                <div class="dialog-actions">
                    <button type="submit" disabled=move || save.pending().get()>{t.save}</button>
                    <button type="button" class="link-button" on:click=move |_| open.set(false)>{t.close}</button>
                </div>
            </form>
            <div class="exports">
                <a href=format!("/api/chats/{id}/export?format=markdown") download="">{t.export_markdown}</a>
                <a href=format!("/api/chats/{id}/export?format=json") download="">{t.export_json}</a>
            </div>
        </div>
    }
}

/// A number field of the dialog; empty means the default.
#[component]
fn NumberSetting(
    id: &'static str,
    label: &'static str,
    min: &'static str,
    #[prop(optional)] max: Option<&'static str>,
    step: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    let t = crate::i18n::t();
    // Whole numbers get the numeric keypad on phones, others the decimal one.
    let inputmode = if step.contains('.') {
        "decimal"
    } else {
        "numeric"
    };
    view! {
        <label>
            <span>{label}</span>
            <input
                id=id
                type="number"
                inputmode=inputmode
                min=min
                max=max
                step=step
                placeholder=t.use_default
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}
