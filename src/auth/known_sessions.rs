//! The sessions recent requests came with, so a signed-in request does not
//! wait for the database to learn who it is.
//!
//! Whatever ends a session or changes an account here (sign-out, password
//! change, the admin) forgets it at once, so it takes effect on the next
//! request. An entry still expires after [`KnownSessions::TTL`], so a change
//! made by hand in the database takes effect within that time.
//!
//! A request that read a session from the database just before it ended
//! must not put it back afterwards: every forget moves an epoch on, and a
//! session read under an older epoch is not remembered.

use crate::model::SessionUser;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Recently checked sessions by session id.
#[derive(Debug, Default)]
pub struct KnownSessions {
    seen: Mutex<HashMap<String, (SessionUser, Instant)>>,
    /// Moves on at every forget (read and compared under the `seen` lock).
    epoch: std::sync::atomic::AtomicU64,
}

/// When a session was read from the database, for [`KnownSessions::remember`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epoch(u64);

impl KnownSessions {
    /// How long a session is trusted without asking the database again.
    pub const TTL: Duration = Duration::from_secs(30);
    /// Most sessions kept; past it the table starts over.
    pub const CAPACITY: usize = 10_000;

    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    fn seen(&self) -> MutexGuard<'_, HashMap<String, (SessionUser, Instant)>> {
        // Plain data: a panic elsewhere while holding the lock leaves it usable.
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account of session `sid`, when checked less than [`Self::TTL`]
    /// before `now`.
    pub fn get(&self, sid: &str, now: Instant) -> Option<SessionUser> {
        let seen = self.seen();
        let (user, at) = seen.get(sid)?;
        (now.saturating_duration_since(*at) < Self::TTL).then(|| user.clone())
    }

    /// The epoch to read a session under: take it before asking the
    /// database.
    pub fn epoch(&self) -> Epoch {
        let _seen = self.seen();
        Epoch(self.epoch.load(std::sync::atomic::Ordering::SeqCst))
    }

    /// Remembers a session read from the database under `read_at` (see
    /// [`Self::epoch`]) at `now`, unless something was forgotten since.
    pub fn remember(&self, sid: &str, user: &SessionUser, read_at: Epoch, now: Instant) {
        let mut seen = self.seen();
        if self.epoch.load(std::sync::atomic::Ordering::SeqCst) != read_at.0 {
            return;
        }
        if seen.len() >= Self::CAPACITY && !seen.contains_key(sid) {
            seen.clear();
        }
        seen.insert(sid.to_string(), (user.clone(), now));
    }

    /// Forgets session `sid` (it ended).
    pub fn forget(&self, sid: &str) {
        let mut seen = self.seen();
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        seen.remove(sid);
    }

    /// Forgets every session of account `user_id` (they ended, or the
    /// account changed).
    pub fn forget_user(&self, user_id: i64) {
        let mut seen = self.seen();
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        seen.retain(|_, (user, _)| user.id != user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> SessionUser {
        SessionUser {
            id: 7,
            username: "ana".into(),
            is_admin: false,
        }
    }

    #[test]
    fn a_session_is_trusted_for_the_ttl_only() {
        let known = KnownSessions::new();
        let start = Instant::now();
        assert_eq!(known.get("s1", start), None, "never seen");
        known.remember("s1", &ana(), known.epoch(), start);
        assert_eq!(
            known.get("s1", start + Duration::from_secs(29)),
            Some(ana())
        );
        assert_eq!(
            known.get("s1", start + KnownSessions::TTL),
            None,
            "asks again"
        );
        assert_eq!(known.get("s2", start), None, "another session");
    }

    #[test]
    fn ended_sessions_and_changed_accounts_are_forgotten_at_once() {
        let known = KnownSessions::new();
        let now = Instant::now();
        let bea = SessionUser {
            id: 8,
            username: "bea".into(),
            is_admin: false,
        };
        known.remember("a1", &ana(), known.epoch(), now);
        known.remember("a2", &ana(), known.epoch(), now);
        known.remember("b1", &bea, known.epoch(), now);
        known.forget("a1");
        assert_eq!(known.get("a1", now), None);
        assert_eq!(known.get("a2", now), Some(ana()));
        known.forget_user(7);
        assert_eq!(known.get("a2", now), None);
        assert_eq!(known.get("b1", now), Some(bea), "other accounts stay");
    }

    #[test]
    fn a_session_read_before_it_ended_is_not_put_back() {
        let known = KnownSessions::new();
        let now = Instant::now();
        // A request reads the session from the database...
        let read_at = known.epoch();
        // ...the account is disabled meanwhile...
        known.forget_user(7);
        // ...and the request must not bring the session back.
        known.remember("s1", &ana(), read_at, now);
        assert_eq!(known.get("s1", now), None);
        known.remember("s1", &ana(), known.epoch(), now);
        assert_eq!(known.get("s1", now), Some(ana()), "a fresh read is kept");
    }

    #[test]
    fn the_table_never_grows_past_its_capacity() {
        let known = KnownSessions::new();
        let now = Instant::now();
        for n in 0..(KnownSessions::CAPACITY + 5) {
            known.remember(&format!("s{n}"), &ana(), known.epoch(), now);
        }
        assert!(known.seen().len() <= KnownSessions::CAPACITY);
        let last = format!("s{}", KnownSessions::CAPACITY + 4);
        assert!(known.get(&last, now).is_some());
    }
}
