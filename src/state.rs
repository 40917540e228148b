//! What every request handler and server function shares.

use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::error::AppError;
use crate::generation::Generations;
use crate::providers::ProviderRegistry;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use std::sync::Arc;

/// Shared server state, cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database (one writer, several readers).
    pub db: crate::store::Db,
    /// Settings.
    pub config: Arc<Config>,
    /// Configured providers.
    pub providers: Arc<ProviderRegistry>,
    /// One HTTP client for every provider call (connection reuse).
    pub http: reqwest::Client,
    /// The last model-list check of each provider.
    pub catalog: Arc<crate::providers::catalog::ModelCatalog>,
    /// Replies being written right now.
    pub generations: Arc<Generations>,
    /// Session token keys.
    pub jwt: Arc<JwtKeys>,
    /// Sessions recently checked, so requests skip the database lookup.
    pub known_sessions: Arc<crate::auth::known_sessions::KnownSessions>,
    /// Password hashing, a few at a time.
    pub hasher: Arc<crate::auth::password::Hasher>,
    /// Failed sign-ins per account and per address.
    pub login_throttle: Arc<crate::auth::throttle::LoginThrottle>,
    /// Leptos settings (site root, output name).
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}
