//! The one client for every OpenAI-compatible chat-completions endpoint.

use super::errors::{self, UpstreamFailure};
use super::{Provider, ProviderKind};
use crate::config::models_url;
use crate::error::ProviderError;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A message as the provider receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireMessage {
    /// "system", "user" or "assistant".
    pub role: String,
    /// The text.
    pub content: String,
}

#[derive(Serialize)]
struct CompletionRequest<'a> {
    model: &'a str,
    messages: &'a [WireMessage],
    stream: bool,
}

/// Model name used when nothing is configured and the server lists none;
/// LM Studio answers with whatever model is loaded.
const FALLBACK_LOCAL_MODEL: &str = "local-model";

/// How long the model list may take before we stop waiting for it.
const MODEL_LIST_TIMEOUT: Duration = Duration::from_millis(1500);

/// Sends the whole history and returns the reply text.
pub async fn complete(
    http: &reqwest::Client,
    provider: &Provider,
    messages: &[WireMessage],
    timeout: Duration,
) -> Result<String, ProviderError> {
    if !provider.is_configured() {
        return Err(errors::not_configured(provider));
    }
    let model = model_for(http, provider).await;
    let mut request = http
        .post(&provider.url)
        .timeout(timeout)
        .json(&CompletionRequest {
            model: &model,
            messages,
            stream: false,
        });
    if let Some(key) = &provider.api_key {
        request = request.bearer_auth(key);
    }
    let response = request
        .send()
        .await
        .map_err(|e| errors::map_failure(provider, UpstreamFailure::from_reqwest(&e, timeout)))?;
    let status = response.status().as_u16();
    let retry_after = errors::retry_after_seconds(response.headers());
    let body = response
        .text()
        .await
        .map_err(|e| errors::map_failure(provider, UpstreamFailure::from_reqwest(&e, timeout)))?;
    if !(200..300).contains(&status) {
        if provider.kind == ProviderKind::Local && status == 404 {
            // A model that vanished from the server: look it up again next time.
            provider.remember_model(None).await;
        }
        return Err(errors::map_failure(
            provider,
            UpstreamFailure::Status {
                status,
                body,
                retry_after,
            },
        ));
    }
    errors::reply_from_body(provider, &body)
}

/// The model to ask for: the configured one, else the first the server lists.
pub(crate) async fn model_for(http: &reqwest::Client, provider: &Provider) -> String {
    if let Some(model) = &provider.model {
        return model.clone();
    }
    if let Some(model) = provider.discovered_model().await {
        return model;
    }
    let found = first_listed_model(http, provider).await;
    provider.remember_model(found.clone()).await;
    found.unwrap_or_else(|| FALLBACK_LOCAL_MODEL.to_string())
}

#[derive(Deserialize)]
struct ModelList {
    #[serde(default)]
    data: Vec<ModelEntry>,
}

#[derive(Deserialize)]
struct ModelEntry {
    id: String,
}

async fn first_listed_model(http: &reqwest::Client, provider: &Provider) -> Option<String> {
    let mut request = http
        .get(models_url(&provider.url))
        .timeout(MODEL_LIST_TIMEOUT);
    if let Some(key) = &provider.api_key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let list: ModelList = response.json().await.ok()?;
    list.data
        .into_iter()
        .map(|m| m.id)
        .find(|id| !id.trim().is_empty())
}
