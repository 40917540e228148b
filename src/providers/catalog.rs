//! What each provider's server lists at `/v1/models`, checked in the
//! background with a short timeout and kept, so the page never waits for an
//! unreachable server: it shows as offline.

use super::{list_models, Provider, ProviderRegistry};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long one model-list request may take.
pub const LIST_TIMEOUT: Duration = Duration::from_millis(1500);
/// How often the lists are refreshed in the background.
pub const REFRESH_EVERY: Duration = Duration::from_secs(60);
/// Most models kept per provider (Hugging Face's router lists thousands).
pub const MAX_MODELS: usize = 200;

/// The last check of one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// The server answered (any HTTP status).
    pub online: bool,
    /// Models listed, sorted, at most [`MAX_MODELS`]: by the last check
    /// that got an answer (a server briefly down keeps its suggestions).
    pub models: Vec<String>,
}

impl CatalogEntry {
    /// A new check's result, with the models of `previous` kept when the
    /// server did not answer this time.
    fn after(self, previous: Option<&CatalogEntry>) -> CatalogEntry {
        match previous {
            Some(previous) if !self.online => CatalogEntry {
                online: false,
                models: previous.models.clone(),
            },
            _ => self,
        }
    }
}

/// The last checks of every provider.
#[derive(Debug, Default)]
pub struct ModelCatalog {
    entries: RwLock<HashMap<String, CatalogEntry>>,
    last_refresh: RwLock<Option<Instant>>,
}

impl ModelCatalog {
    /// An empty catalog: every provider unchecked.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last check of a provider, if any.
    pub fn get(&self, provider_id: &str) -> Option<CatalogEntry> {
        self.entries
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(provider_id)
            .cloned()
    }

    /// A provider just answered a chat: it is online, whatever the last
    /// model-list check said (which may be up to a minute old).
    pub fn mark_answered(&self, provider_id: &str) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = entries.get_mut(provider_id) {
            entry.online = true;
        }
    }

    /// Claims the next refresh when the last one is older than `age`: true
    /// for one caller only, so page loads cannot pile refreshes up.
    pub fn claim_refresh(&self, age: Duration) -> bool {
        let mut last = self.last_refresh.write().unwrap_or_else(|p| p.into_inner());
        if last.is_none_or(|at| at.elapsed() > age) {
            *last = Some(Instant::now());
            true
        } else {
            false
        }
    }

    async fn check(http: &reqwest::Client, provider: &Provider) -> Option<CatalogEntry> {
        if !provider.is_configured() {
            return None;
        }
        Some(match list_models(http, provider, LIST_TIMEOUT).await {
            Ok(answer) => {
                let mut models = answer.models;
                models.sort();
                models.dedup();
                models.truncate(MAX_MODELS);
                CatalogEntry {
                    online: true,
                    models,
                }
            }
            Err(_) => CatalogEntry {
                online: false,
                models: Vec::new(),
            },
        })
    }

    /// Checks every configured provider at once (each bounded by
    /// [`LIST_TIMEOUT`]).
    pub async fn refresh(&self, http: &reqwest::Client, providers: &ProviderRegistry) {
        *self.last_refresh.write().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        let checks = providers
            .all()
            .iter()
            .map(|p| async move { (p.id.clone(), Self::check(http, p).await) });
        let results = futures_util::future::join_all(checks).await;
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        for (id, entry) in results {
            match entry {
                Some(entry) => {
                    let entry = entry.after(entries.get(&id));
                    entries.insert(id, entry)
                }
                None => entries.remove(&id),
            };
        }
    }
}

/// Refreshes the catalog now and every [`REFRESH_EVERY`], for the life of
/// the server.
pub fn spawn_refresher(
    catalog: Arc<ModelCatalog>,
    http: reqwest::Client,
    providers: Arc<ProviderRegistry>,
) {
    tokio::spawn(async move {
        loop {
            catalog.refresh(&http, &providers).await;
            tokio::time::sleep(REFRESH_EVERY).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(online: bool, models: &[&str]) -> CatalogEntry {
        CatalogEntry {
            online,
            models: models.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn a_server_briefly_down_keeps_its_models_and_comes_back_when_it_answers() {
        let seen = entry(true, &["mock-instruct-7b"]);
        let down = entry(false, &[]).after(Some(&seen));
        assert_eq!(down, entry(false, &["mock-instruct-7b"]));
        assert_eq!(entry(false, &[]).after(None), entry(false, &[]));
        assert_eq!(entry(true, &["b"]).after(Some(&seen)), entry(true, &["b"]));

        let catalog = ModelCatalog::new();
        catalog
            .entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert("local".into(), down);
        catalog.mark_answered("local");
        assert_eq!(
            catalog.get("local"),
            Some(entry(true, &["mock-instruct-7b"]))
        );
        catalog.mark_answered("never-checked");
        assert_eq!(catalog.get("never-checked"), None);
    }
}
