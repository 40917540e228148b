//! The conversation list, the new-chat link and the account menu.

use crate::auth::api::Logout;
use crate::error::AppError;
use crate::model::{ConversationSummary, SessionUser};
use leptos::prelude::*;
use leptos_router::components::A;

/// The sidebar of the chat page.
#[component]
pub fn Sidebar(
    user: SessionUser,
    conversations: Resource<Result<Vec<ConversationSummary>, AppError>>,
    current: Memo<Option<i64>>,
) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <nav class="sidebar" aria-label="Conversations">
            <div class="brand">"Nexa Chat"</div>
            <A href="/" attr:class="new-chat">"+ New chat"</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match conversations.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No conversations yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="conversation-list">
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        let id = c.id;
                                        let title = c.title.clone();
                                        let is_current = move || current.get() == Some(id);
                                        view! {
                                            <li>
                                                <A
                                                    href=format!("/c/{id}")
                                                    attr:class=move || if is_current() { "conversation current" } else { "conversation" }
                                                    attr:title=title
                                                >
                                                    {c.title.clone()}
                                                </A>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => view! { <p class="form-error">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <div class="account">
                <span class="username">{user.username.clone()}</span>
                {user.is_admin.then(|| view! {
                    <span class="badge">"admin"</span>
                    <a href="/admin/diagnostics" class="admin-link">"Diagnostics"</a>
                })}
                <ActionForm action=logout>
                    <button type="submit" class="link-button">"Sign out"</button>
                </ActionForm>
            </div>
        </nav>
    }
}
