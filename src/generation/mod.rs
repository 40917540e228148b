//! Replies written by server tasks, not by the browser's request: a refresh,
//! a closed tab or a dropped network never loses one. Each conversation has
//! at most one live reply; any number of browsers follow it.

mod checkpoint;
mod live;
mod task;

pub use checkpoint::{spawn_checkpoints, SAVE_EVERY};
pub use live::{LiveReply, ReplyProgress};
pub use task::{run, GenerationJob};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// A conversation's place in the registry.
#[derive(Debug, Clone)]
enum Slot {
    /// A send of this account is storing its messages; the reply starts next.
    Reserved(UserId),
    /// A reply is being written for this account.
    Live(UserId, Arc<LiveReply>),
}

/// The account a reply is written for.
type UserId = i64;

impl Slot {
    fn user_id(&self) -> UserId {
        match self {
            Slot::Reserved(user_id) | Slot::Live(user_id, _) => *user_id,
        }
    }
}

/// Why a reply cannot start now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A reply is being written in this conversation.
    Busy,
    /// The account has as many replies being written as it may.
    TooManyForAccount,
    /// The server writes as many replies as it may, for everyone.
    ServerFull,
}

/// The replies being written right now, by conversation id. Replies the
/// JSON API streams have no conversation: they hold a key of their own,
/// below zero, so they count against the same limits.
#[derive(Debug, Default)]
pub struct Generations {
    live: Mutex<HashMap<i64, Slot>>,
    last_api_key: std::sync::atomic::AtomicI64,
}

/// How many replies may be written at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// For one account (`MAX_REPLIES_PER_ACCOUNT`).
    pub per_account: usize,
    /// For everyone (`MAX_REPLIES_IN_ALL`).
    pub in_all: usize,
}

impl Limits {
    /// No limit.
    pub const NONE: Limits = Limits {
        per_account: usize::MAX,
        in_all: usize::MAX,
    };
}

/// A conversation held for one send, from before its messages are stored
/// until its reply starts; dropped unused, it frees the conversation.
#[derive(Debug)]
pub struct Reservation {
    generations: Arc<Generations>,
    conversation_id: i64,
    user_id: UserId,
    started: bool,
}

impl Reservation {
    /// Turns the reservation into the live reply of `message_id`.
    pub fn start(mut self, message_id: i64) -> Arc<LiveReply> {
        let live = Arc::new(LiveReply::new(self.conversation_id, message_id));
        self.generations
            .map()
            .insert(self.conversation_id, Slot::Live(self.user_id, live.clone()));
        self.started = true;
        live
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if !self.started {
            let mut map = self.generations.map();
            if matches!(map.get(&self.conversation_id), Some(Slot::Reserved(_))) {
                map.remove(&self.conversation_id);
            }
        }
    }
}

impl Generations {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> MutexGuard<'_, HashMap<i64, Slot>> {
        // Plain data: a panic elsewhere while holding the lock leaves it usable.
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The live reply of a conversation.
    pub fn get(&self, conversation_id: i64) -> Option<Arc<LiveReply>> {
        match self.map().get(&conversation_id) {
            Some(Slot::Live(_, live)) => Some(live.clone()),
            _ => None,
        }
    }

    /// Whether a reply is being written or about to start in the conversation.
    pub fn is_live(&self, conversation_id: i64) -> bool {
        self.map().contains_key(&conversation_id)
    }

    /// Holds a conversation for one send, with no limit (see
    /// [`reserve_for`](Self::reserve_for)); `None` while a send or a reply holds it.
    pub fn reserve(self: &Arc<Self>, conversation_id: i64) -> Option<Reservation> {
        self.reserve_for(conversation_id, 0, Limits::NONE).ok()
    }

    /// Holds a conversation of `user_id` for one send, unless a send or a
    /// reply holds it, the account already has `limits.per_account` of
    /// them, or the server `limits.in_all`.
    pub fn reserve_for(
        self: &Arc<Self>,
        conversation_id: i64,
        user_id: i64,
        limits: Limits,
    ) -> Result<Reservation, Refused> {
        let mut map = self.map();
        if map.contains_key(&conversation_id) {
            return Err(Refused::Busy);
        }
        if map.len() >= limits.in_all {
            return Err(Refused::ServerFull);
        }
        let held = map.values().filter(|s| s.user_id() == user_id).count();
        if held >= limits.per_account {
            return Err(Refused::TooManyForAccount);
        }
        map.insert(conversation_id, Slot::Reserved(user_id));
        Ok(Reservation {
            generations: self.clone(),
            conversation_id,
            user_id,
            started: false,
        })
    }

    /// Holds a place for a reply the JSON API streams for `user_id`, under
    /// the same limits; the place is free again when the hold is dropped
    /// (the stream ended or its client left).
    pub fn hold_for_api(
        self: &Arc<Self>,
        user_id: i64,
        limits: Limits,
    ) -> Result<Reservation, Refused> {
        use std::sync::atomic::Ordering;
        let key = -1 - self.last_api_key.fetch_add(1, Ordering::Relaxed);
        self.reserve_for(key, user_id, limits)
    }

    /// Forgets a finished reply (only that one, not a newer one).
    pub fn remove(&self, live: &Arc<LiveReply>) {
        let mut map = self.map();
        if matches!(map.get(&live.conversation_id), Some(Slot::Live(_, current)) if Arc::ptr_eq(current, live))
        {
            map.remove(&live.conversation_id);
        }
    }

