//! The chat page: sidebar, conversation, provider picker and composer.

use super::chat_controller::ChatController;
use crate::auth::api::current_user;
use crate::components::composer::Composer;
use crate::components::messages::{
    LiveReply, MessageActions, MessageList, PendingMessage, Typing, Welcome,
};
use crate::components::settings::ChatSettingsButton;
use crate::components::sidebar::{Sidebar, SidebarState};
use crate::model::{Conversation, ProviderInfo, SessionUser};
use leptos::prelude::*;

/// Sends people who are not signed in to the sign-in page.
#[component]
pub fn ChatPage() -> impl IntoView {
    let user = Resource::new_blocking(|| (), |_| current_user());
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    view! {
        <Suspense fallback=move || view! { <p class="page-loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! { <ChatWorkspace user/> }.into_any(),
                    Ok(None) => {
                        crate::nav::redirect("/login");
                        ().into_any()
                    }
                    Err(err) => view! { <p class="form-error" role="alert">{err.message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The signed-in chat: the view of a [`ChatController`].
#[component]
fn ChatWorkspace(user: SessionUser) -> impl IntoView {
    crate::components::hydration::mark_hydrated();
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let chat = ChatController::new();
    chat.run(lang);
    let ChatController {
        conversation,
        providers,
        provider,
        model,
        pending,
        send_error,
        draft,
        live,
        live_id,
        live_status,
        ..
    } = chat;
    let sidebar_open = RwSignal::new(false);
    let requesting = Signal::derive(move || chat.requesting());
    let generating = Signal::derive(move || chat.generating());
    let busy = Signal::derive(move || requesting.get() || generating.get());
    let on_send = Callback::new(move |text: String| chat.send(text));
    let on_stop = Callback::new(move |()| chat.stop());
    let on_retry = Callback::new(move |()| chat.retry());
    let on_edit =
        Callback::new(move |(message_id, content): (i64, String)| chat.edit(message_id, content));
    let actions = MessageActions {
        waiting: busy,
        live_id,
        on_retry,
        on_edit,
    };
    let sidebar = SidebarState {
        conversations: chat.conversations,
        query: chat.query,
        current: chat.conversation_id,
        open: sidebar_open,
        renamed: Callback::new(move |(id, title): (i64, String)| chat.renamed(id, title)),
        list_changed: Callback::new(move |()| chat.list_changed()),
    };

    view! {
        <div class="chat-layout" class:sidebar-open=move || sidebar_open.get()>
            <Sidebar user state=sidebar/>
            <div class="sidebar-backdrop" on:click=move |_| sidebar_open.set(false)></div>
            <main class="chat-main">
                <header class="chat-header">
                    <button
                        type="button"
                        class="menu-button"
                        aria-label=t.menu
                        aria-expanded=move || sidebar_open.get().to_string()
                        on:click=move |_| sidebar_open.update(|o| *o = !*o)
                    >
                        "☰"
                    </button>
                    <ProviderPicker providers provider model/>
                    <ChatSettingsButton conversation/>
                </header>
                <section
                    class="messages"
                    role="log"
                    aria-label=t.conversation
                    on:click=move |_ev| {
                        #[cfg(feature = "hydrate")]
                        crate::components::clipboard::on_conversation_click(&_ev);
                    }
                >
                    <Transition fallback=move || view! { <p class="page-loading">{t.loading_conversation}</p> }>
                        {move || Suspend::new(async move {
                            match conversation.await {
                                Ok(conv) => {
                                    let earlier = conv.as_ref().map_or(0, |c: &Conversation| c.earlier);
                                    let messages = conv.map(|c: Conversation| c.messages).unwrap_or_default();
                                    let empty = messages.is_empty();
                                    view! {
                                        {(earlier > 0).then(|| view! {
                                            <button
                                                type="button"
                                                class="show-earlier"
                                                on:click=move |_| chat.show_earlier()
                                            >
                                                {format!("{} ({earlier})", t.show_earlier)}
                                            </button>
                                        })}
                                        <Show when=move || empty && pending.with(Option::is_none)>
                                            <Welcome/>
                                        </Show>
                                        <MessageList messages actions/>
                                    }
                                    .into_any()
                                }
                                Err(err) => view! {
                                    <p class="form-error" role="alert">{err.message(lang)}</p>
                                    <a href="/">{t.start_new_chat}</a>
                                }
                                .into_any(),
                            }
                        })}
                    </Transition>
                    <LiveReply live status=live_status/>
                    {move || pending.get().map(|text| view! { <PendingMessage text/> })}
                    <Show when=move || requesting.get()>
                        <Typing/>
                    </Show>
                </section>
                {move || send_error.get().map(|e| view! { <p class="form-error send-error" role="alert">{e}</p> })}
                <Composer draft busy generating on_send on_stop/>
            </main>
        </div>
    }
}

/// Choice between the configured providers (offline ones marked), the model
/// for this conversation (suggestions from the server's model list, free
/// entry always possible), and setup help for providers that are not ready.
#[component]
fn ProviderPicker(
    providers: Resource<Result<Vec<ProviderInfo>, crate::error::AppError>>,
    provider: RwSignal<String>,
    model: RwSignal<String>,
) -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = providers.await.unwrap_or_default();
                // Model suggestions, default and help of the chosen provider.
                let details = {
                    let list = list.clone();
                    move || {
                        let chosen = provider.get();
                        list.iter().find(|p| p.id == chosen).map(|p| {
                            let placeholder = match &p.model {
                                Some(m) => format!("{}{m}", t.default_model),
                                None if !p.models.is_empty() => format!("{}{}", t.default_model, p.models[0]),
                                None => t.loaded_model.to_string(),
                            };
                            let options = p
                                .models
                                .iter()
                                .map(|m| view! { <option value=m.clone()></option> })
                                .collect_view();
                            view! {
                                <label class="model-picker">
                                    <span>{t.model}</span>
                                    <input
                                        type="text"
                                        list="model-suggestions"
                                        aria-label=t.model
                                        placeholder=placeholder
                                        prop:value=move || model.get()
                                        on:change=move |ev| model.set(event_target_value(&ev))
                                    />
                                    <datalist id="model-suggestions">{options}</datalist>
                                </label>
                                {p.model_help.clone().map(|h| view! { <p class="model-help">{h}</p> })}
                                {p.hint.clone().map(|h| view! { <p class="provider-hint" role="note">{h}</p> })}
                            }
                        })
                    }
                };
                view! {
                    <label class="provider-picker">
                        <span>{t.provider}</span>
                        <select
                            aria-label=t.provider
                            prop:value=move || provider.get()
                            on:change=move |ev| {
                                provider.set(event_target_value(&ev));
                                // A model belongs to its provider.
                                model.set(String::new());
                            }
                        >
                            {list
                                .into_iter()
                                .map(|p| {
                                    let label = match (p.configured, p.online) {
                                        (false, _) => format!("{} {}", p.name, t.not_configured),
                                        (true, Some(false)) => format!("{} {}", p.name, t.offline),
                                        _ => p.name.clone(),
                                    };
                                    let selected = p.id == provider.get_untracked();
                                    view! { <option value=p.id.clone() selected=selected>{label}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    {details}
                }
            })}
        </Transition>
    }
}
