//! Failed sign-ins, counted per account and per client address with
//! `governor` (GCRA): a burst of `limit` failures, then one more every
//! `window / limit`. Past that, the account or address is locked: every
//! attempt answers 429 with `Retry-After`, the right password too, and no
//! password is checked at all (so guessing costs the server nothing).
//!
//! Only failures count: someone who signs in often is never locked out.
//! governor cannot look without counting, so the lock itself is kept here:
//! the time governor gave when it refused a failure.

use governor::clock::{Clock, DefaultClock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The time over which `limit` failures are allowed.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// What failures are counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    /// An account name, lowercased (names are case-insensitive).
    Account(String),
    /// A client address; IPv6 by its /64, which one client usually holds
    /// whole.
    Address(IpAddr),
}

impl ThrottleKey {
    /// The key of the account name typed in a sign-in form.
    pub fn account(username: &str) -> ThrottleKey {
        // Names are at most 32 characters; a longer one is counted by its
        // start, so a hostile name cannot make the table large.
        let name: String = username.trim().chars().take(64).collect();
        ThrottleKey::Account(name.to_lowercase())
    }

    /// The key of a client address.
    pub fn address(ip: IpAddr) -> ThrottleKey {
        let ip = match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let bits = u128::from(v6) & !((1u128 << 64) - 1);
                    IpAddr::V6(bits.into())
                }
            },
            v4 => v4,
        };
        ThrottleKey::Address(ip)
    }
}

type Limiter<C> = RateLimiter<
    ThrottleKey,
    DashMapStateStore<ThrottleKey>,
    C,
    NoOpMiddleware<<C as Clock>::Instant>,
>;

/// Failed sign-ins and the locks they caused.
#[derive(Debug)]
pub struct LoginThrottle<C: Clock = DefaultClock> {
    per_account: Limiter<C>,
    per_address: Limiter<C>,
    locked: Mutex<HashMap<ThrottleKey, C::Instant>>,
    clock: C,
}

/// Most locks kept; past it the expired ones are dropped.
const LOCKS_KEPT: usize = 100_000;

fn quota(limit: u32) -> Quota {
    let limit = NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN);
    let period = WINDOW / limit.get();
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(limit)
}

impl LoginThrottle<DefaultClock> {
    /// Allows `per_account` failures per account and `per_address` per
    /// client address in [`WINDOW`].
    pub fn new(per_account: u32, per_address: u32) -> Self {
        Self::with_clock(per_account, per_address, DefaultClock::default())
    }
}

impl<C: Clock + Clone> LoginThrottle<C> {
    /// As [`LoginThrottle::new`], on `clock` (tests move a fake one).
    pub fn with_clock(per_account: u32, per_address: u32, clock: C) -> Self {
        LoginThrottle {
            per_account: RateLimiter::dashmap_with_clock(quota(per_account), clock.clone()),
            per_address: RateLimiter::dashmap_with_clock(quota(per_address), clock.clone()),
            locked: Mutex::new(HashMap::new()),
            clock,
        }
    }

    fn locked(&self) -> MutexGuard<'_, HashMap<ThrottleKey, C::Instant>> {
        self.locked.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long until any of `keys` may try again; `None` when none is
    /// locked.
    pub fn locked_for(&self, keys: &[ThrottleKey]) -> Option<Duration> {
        let now = self.clock.now();
        let locked = self.locked();
        keys.iter()
            .filter_map(|key| locked.get(key))
            .map(|until| Duration::from(until.duration_since(now)))
            .filter(|wait| !wait.is_zero())
            .max()
    }

    /// Counts a failed sign-in against `keys`; returns how long they are
    /// locked when this failure was one too many.
    pub fn failed(&self, keys: &[ThrottleKey]) -> Option<Duration> {
        let now = self.clock.now();
        let mut longest: Option<Duration> = None;
        for key in keys {
            let limiter = match key {
                ThrottleKey::Account(_) => &self.per_account,
                ThrottleKey::Address(_) => &self.per_address,
            };
            if let Err(refused) = limiter.check_key(key) {
                let until = refused.earliest_possible();
                let mut locked = self.locked();
                if locked.len() >= LOCKS_KEPT {
                    locked.retain(|_, until| *until > now);
                }
                locked.insert(key.clone(), until);
                let wait = refused.wait_time_from(now);
                longest = Some(longest.map_or(wait, |l| l.max(wait)));
            }
        }
        longest
    }

