//! The message box: Enter sends, Shift+Enter starts a new line; while a
//! reply is being written, Send gives way to Stop.

use leptos::prelude::*;

/// The composer at the bottom of the chat.
#[component]
pub fn Composer(
    draft: RwSignal<String>,
    busy: Signal<bool>,
    generating: Signal<bool>,
    on_send: Callback<String>,
    on_stop: Callback<()>,
) -> impl IntoView {
    let submit = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() || busy.get_untracked() {
            return;
        }
        draft.set(String::new());
        on_send.run(text);
    };
    let t = crate::i18n::t();
    view! {
        <form
            class="composer"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <label for="message" class="visually-hidden">{t.message}</label>
            <textarea
                id="message"
                name="message"
                rows="3"
                placeholder=t.message_placeholder
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            <Show
                when=move || generating.get()
                fallback=move || view! {
                    <button type="submit" class="send" disabled=move || busy.get() || draft.with(|d| d.trim().is_empty())>
                        {t.send}
                    </button>
                }
            >
                <button type="button" class="stop" on:click=move |_| on_stop.run(())>
                    {t.stop}
                </button>
            </Show>
        </form>
    }
}
