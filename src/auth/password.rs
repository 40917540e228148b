//! argon2id password hashing, off the async threads and a few at a time.
//!
//! Each hash takes about 19 MiB and a core for tens of milliseconds, so
//! hundreds of sign-ins at once would take every core and a lot of memory.
//! [`Hasher`] lets as many run as there are cores; the rest wait in line.

use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{OnceCell, Semaphore};

/// Runs password hashes, at most `permits` at once.
#[derive(Debug)]
pub struct Hasher {
    permits: Semaphore,
    runs: AtomicU64,
    dummy: OnceCell<String>,
}

impl Hasher {
    /// A hasher running at most `at_once` hashes at a time (at least one).
    pub fn new(at_once: usize) -> Self {
        Hasher {
            permits: Semaphore::new(at_once.max(1)),
            runs: AtomicU64::new(0),
            dummy: OnceCell::new(),
        }
    }

    /// One hash per core.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(1, usize::from))
    }

    /// How many hashes and checks have run since start (a closed sign-up
    /// and a throttled sign-in run none).
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        self.run_if(|| true, work).await?.ok_or(AppError::Internal)
    }

    /// Runs `work` when its turn comes, if `still_wanted` then says so
    /// (`None` otherwise): a sign-in that waited in line while its account
    /// got locked is not checked at all.
    async fn run_if<T: Send + 'static>(
        &self,
        still_wanted: impl FnOnce() -> bool,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Option<T>, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        if !still_wanted() {
            return Ok(None);
        }
        self.runs.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(work)
            .await
            .map(Some)
            .map_err(|_| AppError::Internal)
    }

    /// Hashes a password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await?
        .map_err(|err| {
            tracing::error!(%err, "password hashing failed");
            AppError::Internal
        })
    }

    /// Checks a password against a stored PHC string.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, AppError> {
        self.verify_if(|| true, password, stored)
            .await?
            .ok_or(AppError::Internal)
    }

    /// Checks a password against a stored PHC string (`None` for no
    /// stored hash: a hash of a random password is checked instead, so a
    /// sign-in takes as long whether the account exists or not) when its
    /// turn comes, if `still_wanted` then says so; `Ok(None)` when it did
    /// not.
    pub async fn verify_if(
        &self,
        still_wanted: impl FnOnce() -> bool,
        password: String,
        stored: impl Into<Option<String>>,
    ) -> Result<Option<bool>, AppError> {
        let (stored, real) = match stored.into() {
            Some(stored) => (stored, true),
            None => (self.dummy_hash().await?, false),
        };
        let checked = self
            .run_if(still_wanted, move || {
                let Ok(parsed) = PasswordHash::new(&stored) else {
                    tracing::error!("stored password hash is not a PHC string");
                    return false;
                };
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .await?;
        Ok(checked.map(|right| right && real))
    }

    async fn dummy_hash(&self) -> Result<String, AppError> {
        let dummy = self
            .dummy
            .get_or_try_init(|| self.hash("not-a-real-password-0000".into()))
            .await?;
        Ok(dummy.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hasher = Hasher::new(2);
        let stored = hasher.hash("correct horse".into()).await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(hasher
            .verify("correct horse".into(), stored.clone())
            .await
            .expect("check"));
        assert!(!hasher
            .verify("wrong horse".into(), stored)
            .await
            .expect("check"));
        assert!(!hasher
            .verify("x".into(), "not a hash".into())
            .await
            .expect("check"));
        assert_eq!(hasher.runs(), 4);
    }

    #[tokio::test]
    async fn a_check_no_longer_wanted_when_its_turn_comes_is_not_run() {
        let hasher = Hasher::new(1);
        let stored = hasher.hash("correct horse".into()).await.expect("hash");
        let before = hasher.runs();
        let skipped = hasher
            .verify_if(|| false, "correct horse".into(), stored.clone())
            .await
            .expect("no error");
        assert_eq!(skipped, None);
        assert_eq!(hasher.runs(), before, "nothing hashed");
        // No account: a random password's hash is checked, never a match.
        let nobody = hasher
            .verify_if(|| true, "not-a-real-password-0000".into(), None)
            .await
            .expect("checked");
        assert_eq!(nobody, Some(false));
    }

    #[tokio::test]
    async fn no_more_than_the_permits_run_at_once() {
        use std::sync::Arc;
        let hasher = Arc::new(Hasher::new(2));
        let running = Arc::new(AtomicU64::new(0));
        let most = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (hasher, running, most) = (hasher.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    hasher
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            // Real work, so the runs overlap when they can.
                            let salt = SaltString::generate(&mut OsRng);
                            let _ = Argon2::default().hash_password(b"x", &salt);
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("join").expect("ran");
        }
        assert_eq!(hasher.runs(), 8);
        assert!(most.load(Ordering::SeqCst) <= 2, "{most:?} ran at once");
    }
}
