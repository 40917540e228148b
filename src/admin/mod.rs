//! What the admin account may do: check the providers, manage the accounts.

#[cfg(feature = "ssr")]
pub mod accounts;
pub mod users;

use crate::error::AppError;
use crate::model::ProviderDiagnosis;
use leptos::prelude::*;

/// Checks every provider step by step (admin only).
#[server(endpoint = "run_diagnostics")]
pub async fn run_diagnostics() -> Result<Vec<ProviderDiagnosis>, AppError> {
    let state = crate::state::app_state()?;
    let parts = crate::auth::api::request_parts()?;
    accounts::require_admin(&state, &parts.headers).await?;
    let lang = crate::i18n::lang_of_request(&parts.headers);
    Ok(crate::providers::diagnose::diagnose_all(&state.http, state.providers.all(), lang).await)
}
