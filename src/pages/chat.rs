//! The chat page: sidebar, conversation, provider picker and composer.

use crate::auth::api::current_user;
use crate::chat::api::{
    get_conversation, list_providers, search_conversations, EditMessage, RetryReply, SendMessage,
    StopReply, RECENT_MESSAGES,
};
use crate::components::composer::Composer;
use crate::components::follow::{apply_text, follow, FollowEvent, FollowHandle};
use crate::components::messages::{
    LiveReply, MessageActions, MessageList, PendingMessage, Typing, Welcome,
};
use crate::components::settings::ChatSettingsButton;
use crate::components::sidebar::{Sidebar, SidebarState};
use crate::model::{ChatMessage, Conversation, MessageStatus, ProviderInfo, Role, SessionUser};
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

/// The signed-in chat.
#[component]
fn ChatWorkspace(user: SessionUser) -> impl IntoView {
    crate::components::hydration::mark_hydrated();
    let path = crate::nav::current_path();
    let conversation_id = Memo::new(move |_| crate::nav::conversation_in(&path.get()));
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let reload = RwSignal::new(0u32);
    let query = RwSignal::new(String::new());
    let conversations = Resource::new(
        move || (reload.get(), query.get()),
        |(_, query)| search_conversations(query),
    );
    let providers = Resource::new(|| (), |_| list_providers());
    // How many of the latest messages are shown; "Show earlier" raises it.
    let limit = RwSignal::new(RECENT_MESSAGES);
    let conversation = Resource::new(
        move || (conversation_id.get(), reload.get(), limit.get()),
        |(id, _, limit)| async move {
            match id {
                Some(id) => get_conversation(id, Some(limit)).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let sidebar_open = RwSignal::new(false);
    let provider = RwSignal::new(crate::model_defaults::DEFAULT_PROVIDER.to_string());
    // The model picked for this conversation; empty: the provider's default.
    let model = RwSignal::new(String::new());
    let picked_model = move || Some(model.get_untracked()).filter(|m| !m.trim().is_empty());
    // The message being sent, shown until the stored copy arrives.
    let pending = RwSignal::new(None::<String>);
    let send_error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let send = ServerAction::<SendMessage>::new();
    let retry = ServerAction::<RetryReply>::new();
    let edit = ServerAction::<EditMessage>::new();
    let stop = ServerAction::<StopReply>::new();
    // The reply being written in this conversation, as it streams in.
    let live = RwSignal::new(None::<ChatMessage>);
    let live_id = Memo::new(move |_| live.with(|m| m.as_ref().map(|m| m.id)));
    // What the reply waits for (a model loading), shown in its place.
    let live_status = RwSignal::new(None::<String>);
    let generating = Signal::derive(move || {
        live.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.status == MessageStatus::Streaming)
        })
    });
    let following = StoredValue::new(None::<FollowHandle>);
    let requesting = Signal::derive(move || {
        send.pending().get() || retry.pending().get() || edit.pending().get()
    });
    let busy = Signal::derive(move || requesting.get() || generating.get());

    // The conversation the last send was made from (`None`: a new chat);
    // and the conversation a successful send opened (its message stays shown).
    let sent_from = StoredValue::new(None::<i64>);
    let arriving = StoredValue::new(None::<i64>);
    // Another conversation opens as if the page had just loaded it: its
    // latest messages, nothing of the one before (its reply, its error).
    Effect::watch(
        move || conversation_id.get(),
        move |id, _, _| {
            limit.set(RECENT_MESSAGES);
            send_error.set(None);
            following.set_value(None);
            live.set(None);
            live_status.set(None);
            let opened_by_send = arriving.get_value().is_some_and(|a| Some(a) == *id);
            if !opened_by_send {
                pending.set(None);
            }
            arriving.set_value(None);
        },
        false,
    );

    // An EventSource opened before the window's load event keeps the page
    // "loading" until the reply ends: wait for it.
    let page_loaded = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    if document().ready_state() == "complete" {
        page_loaded.set(true);
    } else {
        let listener = window_event_listener_untyped("load", move |_| page_loaded.set(true));
        on_cleanup(move || listener.remove());
    }

    // Follow the reply whenever the loaded conversation ends with one being
    // written: after Send or Retry, after a reload, in a second tab.
    Effect::new(move |_| {
        let Some(Ok(conv)) = conversation.get() else {
            return;
        };
        if !page_loaded.get() {
            return;
        }
        let streaming = conv.as_ref().and_then(|c| {
            c.messages
                .last()
                .filter(|m| m.role == Role::Assistant && m.status == MessageStatus::Streaming)
                .cloned()
                .map(|m| (c.summary.id, m))
        });
        let Some((conversation_id, message)) = streaming else {
            following.set_value(None);
            live.set(None);
            return;
        };
        let already =
            following.with_value(Option::is_some) && live_id.get_untracked() == Some(message.id);
        if already {
            return;
        }
        live.set(Some(message));
        let handle = follow(conversation_id, move |event| match event {
            FollowEvent::Status(line) => live_status.set(line.map(|l| l.text)),
            FollowEvent::Done(message) => {
                following.set_value(None);
                live_status.set(None);
                live.set(message.filter(|m| m.status != MessageStatus::Streaming));
                reload.update(|n| *n += 1);
            }
            FollowEvent::Lost => {
                following.set_value(None);
                reload.update(|n| *n += 1);
            }
            text => live.update(|m| {
                if let Some(m) = m {
                    apply_text(m, &text);
                }
            }),
        });
        following.set_value(handle);
    });

    // A loaded conversation brings back the provider it used.
    Effect::new(move |_| {
        if let Some(Ok(Some(conv))) = conversation.get() {
            provider.set(conv.summary.provider.clone());
            model.set(conv.summary.model.clone().unwrap_or_default());
        }
    });

    Effect::new(move |_| {
        let Some(result) = send.value().get() else {
            return;
        };
        match result {
            Ok(outcome) => {
                // Opened from a new chat: show the conversation it started,
                // unless the person has moved to another chat meanwhile.
                if sent_from.get_value().is_none() && conversation_id.get_untracked().is_none() {
                    arriving.set_value(Some(outcome.conversation_id));
                    crate::nav::navigate(&format!("/c/{}", outcome.conversation_id));
                }
                send_error.set(None);
                // The list gains (or reorders) the conversation; the open one
                // now holds the sent message.
                reload.update(|n| *n += 1);
            }
            Err(err) => {
                // Nothing was stored: give the text back so nothing is lost.
                if let Some(text) = pending.get_untracked() {
                    draft.set(text);
                }
                pending.set(None);
                send_error.set(Some(err.message(lang)));
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = retry.value().get() {
            if let Err(err) = result {
                send_error.set(Some(err.message(lang)));
            }
            reload.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = edit.value().get() {
            if let Err(err) = result {
                send_error.set(Some(err.message(lang)));
            }
            reload.update(|n| *n += 1);
        }
    });
    // A fresh copy of the conversation arrived: it holds the sent message.
    Effect::watch(
        move || {
            conversation
                .get()
                .map(|r| r.ok().flatten().map(|c| c.messages.len()))
        },
        move |_, _, _| pending.set(None),
        false,
    );

    let on_send = Callback::new(move |text: String| {
        send_error.set(None);
        sent_from.set_value(conversation_id.get_untracked());
        pending.set(Some(text.clone()));
        send.dispatch(SendMessage {
            conversation_id: conversation_id.get_untracked(),
            provider: provider.get_untracked(),
            model: picked_model(),
            content: text,
        });
    });
    let on_stop = Callback::new(move |()| {
        if let Some(id) = conversation_id.get_untracked() {
            stop.dispatch(StopReply {
                conversation_id: id,
            });
        }
    });
    let on_retry = Callback::new(move |()| {
        if let Some(id) = conversation_id.get_untracked() {
            send_error.set(None);
            retry.dispatch(RetryReply {
                conversation_id: id,
                provider: provider.get_untracked(),
                model: picked_model(),
            });
        }
    });

    let on_edit = Callback::new(move |(message_id, content): (i64, String)| {
        if let Some(id) = conversation_id.get_untracked() {
            send_error.set(None);
            edit.dispatch(EditMessage {
                conversation_id: id,
                message_id,
                content,
                provider: provider.get_untracked(),
                model: picked_model(),
            });
        }
    });
    let actions = MessageActions {
        waiting: busy,
        live_id,
        on_retry,
        on_edit,
    };
    let sidebar = SidebarState {
        conversations,
        query,
        current: conversation_id,
        reload,
        open: sidebar_open,
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
                                                on:click=move |_| limit.update(|l| *l = l.saturating_add(RECENT_MESSAGES * 5))
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