    /// Drops what no longer matters: counts back to full and ended locks.
    /// Run now and then, so the tables hold recent failures only.
    pub fn forget_old(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
        let now = self.clock.now();
        self.locked().retain(|_, until| *until > now);
    }
}

/// The `Retry-After` seconds for a lock of `wait` (at least one).
pub fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    fn throttle(clock: &FakeRelativeClock) -> LoginThrottle<FakeRelativeClock> {
        LoginThrottle::with_clock(10, 10, clock.clone())
    }

    #[test]
    fn ten_failures_pass_the_eleventh_locks() {
        let clock = FakeRelativeClock::default();
        let throttle = throttle(&clock);
        let ana = [ThrottleKey::account("Ana")];
        for n in 0..10 {
            assert_eq!(throttle.locked_for(&ana), None, "before failure {n}");
            assert_eq!(throttle.failed(&ana), None, "failure {n}");
        }
        let wait = throttle.failed(&ana).expect("the 11th failure locks");
        // One more failure is allowed every 15 min / 10 = 90 s.
        assert!(
            wait > Duration::from_secs(80) && wait <= Duration::from_secs(90),
            "{wait:?}"
        );
        assert_eq!(
            throttle.locked_for(&[ThrottleKey::account("ANA ")]),
            Some(wait)
        );
        assert_eq!(throttle.locked_for(&[ThrottleKey::account("bea")]), None);
        clock.advance(wait);
        assert_eq!(
            throttle.locked_for(&ana),
            None,
            "unlocked when the time is up"
        );
        assert_eq!(throttle.failed(&ana), None, "one more try");
        assert!(throttle.failed(&ana).is_some(), "and locked again");
    }

    #[test]
    fn a_quiet_window_gives_every_try_back() {
        let clock = FakeRelativeClock::default();
        let throttle = throttle(&clock);
        let key = [ThrottleKey::account("ana")];
        for _ in 0..10 {
            assert_eq!(throttle.failed(&key), None);
        }
        clock.advance(WINDOW);
        throttle.forget_old();
        for n in 0..10 {
            assert_eq!(throttle.failed(&key), None, "failure {n} after the window");
        }
    }

    #[test]
    fn accounts_and_addresses_count_apart() {
        let clock = FakeRelativeClock::default();
        let throttle = LoginThrottle::with_clock(10, 3, clock.clone());
        let here: IpAddr = "192.0.2.7".parse().expect("ip");
        // Three names guessed from one address: the address locks, the
        // names do not.
        for name in ["a", "b", "c"] {
            let keys = [ThrottleKey::account(name), ThrottleKey::address(here)];
            assert_eq!(throttle.failed(&keys), None);
        }
        let keys = [ThrottleKey::account("d"), ThrottleKey::address(here)];
        assert!(throttle.failed(&keys).is_some());
        assert!(throttle.locked_for(&[ThrottleKey::address(here)]).is_some());
        assert_eq!(throttle.locked_for(&[ThrottleKey::account("d")]), None);
        let elsewhere: IpAddr = "198.51.100.1".parse().expect("ip");
        assert_eq!(
            throttle.locked_for(&[ThrottleKey::address(elsewhere)]),
            None
        );
    }

    #[test]
    fn ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        let other: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(ThrottleKey::address(a), ThrottleKey::address(b));
        assert_ne!(ThrottleKey::address(a), ThrottleKey::address(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        let v4: IpAddr = "192.0.2.7".parse().expect("ip");
        assert_eq!(ThrottleKey::address(mapped), ThrottleKey::address(v4));
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_seconds(Duration::from_millis(89_001)), 90);
        assert_eq!(retry_after_seconds(Duration::from_secs(90)), 90);
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
    }
}
