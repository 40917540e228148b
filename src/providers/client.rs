//! The one client for every OpenAI-compatible chat-completions endpoint.

use super::chunk::{parse_chunk, ChunkParts};
use super::errors::{self, UpstreamFailure};
use super::Provider;
use crate::config::models_url;
use crate::error::ProviderError;
use secrecy::ExposeSecret;
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

/// Longest body read from a provider when it is not a stream: a whole
/// reply, an error, a model list. Past it the connection is dropped.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// A provider's body, read up to [`MAX_BODY_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedBody {
    /// The text (cut at the bound when `cut`).
    pub text: String,
    /// The body went on past the bound; the rest was never read.
    pub cut: bool,
}

impl BoundedBody {
    /// The failure for a success body that did not fit.
    pub fn too_long() -> UpstreamFailure {
        UpstreamFailure::TooLarge(MAX_BODY_BYTES)
    }
}

/// Reads `response`'s body, at most `max` bytes: a hostile or broken
/// server cannot make us hold more.
pub async fn read_bounded(
    mut response: reqwest::Response,
    max: usize,
) -> Result<BoundedBody, reqwest::Error> {
    let mut bytes: Vec<u8> = Vec::new();
    let mut cut = false;
    while let Some(chunk) = response.chunk().await? {
        let room = max - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            cut = true;
            break;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(BoundedBody {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        cut,
    })
}

/// Model name used when nothing is configured and the server lists none;
/// LM Studio answers with whatever model is loaded.
const FALLBACK_LOCAL_MODEL: &str = "local-model";

/// How long the model list may take before we stop waiting for it.
const MODEL_LIST_TIMEOUT: Duration = Duration::from_millis(1500);

/// Posts `body` to the provider's completions URL; the body text of a
/// success, or the failure explained.
async fn post_for_text(
    http: &reqwest::Client,
    provider: &Provider,
    body: &impl Serialize,
    timeout: Duration,
) -> Result<String, ProviderError> {
    let failure = |f| errors::map_failure(provider, f);
    let mut request = http.post(&provider.url).timeout(timeout).json(body);
    if let Some(key) = &provider.api_key {
        request = request.bearer_auth(key.expose_secret());
    }
    let response = request
        .send()
        .await
        .map_err(|e| failure(UpstreamFailure::from_reqwest(&e, timeout)))?;
    let status = response.status().as_u16();
    let retry_after = errors::retry_after_seconds(response.headers());
    let body = read_bounded(response, MAX_BODY_BYTES)
        .await
        .map_err(|e| failure(UpstreamFailure::from_reqwest(&e, timeout)))?;
    if !(200..300).contains(&status) {
        provider.note_failed_status(status).await;
        return Err(failure(UpstreamFailure::Status {
            status,
            body: body.text,
            retry_after,
        }));
    }
    if body.cut {
        return Err(failure(BoundedBody::too_long()));
    }
    Ok(body.text)
}

/// Sends the whole history and returns the reply text.
pub async fn complete(
    http: &reqwest::Client,
    provider: &Provider,
    messages: &[WireMessage],
    timeout: Duration,
) -> Result<String, ProviderError> {
    if let Some(missing) = provider.not_configured() {
        return Err(missing);
    }
    let model = model_for(http, provider).await;
    let request = CompletionRequest {
        model: &model,
        messages,
        stream: false,
    };
    let body = post_for_text(http, provider, &request, timeout).await?;
    errors::reply_from_body(provider, &body)
}

#[derive(Serialize)]
struct ProbeRequest<'a> {
    model: &'a str,
    messages: [WireMessage; 1],
    max_tokens: u32,
    stream: bool,
}

/// Asks for a one-token reply: proves the URL, the key and the model work.
/// Returns how long the answer took.
pub async fn probe(
    http: &reqwest::Client,
    provider: &Provider,
    timeout: Duration,
) -> Result<Duration, ProviderError> {
    if let Some(missing) = provider.not_configured() {
        return Err(missing);
    }
    let model = model_for(http, provider).await;
    let started = std::time::Instant::now();
    let request = ProbeRequest {
        model: &model,
        messages: [WireMessage {
            role: "user".into(),
            content: "Reply with OK.".into(),
        }],
        max_tokens: 1,
        stream: false,
    };
    let body = post_for_text(http, provider, &request, timeout).await?;
    // One token may be empty text (a reasoning model): only errors count.
    if let Ok(ChunkParts {
        error: Some(raw), ..
    }) = parse_chunk(&body)
    {
        return Err(errors::map_failure(
            provider,
            UpstreamFailure::ErrorInBody(raw),
        ));
    }
    Ok(started.elapsed())
}

/// What a server answered at `/v1/models`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelsAnswer {
    /// HTTP status.
    pub status: u16,
    /// The model ids listed (empty unless the status is a success).
    pub models: Vec<String>,
    /// The body, when the status is not a success.
    pub body: String,
}

/// Asks a server for its model list.
pub async fn list_models(
    http: &reqwest::Client,
    provider: &Provider,
    timeout: Duration,
) -> Result<ModelsAnswer, reqwest::Error> {
    let mut request = http.get(models_url(&provider.url)).timeout(timeout);
    if let Some(key) = &provider.api_key {
        request = request.bearer_auth(key.expose_secret());
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    // A list cut short does not parse: no models, which the checks report.
    let body = read_bounded(response, MAX_BODY_BYTES).await?.text;
    if !(200..300).contains(&status) {
        return Ok(ModelsAnswer {
            status,
            models: Vec::new(),
            body,
        });
    }
    let list: ModelList = serde_json::from_str(&body).unwrap_or(ModelList { data: Vec::new() });
    Ok(ModelsAnswer {
        status,
        models: list
            .data
            .into_iter()
            .map(|m| m.id)
            .filter(|id| !id.trim().is_empty())
            .collect(),
        body: String::new(),
    })
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
    let answer = list_models(http, provider, MODEL_LIST_TIMEOUT).await.ok()?;
    answer.models.into_iter().next()
}
