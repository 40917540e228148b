//! The chat page's state and what can happen to it, in one place: the view
//! (`chat.rs`) reads these signals and calls these methods.
//!
//! What the server answers is applied to what the page already holds: a
//! send adds its two stored messages, a finished reply replaces its live
//! copy, a rename changes the title, and the sidebar moves the chat to the
//! top. Only opening another chat, "Show earlier", Retry and Edit (which
//! remove later messages on the server) fetch the conversation again; only a
//! delete or an import fetches the list again. The rules are plain
//! functions at the end, tested without a browser.

use crate::chat::api::{
    get_conversation, list_providers, search_conversations, EditMessage, RetryReply, SendMessage,
    StopReply, RECENT_MESSAGES,
};
use crate::components::follow::{apply_text, follow, FollowEvent, FollowHandle};
use crate::error::AppError;
use crate::model::{
    ChatMessage, Conversation, ConversationSummary, MessageStatus, ProviderInfo, Role, SendOutcome,
};
use leptos::prelude::*;

/// The open conversation as the page holds it (`None`: a new chat).
pub type OpenConversation = Resource<Result<Option<Conversation>, AppError>>;

/// The chat page's state and actions.
#[derive(Clone, Copy)]
pub struct ChatController {
    /// The conversation in the address (`None`: a new chat).
    pub conversation_id: Memo<Option<i64>>,
    /// The open conversation.
    pub conversation: OpenConversation,
    /// The sidebar's list (all chats, or the search results).
    pub conversations: Resource<Result<Vec<ConversationSummary>, AppError>>,
    /// The configured providers.
    pub providers: Resource<Result<Vec<ProviderInfo>, AppError>>,
    /// The sidebar's search text.
    pub query: RwSignal<String>,
    /// How many of the latest messages are shown; "Show earlier" raises it.
    pub limit: RwSignal<u32>,
    /// The provider picked.
    pub provider: RwSignal<String>,
    /// The model picked for this conversation; empty: the provider's default.
    pub model: RwSignal<String>,
    /// The message being sent, shown until its stored copy arrives.
    pub pending: RwSignal<Option<String>>,
    /// Why the last send, retry or edit was refused.
    pub send_error: RwSignal<Option<String>>,
    /// The composer's text.
    pub draft: RwSignal<String>,
    /// The reply being written in this conversation, as it streams in.
    pub live: RwSignal<Option<ChatMessage>>,
    /// Id of [`live`](Self::live).
    pub live_id: Memo<Option<i64>>,
    /// What the live reply waits for (a model loading), shown in its place.
    pub live_status: RwSignal<Option<String>>,
    /// Bumped to fetch the open conversation again.
    conversation_version: RwSignal<u32>,
    /// Bumped to fetch the list again.
    list_version: RwSignal<u32>,
    following: StoredValue<Option<FollowHandle>>,
    /// The conversation the last send was made from (`None`: a new chat).
    sent_from: StoredValue<Option<i64>>,
    /// The conversation a send from a new chat opened (its message stays shown).
    arriving: StoredValue<Option<i64>>,
    send: ServerAction<SendMessage>,
    retry: ServerAction<RetryReply>,
    edit: ServerAction<EditMessage>,
    stop: ServerAction<StopReply>,
}

impl ChatController {
    /// The page's state, loading the conversation in the address.
    pub fn new() -> Self {
        let path = crate::nav::current_path();
        let conversation_id = Memo::new(move |_| crate::nav::conversation_in(&path.get()));
        let query = RwSignal::new(String::new());
        let list_version = RwSignal::new(0u32);
        let conversations = Resource::new(
            move || (list_version.get(), query.get()),
            |(_, query)| search_conversations(query),
        );
        let limit = RwSignal::new(RECENT_MESSAGES);
        let conversation_version = RwSignal::new(0u32);
        let conversation = Resource::new(
            move || {
                (
                    conversation_id.get(),
                    conversation_version.get(),
                    limit.get(),
                )
            },
            |(id, _, limit)| async move {
                match id {
                    Some(id) => get_conversation(id, Some(limit)).await.map(Some),
                    None => Ok(None),
                }
            },
        );
        let live = RwSignal::new(None::<ChatMessage>);
        ChatController {
            conversation_id,
            conversation,
            conversations,
            providers: Resource::new(|| (), |_| list_providers()),
            query,
            limit,
            provider: RwSignal::new(crate::model_defaults::DEFAULT_PROVIDER.to_string()),
            model: RwSignal::new(String::new()),
            pending: RwSignal::new(None),
            send_error: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            live,
            live_id: Memo::new(move |_| live.with(|m| m.as_ref().map(|m| m.id))),
            live_status: RwSignal::new(None),
            conversation_version,
            list_version,
            following: StoredValue::new(None),
            sent_from: StoredValue::new(None),
            arriving: StoredValue::new(None),
            send: ServerAction::new(),
            retry: ServerAction::new(),
            edit: ServerAction::new(),
            stop: ServerAction::new(),
        }
    }

