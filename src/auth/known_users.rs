//! The accounts recent requests were signed in as, so a signed-in request
//! does not wait for the database to learn who it is.
//!
//! The app never changes or deletes an account once created; an entry still
//! expires after [`KnownUsers::TTL`], so an account removed by hand from the
//! database stops working within that time.

use crate::model::SessionUser;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Recently seen accounts by id.
#[derive(Debug, Default)]
pub struct KnownUsers {
    seen: Mutex<HashMap<i64, (SessionUser, Instant)>>,
}

impl KnownUsers {
    /// How long an account is trusted without asking the database again.
    pub const TTL: Duration = Duration::from_secs(30);
    /// Most accounts kept; past it the table starts over.
    pub const CAPACITY: usize = 10_000;

    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    fn seen(&self) -> MutexGuard<'_, HashMap<i64, (SessionUser, Instant)>> {
        // Plain data: a panic elsewhere while holding the lock leaves it usable.
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account `id`, when it was seen less than [`Self::TTL`] before `now`.
    pub fn get(&self, id: i64, now: Instant) -> Option<SessionUser> {
        let seen = self.seen();
        let (user, at) = seen.get(&id)?;
        (now.saturating_duration_since(*at) < Self::TTL).then(|| user.clone())
    }

    /// Remembers an account read from the database at `now`.
    pub fn remember(&self, user: &SessionUser, now: Instant) {
        let mut seen = self.seen();
        if seen.len() >= Self::CAPACITY && !seen.contains_key(&user.id) {
            seen.clear();
        }
        seen.insert(user.id, (user.clone(), now));
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
    fn an_account_is_trusted_for_the_ttl_only() {
        let known = KnownUsers::new();
        let start = Instant::now();
        assert_eq!(known.get(7, start), None, "never seen");
        known.remember(&ana(), start);
        assert_eq!(known.get(7, start + Duration::from_secs(29)), Some(ana()));
        assert_eq!(known.get(7, start + KnownUsers::TTL), None, "asks again");
        assert_eq!(known.get(8, start), None, "another account");
    }

    #[test]
    fn the_table_never_grows_past_its_capacity() {
        let known = KnownUsers::new();
        let now = Instant::now();
        for id in 0..(KnownUsers::CAPACITY as i64 + 5) {
            known.remember(&SessionUser { id, ..ana() }, now);
        }
        assert!(known.seen().len() <= KnownUsers::CAPACITY);
        assert!(known.get(KnownUsers::CAPACITY as i64 + 4, now).is_some());
    }
}
