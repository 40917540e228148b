//! Replies written by server tasks, not by the browser's request: a refresh,
//! a closed tab or a dropped network never loses one. Each conversation has
//! at most one live reply; any number of browsers follow it.

mod live;
mod task;

pub use live::{LiveReply, ReplyProgress};
pub use task::{run, GenerationJob};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The replies being written right now, by conversation id.
#[derive(Debug, Default)]
pub struct Generations {
    live: Mutex<HashMap<i64, Arc<LiveReply>>>,
}

impl Generations {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> MutexGuard<'_, HashMap<i64, Arc<LiveReply>>> {
        // Plain data: a panic elsewhere while holding the lock leaves it usable.
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The live reply of a conversation.
    pub fn get(&self, conversation_id: i64) -> Option<Arc<LiveReply>> {
        self.map().get(&conversation_id).cloned()
    }

    /// Whether a reply is being written in the conversation.
    pub fn is_live(&self, conversation_id: i64) -> bool {
        self.map().contains_key(&conversation_id)
    }

    /// Registers a new live reply; `None` when the conversation already has one.
    pub fn start(&self, conversation_id: i64, message_id: i64) -> Option<Arc<LiveReply>> {
        let mut map = self.map();
        if map.contains_key(&conversation_id) {
            return None;
        }
        let live = Arc::new(LiveReply::new(conversation_id, message_id));
        map.insert(conversation_id, live.clone());
        Some(live)
    }

    /// Forgets a finished reply (only that one, not a newer one).
    pub fn remove(&self, live: &Arc<LiveReply>) {
        let mut map = self.map();
        if map
            .get(&live.conversation_id)
            .is_some_and(|current| Arc::ptr_eq(current, live))
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

    /// Stops every live reply (at shutdown).
    pub fn stop_all(&self) {
        for live in self.map().values() {
            live.stop();
        }
    }

    /// How many replies are being written.
    pub fn count(&self) -> usize {
        self.map().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_live_reply_per_conversation() {
        let g = Generations::new();
        let first = g.start(1, 10).expect("first");
        assert!(g.start(1, 11).is_none());
        assert!(g.start(2, 12).is_some());
        g.remove(&first);
        assert!(!g.is_live(1));
        assert_eq!(g.count(), 1);
    }

    #[test]
    fn removing_an_old_reply_keeps_the_new_one() {
        let g = Generations::new();
        let old = g.start(1, 10).expect("first");
        g.remove(&old);
        let _new = g.start(1, 11).expect("second");
        g.remove(&old);
        assert!(g.is_live(1));
    }
}
