//! The sidebar: new chat, search (Ctrl/Cmd+K), the conversations newest
//! first with rename and delete, import, language and theme, the account.

use crate::chat::api::{DeleteConversation, ImportConversation, RenameConversation};
use crate::error::AppError;
use crate::model::{ConversationSummary, SessionUser};
use crate::prefs::PreferenceSwitchers;
use leptos::prelude::*;

/// What the sidebar needs from the page.
#[derive(Clone, Copy)]
pub struct SidebarState {
    /// The conversations shown (all, or the search results).
    pub conversations: Resource<Result<Vec<ConversationSummary>, AppError>>,
    /// The search text.
    pub query: RwSignal<String>,
    /// The conversation open in the page.
    pub current: Memo<Option<i64>>,
    /// On phones: whether the sidebar is shown over the chat.
    pub open: RwSignal<bool>,
    /// A chat was renamed: (id, stored title).
    pub renamed: Callback<(i64, String)>,
    /// Chats were deleted or imported: the list must come again.
    pub list_changed: Callback<()>,
}

/// The sidebar of the chat page.
#[component]
pub fn Sidebar(user: SessionUser, state: SidebarState) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let search = NodeRef::<leptos::html::Input>::new();
    let SidebarState {
        conversations,
        query,
        open,
        ..
    } = state;

    // Ctrl+K / Cmd+K focuses the search from anywhere on the page.
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
                ev.prevent_default();
                open.set(true);
                if let Some(input) = search.get_untracked() {
                    let _ = input.focus();
                    input.select();
                }
            }
        });
        on_cleanup(move || handle.remove());
    }

    let logout_path = <crate::auth::api::Logout as leptos::server_fn::ServerFn>::PATH;
    view! {
        <nav class="sidebar" class:open=move || open.get() aria-label=t.conversations>
            <div class="brand">{t.app_name}</div>
            <a
                href="/"
                class="new-chat"
                on:click=move |ev| {
                    open.set(false);
                    crate::nav::follow_link(&ev, "/");
                }
            >
                {t.new_chat}
            </a>
            <label class="search">
                <span class="visually-hidden">{t.search}</span>
                <input
                    type="search"
                    node_ref=search
                    aria-label=t.search
                    placeholder=t.search_placeholder
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            query.set(String::new());
                        }
                    }
                />
            </label>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match conversations.await {
                        Ok(list) if list.is_empty() => {
                            let empty = if query.with_untracked(|q| q.trim().is_empty()) {
                                t.no_conversations
                            } else {
                                t.no_matches
                            };
                            view! { <p class="empty">{empty}</p> }.into_any()
                        }
                        Ok(list) => view! {
                            <ul class="conversation-list">
                                {list
                                    .into_iter()
                                    .map(|c| view! { <ConversationItem summary=c state/> })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(err) => view! { <p class="form-error">{err.message(lang)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <ImportButton state/>
            <div class="account">
                <a href="/account" class="username" title=t.account_title>{user.username.clone()}</a>
                {user.is_admin.then(|| view! {
                    <span class="badge">{t.admin}</span>
                    <a href="/admin/users" class="admin-link">{t.users}</a>
                    <a href="/admin/diagnostics" class="admin-link">{t.diagnostics}</a>
                })}
                // A plain form: signing out loads the sign-in page in full.
                <form method="post" action=logout_path>
                    <button type="submit" class="link-button">{t.sign_out}</button>
                </form>
            </div>
            <PreferenceSwitchers/>
        </nav>
    }
}

/// What a sidebar row is showing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RowMode {
    Link,
    Renaming,
    ConfirmingDelete,
}

/// One conversation: its link, Rename (in place) and Delete (confirmed).
#[component]
fn ConversationItem(summary: ConversationSummary, state: SidebarState) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let id = summary.id;
    let title = RwSignal::new(summary.title.clone());
    let mode = RwSignal::new(RowMode::Link);
    let draft = RwSignal::new(summary.title.clone());
    let error = RwSignal::new(None::<String>);
    let rename = ServerAction::<RenameConversation>::new();
    let delete = ServerAction::<DeleteConversation>::new();
    let SidebarState {
        current,
        open,
        renamed,
        list_changed,
        ..
    } = state;
    let is_current = move || current.get() == Some(id);

    Effect::new(move |_| match rename.value().get() {
        Some(Ok(stored)) => {
            title.set(stored.clone());
            renamed.run((id, stored));
            mode.set(RowMode::Link);
            error.set(None);
        }
        Some(Err(err)) => error.set(Some(err.message(lang))),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            mode.set(RowMode::Link);
            if current.get_untracked() == Some(id) {
                crate::nav::navigate("/");
            }
            list_changed.run(());
        }
        Some(Err(err)) => error.set(Some(err.message(lang))),
        None => {}
    });

    let rename_field = NodeRef::<leptos::html::Input>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    // Focus what the reader acts on next.
    Effect::new(move |_| match mode.get() {
        RowMode::Renaming => {
            if let Some(field) = rename_field.get() {
                let _ = field.focus();
                field.select();
            }
        }
        RowMode::ConfirmingDelete => {
            if let Some(button) = cancel_button.get() {
                let _ = button.focus();
            }
        }
        RowMode::Link => {}
    });
    let save = move || {
        rename.dispatch(RenameConversation {
            id,
            title: draft.get_untracked(),
        });
    };

    view! {
        <li class="conversation-item" class:current=is_current>
            {move || match mode.get() {
                RowMode::Link => view! {
                    <a
                        href=format!("/c/{id}")
                        class=move || if is_current() { "conversation current" } else { "conversation" }
                        aria-current=move || is_current().then_some("page")
                        title=move || title.get()
                        on:click=move |ev| {
                            open.set(false);
                            crate::nav::follow_link(&ev, &format!("/c/{id}"));
                        }
                    >
                        {move || title.get()}
                    </a>
                    <span class="row-actions">
                        <button
                            type="button"
                            class="icon-button rename"
                            aria-label=move || format!("{}: {}", t.rename, title.get())
                            title=t.rename
                            on:click=move |_| {
                                draft.set(title.get_untracked());
                                mode.set(RowMode::Renaming);
                            }
                        >
                            "✎"
                        </button>
                        <button
                            type="button"
                            class="icon-button delete"
                            aria-label=move || format!("{}: {}", t.delete, title.get())
                            title=t.delete
                            on:click=move |_| mode.set(RowMode::ConfirmingDelete)
                        >
                            "×"
                        </button>
                    </span>
                }
                .into_any(),
                RowMode::Renaming => view! {
                    <form
                        class="rename-form"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            save();
                        }
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                mode.set(RowMode::Link);
                            }
                        }
                    >
                        <input
                            node_ref=rename_field
                            aria-label=t.new_title
                            maxlength="200"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                        />
                        <button type="submit" class="small">{t.save}</button>
                        <button type="button" class="link-button" on:click=move |_| mode.set(RowMode::Link)>
                            {t.cancel}
                        </button>
                    </form>
                }
                .into_any(),
                RowMode::ConfirmingDelete => view! {
                    <div
                        class="confirm-delete"
                        role="alertdialog"
                        aria-label=t.delete_confirm
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                mode.set(RowMode::Link);
                            }
                        }
                    >
                        <p><strong>{t.delete_confirm}</strong>" "{t.delete_confirm_detail}</p>
                        <button
                            type="button"
                            class="danger confirm"
                            disabled=move || delete.pending().get()
                            on:click=move |_| {
                                delete.dispatch(DeleteConversation { id });
                            }
                        >
                            {t.delete}
                        </button>
                        <button
                            type="button"
                            class="link-button"
                            node_ref=cancel_button
                            on:click=move |_| mode.set(RowMode::Link)
                        >
                            {t.cancel}
                        </button>
                    </div>
                }
                .into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </li>
    }
}

/// Imports a JSON export picked from disk, then opens it.
#[component]
fn ImportButton(state: SidebarState) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let import = ServerAction::<ImportConversation>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match import.value().get() {
        Some(Ok(id)) => {
            error.set(None);
            state.list_changed.run(());
            crate::nav::navigate(&format!("/c/{id}"));
        }
        Some(Err(err)) => error.set(Some(err.message(lang))),
        None => {}
    });
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| {
                    let file = input.files().and_then(|files| files.get(0));
                    // The same file may be picked again later.
                    input.set_value("");
                    file
                });
            if let Some(file) = file {
                leptos::task::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        Ok(text) => {
                            import.dispatch(ImportConversation {
                                json: text.as_string().unwrap_or_default(),
                            });
                        }
                        Err(_) => error.set(Some(t.file_unreadable.to_string())),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <div class="import">
            <label class="import-label">
                <span>{t.import_json}</span>
                <input type="file" accept=".json,application/json" class="visually-hidden" on:change=on_file/>
            </label>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}