    /// Asks the conversation's live reply to stop; false when none runs.
    pub fn stop(&self, conversation_id: i64) -> bool {
        match self.get(conversation_id) {
            Some(live) => {
                live.stop();
                true
            }
            None => false,
        }
    }

    /// A conversation was deleted: its live reply is asked to stop and is no
    /// longer the conversation's. SQLite may give a deleted conversation's id
    /// to the next new one, which must neither wait for nor be shown the
    /// old reply. A send still holding the id is left to find the
    /// conversation gone.
    pub fn forget(&self, conversation_id: i64) {
        let mut map = self.map();
        if let Some(Slot::Live(_, live)) = map.get(&conversation_id) {
            live.stop();
            map.remove(&conversation_id);
        }
    }

    /// Stops every live reply of account `user_id` (it was disabled); they
    /// are kept as stopped.
    pub fn stop_user(&self, user_id: i64) {
        for slot in self.map().values() {
            if let Slot::Live(owner, live) = slot {
                if *owner == user_id {
                    live.stop();
                }
            }
        }
    }

    /// Forgets every live reply of account `user_id` (it was deleted), as
    /// [`forget`](Self::forget) does for one conversation.
    pub fn forget_user(&self, user_id: i64) {
        let mut map = self.map();
        map.retain(|_, slot| match slot {
            Slot::Live(owner, live) if *owner == user_id => {
                live.stop();
                false
            }
            _ => true,
        });
    }

    /// Stops every live reply (at shutdown).
    pub fn stop_all(&self) {
        for slot in self.map().values() {
            if let Slot::Live(_, live) = slot {
                live.stop();
            }
        }
    }

    /// The replies being written.
    pub fn live_replies(&self) -> Vec<Arc<LiveReply>> {
        self.map()
            .values()
            .filter_map(|slot| match slot {
                Slot::Live(_, live) => Some(live.clone()),
                Slot::Reserved(_) => None,
            })
            .collect()
    }

    /// How many replies are being written.
    pub fn count(&self) -> usize {
        self.map().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_each(in_all: usize) -> Limits {
        Limits {
            per_account: 2,
            in_all,
        }
    }

    #[test]
    fn an_account_holds_at_most_its_limit_of_replies() {
        let g = Arc::new(Generations::new());
        let limits = two_each(100);
        let a = g.reserve_for(1, 7, limits).expect("first");
        let _b = g.reserve_for(2, 7, limits).expect("second").start(20);
        assert_eq!(
            g.reserve_for(3, 7, limits).err(),
            Some(Refused::TooManyForAccount)
        );
        // Another account is not held back by this one.
        assert!(g.reserve_for(4, 8, limits).is_ok());
        assert_eq!(g.reserve_for(2, 8, limits).err(), Some(Refused::Busy));
        drop(a);
        assert!(
            g.reserve_for(3, 7, limits).is_ok(),
            "a freed slot counts again"
        );
    }

    #[test]
    fn the_server_holds_at_most_its_limit_and_api_streams_count() {
        let g = Arc::new(Generations::new());
        let limits = two_each(3);
        let _a = g.reserve_for(1, 7, limits).expect("ana's chat");
        let api = g.hold_for_api(7, limits).expect("ana's API stream");
        assert_eq!(
            g.hold_for_api(7, limits).err(),
            Some(Refused::TooManyForAccount),
            "API streams count against the account"
        );
        let _b = g.reserve_for(2, 8, limits).expect("bob's chat");
        assert_eq!(g.reserve_for(3, 9, limits).err(), Some(Refused::ServerFull));
        assert_eq!(g.hold_for_api(9, limits).err(), Some(Refused::ServerFull));
        drop(api);
        assert!(
            g.hold_for_api(9, limits).is_ok(),
            "the API stream's place is free"
        );
    }

    #[test]
    fn one_send_or_reply_per_conversation() {
        let g = Arc::new(Generations::new());
        let held = g.reserve(1).expect("first");
        assert!(g.reserve(1).is_none(), "a second send waits its turn");
        assert!(g.get(1).is_none(), "nothing to follow yet");
        let first = held.start(10);
        assert!(g.reserve(1).is_none());
        assert_eq!(g.get(1).map(|l| l.message_id), Some(10));
        let _other = g.reserve(2).expect("another chat").start(12);
        g.remove(&first);
        assert!(!g.is_live(1));
        assert_eq!(g.count(), 1);
    }

    #[test]
    fn an_unused_reservation_frees_the_chat() {
        let g = Arc::new(Generations::new());
        drop(g.reserve(1).expect("held"));
        assert!(g.reserve(1).is_some());
    }

    #[test]
    fn a_deleted_chats_reply_stops_and_its_id_is_free() {
        let g = Arc::new(Generations::new());
        let old = g.reserve(1).expect("first").start(10);
        g.forget(1);
        assert!(*old.stop_signal().borrow(), "its task is asked to stop");
        assert!(g.get(1).is_none(), "nobody follows it any more");
        let _new = g.reserve(1).expect("a new chat with the same id").start(11);
        // The old task ending forgets only itself.
        g.remove(&old);
        assert_eq!(g.get(1).map(|l| l.message_id), Some(11));
    }

    #[test]
    fn removing_an_old_reply_keeps_the_new_one() {
        let g = Arc::new(Generations::new());
        let old = g.reserve(1).expect("first").start(10);
        g.remove(&old);
        let _new = g.reserve(1).expect("second").start(11);
        g.remove(&old);
        assert!(g.is_live(1));
    }
}