    /// A send, retry or edit is on its way to the server.
    pub fn requesting(&self) -> bool {
        self.send.pending().get() || self.retry.pending().get() || self.edit.pending().get()
    }

    /// A reply is being written.
    pub fn generating(&self) -> bool {
        self.live.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.status == MessageStatus::Streaming)
        })
    }

    fn picked_model(&self) -> Option<String> {
        Some(self.model.get_untracked()).filter(|m| !m.trim().is_empty())
    }

    /// Sends `text` to the open conversation (or a new one).
    pub fn send(&self, text: String) {
        self.send_error.set(None);
        self.sent_from
            .set_value(self.conversation_id.get_untracked());
        self.pending.set(Some(text.clone()));
        self.send.dispatch(SendMessage {
            conversation_id: self.conversation_id.get_untracked(),
            provider: self.provider.get_untracked(),
            model: self.picked_model(),
            content: text,
        });
    }

    /// Stops the reply being written.
    pub fn stop(&self) {
        if let Some(id) = self.conversation_id.get_untracked() {
            self.stop.dispatch(StopReply {
                conversation_id: id,
            });
        }
    }

    /// Retries a failed reply or regenerates the last one.
    pub fn retry(&self) {
        if let Some(id) = self.conversation_id.get_untracked() {
            self.send_error.set(None);
            self.retry.dispatch(RetryReply {
                conversation_id: id,
                provider: self.provider.get_untracked(),
                model: self.picked_model(),
            });
        }
    }

    /// Edits a message of the user's and sends it again.
    pub fn edit(&self, message_id: i64, content: String) {
        if let Some(id) = self.conversation_id.get_untracked() {
            self.send_error.set(None);
            self.edit.dispatch(EditMessage {
                conversation_id: id,
                message_id,
                content,
                provider: self.provider.get_untracked(),
                model: self.picked_model(),
            });
        }
    }

    /// Shows more of the conversation's older messages.
    pub fn show_earlier(&self) {
        self.limit
            .update(|l| *l = l.saturating_add(RECENT_MESSAGES * 5));
    }

    /// Another conversation opens as if the page had just loaded it: its
    /// latest messages, nothing of the one before (its reply, its error).
    fn opened(&self, id: Option<i64>) {
        self.limit.set(RECENT_MESSAGES);
        self.send_error.set(None);
        self.following.set_value(None);
        self.live.set(None);
        self.live_status.set(None);
        let opened_by_send = self.arriving.get_value().is_some_and(|a| Some(a) == id);
        if !opened_by_send {
            self.pending.set(None);
        }
        self.arriving.set_value(None);
    }

    /// What a send answered.
    fn sent(&self, result: Result<SendOutcome, AppError>, lang: crate::i18n::Lang) {
        match result {
            Ok(outcome) => {
                self.send_error.set(None);
                let here = self.conversation_id.get_untracked();
                if here == Some(outcome.conversation_id) {
                    // The open chat gains both stored messages at once, and
                    // remembers the provider and model they were sent to.
                    let (provider, model) = (self.provider.get_untracked(), self.picked_model());
                    self.conversation.update(|loaded| {
                        if let Some(Ok(Some(conversation))) = loaded {
                            add_turn(conversation, &outcome);
                            conversation.summary.provider = provider;
                            conversation.summary.model = model;
                        }
                    });
                    self.pending.set(None);
                    self.move_to_top(outcome.conversation_id);
                } else if self.sent_from.get_value().is_none() && here.is_none() {
                    // Sent from a new chat: open the conversation it started,
                    // unless the person has moved to another chat meanwhile.
                    self.arriving.set_value(Some(outcome.conversation_id));
                    crate::nav::navigate(&format!("/c/{}", outcome.conversation_id));
                }
            }
            Err(err) => {
                // Nothing was stored: give the text back so nothing is lost.
                if let Some(text) = self.pending.get_untracked() {
                    self.draft.set(text);
                }
                self.pending.set(None);
                self.send_error.set(Some(err.message(lang)));
            }
        }
    }

    /// What a retry or an edit answered: the server replaced later
    /// messages, so the conversation comes again.
    fn answered_again(&self, result: Result<ChatMessage, AppError>, lang: crate::i18n::Lang) {
        if let Err(err) = result {
            self.send_error.set(Some(err.message(lang)));
        }
        self.conversation_version.update(|n| *n += 1);
        if let Some(id) = self.conversation_id.get_untracked() {
            self.move_to_top(id);
        }
    }

    /// The reply being written ended as `message` (as stored): it takes
    /// its place in the conversation.
    fn finished(&self, message: Option<ChatMessage>) {
        self.following.set_value(None);
        self.live_status.set(None);
        match message {
            Some(message) if message.status != MessageStatus::Streaming => {
                let mut replaced = false;
                self.conversation.update(|loaded| {
                    if let Some(Ok(Some(conversation))) = loaded {
                        replaced = replace_message(conversation, message.clone());
                    }
                });
                self.live.set(None);
                if !replaced {
                    self.conversation_version.update(|n| *n += 1);
                }
            }
            // The reply is gone (its chat was deleted) or still unknown.
            _ => {
                self.live.set(None);
                self.conversation_version.update(|n| *n += 1);
            }
        }
    }

    /// Follows the reply whenever the loaded conversation ends with one
    /// being written: after Send or Retry, after a reload, in a second tab.
    fn follow_loaded(&self) {
        let Some(Ok(loaded)) = self.conversation.get() else {
            return;
        };
        if let Some(conversation) = &loaded {
            self.list_has(&conversation.summary);
        }
        let streaming = loaded.as_ref().and_then(|c| {
            c.messages
                .last()
                .filter(|m| m.role == Role::Assistant && m.status == MessageStatus::Streaming)
                .cloned()
                .map(|m| (c.summary.id, m))
        });
        let Some((conversation_id, message)) = streaming else {
            self.following.set_value(None);
            self.live.set(None);
            return;
        };
        let already = self.following.with_value(Option::is_some)
            && self.live_id.get_untracked() == Some(message.id);
        if already {
            return;
        }
        self.live.set(Some(message));
        let this = *self;
        let handle = follow(conversation_id, move |event| match event {
            FollowEvent::Status(line) => this.live_status.set(line.map(|l| l.text)),
            FollowEvent::Done(message) => this.finished(message),
            FollowEvent::Lost => {
                this.following.set_value(None);
                this.conversation_version.update(|n| *n += 1);
            }
            text => this.live.update(|m| {
                if let Some(m) = m {
                    apply_text(m, &text);
                }
            }),
        });
        self.following.set_value(handle);
    }

    /// A chat was renamed (its row already shows the new title): what the
    /// page holds learns it too, without drawing the list again (the row
    /// that asked would be replaced while it runs).
    pub fn renamed(&self, id: i64, title: String) {
        self.conversations.update_untracked(|list| {
            if let Some(Ok(list)) = list {
                rename_in(list, id, &title);
            }
        });
        self.conversation.update_untracked(|loaded| {
            if let Some(Ok(Some(conversation))) = loaded {
                if conversation.summary.id == id {
                    conversation.summary.title = title.clone();
                }
            }
        });
    }

    /// Chats were deleted or imported: the list comes again.
    pub fn list_changed(&self) {
        self.list_version.update(|n| *n += 1);
    }

    /// The chat `id` was just written to: first in the list.
    fn move_to_top(&self, id: i64) {
        if !self.query.get_untracked().trim().is_empty() {
            return; // search results keep their ranking
        }
        self.conversations.update(|list| {
            if let Some(Ok(list)) = list {
                to_top(list, id);
            }
        });
    }

    /// A conversation that opened and is missing from the list (started by
    /// a send from a new chat) joins it at the top.
    fn list_has(&self, summary: &ConversationSummary) {
        if !self.query.get_untracked().trim().is_empty() {
            return;
        }
        let missing = self.conversations.with_untracked(
            |list| matches!(list, Some(Ok(list)) if !list.iter().any(|c| c.id == summary.id)),
        );
        if missing {
            self.conversations.update(|list| {
                if let Some(Ok(list)) = list {
                    list.insert(0, summary.clone());
                }
            });
        }
    }

    /// Wires the reactions: a new chat opened, a loaded conversation to
    /// follow or pick the provider from, the answers of the actions. Call
    /// once, in the page's component.
    pub fn run(&self, lang: crate::i18n::Lang) {
        let this = *self;
        Effect::watch(
            move || this.conversation_id.get(),
            move |id, _, _| this.opened(*id),
            false,
        );

        // An EventSource opened before the window's load event keeps the
        // page "loading" until the reply ends: wait for it.
        let page_loaded = RwSignal::new(false);
        #[cfg(feature = "hydrate")]
        if document().ready_state() == "complete" {
            page_loaded.set(true);
        } else {
            let listener = window_event_listener_untyped("load", move |_| page_loaded.set(true));
            on_cleanup(move || listener.remove());
        }
        Effect::new(move |_| {
            if page_loaded.get() {
                this.follow_loaded();
            }
        });

        // A loaded conversation brings back the provider and model it used
        // (a memo: updates of its messages leave the picker alone).
        let chosen = Memo::new(move |_| {
            this.conversation.with(|loaded| match loaded {
                Some(Ok(Some(c))) => Some((c.summary.provider.clone(), c.summary.model.clone())),
                _ => None,
            })
        });
        Effect::new(move |_| {
            if let Some((provider, model)) = chosen.get() {
                this.provider.set(provider);
                this.model.set(model.unwrap_or_default());
            }
        });

        Effect::new(move |_| {
            if let Some(result) = this.send.value().get() {
                this.sent(result, lang);
            }
        });
        Effect::new(move |_| {
            if let Some(result) = this.retry.value().get() {
                this.answered_again(result, lang);
            }
        });
        Effect::new(move |_| {
            if let Some(result) = this.edit.value().get() {
                this.answered_again(result, lang);
            }
        });
        // A fresh copy of the conversation arrived: it holds the sent message.
        Effect::watch(
            move || {
                this.conversation.with(|loaded| {
                    loaded.as_ref().map(|r| {
                        r.as_ref()
                            .ok()
                            .and_then(Option::as_ref)
                            .map(|c| c.messages.len())
                    })
                })
            },
            move |_, _, _| this.pending.set(None),
            false,
        );
    }
}

