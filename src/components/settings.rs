//! The chat settings dialog: system prompt, temperature and max tokens of
//! the open conversation, and its export as Markdown or JSON.

use crate::chat::api::SaveChatSettings;
use crate::model::ChatSettings;
use leptos::prelude::*;

/// Reads a number field: empty is `None`, anything else must parse.
fn parse_optional<T: std::str::FromStr>(raw: &str) -> Result<Option<T>, ()> {
    let raw = raw.trim().replace(',', ".");
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| ())
}

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
    let prompt = RwSignal::new(current.system_prompt.clone().unwrap_or_default());
    let temperature = RwSignal::new(
        current
            .temperature
            .map(|v| v.to_string())
            .unwrap_or_default(),
    );
    let max_tokens = RwSignal::new(
        current
            .max_tokens
            .map(|v| v.to_string())
            .unwrap_or_default(),
    );
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
    let submit = move || {
        let temperature = parse_optional::<f32>(&temperature.get_untracked());
        let max_tokens = parse_optional::<u32>(&max_tokens.get_untracked());
        let (Ok(temperature), Ok(max_tokens)) = (temperature, max_tokens) else {
            let err = crate::error::AppError::invalid(
                "Temperature and max tokens must be numbers, or empty for the default.",
                "La temperatura y el máximo de tokens deben ser números, o quedar vacíos para el predeterminado.",
            );
            message.set(Some((false, err.message(lang))));
            return;
        };
        save.dispatch(SaveChatSettings {
            id,
            settings: ChatSettings {
                system_prompt: Some(prompt.get_untracked()),
                temperature,
                max_tokens,
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

#[cfg(test)]
mod tests {
    use super::parse_optional;

    #[test]
    fn number_fields_accept_empty_and_decimal_commas() {
        assert_eq!(parse_optional::<f32>(" "), Ok(None));
        assert_eq!(parse_optional::<f32>("0,7"), Ok(Some(0.7)));
        assert_eq!(parse_optional::<u32>("512"), Ok(Some(512)));
        assert!(parse_optional::<u32>("lots").is_err());
    }
}