impl Default for ChatController {
    fn default() -> Self {
        Self::new()
    }
}

/// Adds a sent turn (the user's message and the reply being written) to
/// the conversation, unless it is already there (a fetch raced the send).
pub fn add_turn(conversation: &mut Conversation, outcome: &SendOutcome) {
    for message in [&outcome.user_message, &outcome.reply] {
        if !conversation.messages.iter().any(|m| m.id == message.id) {
            conversation.messages.push(message.clone());
        }
    }
}

/// Puts a finished reply in place of its copy; `false` when the
/// conversation does not hold it.
pub fn replace_message(conversation: &mut Conversation, message: ChatMessage) -> bool {
    match conversation
        .messages
        .iter_mut()
        .find(|m| m.id == message.id)
    {
        Some(held) => {
            *held = message;
            true
        }
        None => false,
    }
}

/// Moves the chat `id` to the top of the list (newest first).
pub fn to_top(list: &mut Vec<ConversationSummary>, id: i64) {
    if let Some(at) = list.iter().position(|c| c.id == id) {
        let summary = list.remove(at);
        list.insert(0, summary);
    }
}

/// Gives the chat `id` its new title in the list.
pub fn rename_in(list: &mut [ConversationSummary], id: i64, title: &str) {
    for summary in list.iter_mut().filter(|c| c.id == id) {
        summary.title = title.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: i64, title: &str) -> ConversationSummary {
        ConversationSummary {
            id,
            title: title.into(),
            provider: "local".into(),
            model: None,
            updated_at: String::new(),
        }
    }

    fn conversation(messages: Vec<ChatMessage>) -> Conversation {
        Conversation {
            summary: summary(7, "chat"),
            messages,
            earlier: 0,
            settings: Default::default(),
        }
    }

    fn outcome() -> SendOutcome {
        SendOutcome {
            conversation_id: 7,
            user_message: ChatMessage::new(3, Role::User, "hola", MessageStatus::Complete),
            reply: ChatMessage::new(4, Role::Assistant, "", MessageStatus::Streaming),
        }
    }

    #[test]
    fn a_sent_turn_is_added_once() {
        let mut conv = conversation(vec![ChatMessage::new(
            1,
            Role::User,
            "a",
            MessageStatus::Complete,
        )]);
        add_turn(&mut conv, &outcome());
        // A fetch that already brought them does not double them.
        add_turn(&mut conv, &outcome());
        let ids: Vec<i64> = conv.messages.iter().map(|m| m.id).collect();
        assert_eq!(ids, [1, 3, 4]);
        assert_eq!(conv.messages[2].status, MessageStatus::Streaming);
    }

    #[test]
    fn a_finished_reply_takes_its_copys_place() {
        let mut conv = conversation(Vec::new());
        add_turn(&mut conv, &outcome());
        let done = ChatMessage::new(4, Role::Assistant, "¡Hola!", MessageStatus::Complete);
        assert!(replace_message(&mut conv, done.clone()));
        assert_eq!(conv.messages[1], done);
        let stranger = ChatMessage::new(9, Role::Assistant, "x", MessageStatus::Complete);
        assert!(!replace_message(&mut conv, stranger));
        assert_eq!(conv.messages.len(), 2);
    }

    #[test]
    fn the_list_moves_and_renames_in_place() {
        let mut list = vec![summary(1, "one"), summary(2, "two"), summary(3, "three")];
        to_top(&mut list, 3);
        to_top(&mut list, 42);
        let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
        assert_eq!(ids, [3, 1, 2]);
        rename_in(&mut list, 1, "uno");
        assert_eq!(list[1].title, "uno");
    }
}
