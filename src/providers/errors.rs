//! Classifies what a provider really answered into a [`Problem`] (the
//! catalogs in `i18n/` word it). Raw bodies go to the server log, never to
//! the page.

use super::{Provider, ProviderKind};
use crate::error::ProviderError;
use crate::failure::Problem;
use serde_json::Value;
use std::time::Duration;

/// What went wrong talking to a provider, before it is explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// Connection refused, DNS failure, TLS failure, connection dropped.
    Unreachable(String),
    /// No answer in time.
    Timeout(Duration),
    /// An answer with a non-success status.
    Status {
        /// HTTP status.
        status: u16,
        /// Body as text (may be JSON, HTML or empty).
        body: String,
        /// Seconds from a `Retry-After` header, when sent.
        retry_after: Option<u64>,
    },
    /// The connection broke after the reply had started.
    Dropped(String),
    /// A 200 answer that carried an error object.
    ErrorInBody(String),
    /// A 200 answer with no text.
    EmptyReply,
    /// A 200 answer we could not read.
    Malformed(String),
    /// One event or a whole body over this many bytes; not read further.
    TooLarge(usize),
}

impl UpstreamFailure {
    /// Classifies a transport error from reqwest.
    pub fn from_reqwest(err: &reqwest::Error, timeout: Duration) -> Self {
        if err.is_timeout() {
            UpstreamFailure::Timeout(timeout)
        } else {
            // Log the full chain: the page only gets the explanation. The
            // URL in it loses its password and query.
            let mut detail = error_chain(err);
            if let Some(url) = err.url() {
                detail = detail.replace(url.as_str(), &super::safe_url(url.as_str()));
            }
            UpstreamFailure::Unreachable(detail)
        }
    }
}

/// An error with all its causes, for the server log.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut detail = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    detail
}

/// Seconds in a `Retry-After` header (the delta-seconds form).
pub fn retry_after_seconds(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The text between the first pair of double quotes, e.g. the model name in
/// Ollama's `model "llama3" not found, try pulling it first`.
fn quoted(text: &str) -> Option<&str> {
    let start = text.find('"')? + 1;
    let len = text[start..].find('"')?;
    Some(&text[start..start + len]).filter(|q| !q.is_empty())
}

/// A connection failure more precise than "unreachable".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConnectionProblem {
    /// The host name does not resolve.
    Dns,
    /// The TLS handshake or certificate failed.
    Tls,
}

fn connection_problem(detail: &str) -> Option<ConnectionProblem> {
    let lower = detail.to_ascii_lowercase();
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        Some(ConnectionProblem::Dns)
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        Some(ConnectionProblem::Tls)
    } else {
        None
    }
}

/// Failures that the local servers word in their own way, recognised from
/// the body whatever the configured kind: LM Studio, LocalAI,
/// text-generation-webui and Ollama.
fn known_local_problem(provider: &Provider, status: Option<u16>, body: &str) -> Option<Problem> {
    let detail = upstream_message(body);
    let lower = detail.as_deref().unwrap_or_default().to_ascii_lowercase();
    let raw = body.to_ascii_lowercase();
    if lower.contains("no models loaded")
        || lower.contains("no model is loaded")
        || lower.contains("no model loaded")
    {
        return Some(Problem::NoModelLoaded);
    }
    if lower.contains("multiple models are loaded") {
        return Some(Problem::PickModel);
    }
    if lower.contains("invalid host header") {
        return Some(Problem::InvalidHost);
    }
    if raw.contains("not_found_error") || lower.contains("try pulling it first") {
        let name = detail
            .as_deref()
            .and_then(quoted)
            .map(str::to_string)
            .or_else(|| provider.model.clone());
        return Some(Problem::OllamaModelMissing { name });
    }
    if raw.contains("model_not_found")
        || (status == Some(404) && lower.contains("model") && lower.contains("not found"))
    {
        return Some(Problem::ModelMissing { detail });
    }
    if lower.contains("could not load model") || lower.contains("failed to load model") {
        return Some(Problem::ModelLoadFailed { detail });
    }
    None
}

/// Pulls the human part out of an error body: `{"error":"text"}`,
/// `{"error":{"message":…}}`, `{"detail":…}`, `{"message":…}`. HTML pages
/// and empty bodies give `None`.
pub fn upstream_message(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body.trim()).ok()?;
    let text = match &value {
        Value::Object(map) => match (map.get("error"), map.get("detail"), map.get("message")) {
            (Some(Value::String(s)), _, _) => s.clone(),
            (Some(Value::Object(e)), _, _) => e.get("message").and_then(Value::as_str)?.to_string(),
            (_, Some(Value::String(s)), _) => s.clone(),
            (_, Some(other @ (Value::Array(_) | Value::Object(_))), _) => other.to_string(),
            (_, _, Some(Value::String(s))) => s.clone(),
            _ => return None,
        },
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(truncate(text, 300))
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn estimated_time(body: &str) -> Option<f64> {
    let value: Value = serde_json::from_str(body.trim()).ok()?;
    value
        .get("estimated_time")
        .or_else(|| value.get("error").and_then(|e| e.get("estimated_time")))
        .and_then(Value::as_f64)
}

/// Explains a failure of `provider`: what went wrong, as a [`Problem`].
pub fn map_failure(provider: &Provider, failure: UpstreamFailure) -> ProviderError {
    // A hostile server's body could be megabytes: the log keeps its start.
    let logged = truncate(&format!("{failure:?}"), 2_000);
    tracing::warn!(provider = provider.id, url = %provider.display_url, failure = %logged, "provider call failed");
    let huggingface = provider.kind == ProviderKind::HuggingFace;
    let problem = match failure {
        UpstreamFailure::Unreachable(detail) => match connection_problem(&detail) {
            Some(ConnectionProblem::Dns) => Problem::DnsFailed,
            Some(ConnectionProblem::Tls) => Problem::TlsFailed,
            None => Problem::Unreachable,
        },
        UpstreamFailure::Timeout(limit) => Problem::Timeout {
            seconds: limit.as_secs(),
        },
        UpstreamFailure::EmptyReply => Problem::EmptyReply,
        UpstreamFailure::Dropped(_) => Problem::StreamDropped,
        UpstreamFailure::Malformed(_) => Problem::BadResponse,
        UpstreamFailure::TooLarge(bytes) => Problem::TooLarge {
            mib: (bytes / (1024 * 1024)) as u64,
        },
        UpstreamFailure::ErrorInBody(body) => (!huggingface)
            .then(|| known_local_problem(provider, None, &body))
            .flatten()
            .unwrap_or_else(|| Problem::ReportedError {
                detail: upstream_message(&body),
            }),
        UpstreamFailure::Status {
            status,
            body,
            retry_after,
        } if huggingface => huggingface_status(status, &body, retry_after),
        UpstreamFailure::Status {
            status,
            body,
            retry_after,
        } => local_status(provider, status, &body, retry_after),
    };
    provider.failed(problem)
}

/// A status from a local server (or any OpenAI-compatible one).
fn local_status(provider: &Provider, status: u16, body: &str, retry_after: Option<u64>) -> Problem {
    if let Some(known) = known_local_problem(provider, Some(status), body) {
        return known;
    }
    let detail = upstream_message(body);
    match status {
        401 | 403 => Problem::KeyRefused { status, detail },
        404 => Problem::EndpointNotFound { detail },
        503 => Problem::Busy {
            retry_after,
            detail,
        },
        _ => Problem::HttpError { status, detail },
    }
}

/// A status from the Hugging Face router.
fn huggingface_status(status: u16, body: &str, retry_after: Option<u64>) -> Problem {
    let detail = upstream_message(body);
    let lower = detail.as_deref().unwrap_or_default().to_ascii_lowercase();
    match status {
        400 if lower.contains("not supported by any provider")
            || lower.contains("model_not_supported") =>
        {
            Problem::ModelNotSupported
        }
        401 if !lower.contains("permission") => Problem::TokenInvalid,
        401 | 403 => Problem::TokenRejected { status },
        402 => Problem::CreditsExceeded,
        404 => Problem::ModelNotFound { detail },
        410 => Problem::EndpointGone,
        503 => Problem::ModelLoading {
            seconds: estimated_time(body)
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| s.ceil() as u64)
                .or(retry_after),
        },
        429 => Problem::RateLimited { retry_after },
        _ => Problem::HttpError { status, detail },
    }
}

/// Reads the reply text out of a successful non-streaming answer.
pub fn reply_from_body(provider: &Provider, body: &str) -> Result<String, ProviderError> {
    let value: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            return Err(map_failure(
                provider,
                UpstreamFailure::Malformed(e.to_string()),
            ))
        }
    };
    if value.get("error").is_some_and(|e| !e.is_null()) {
        return Err(map_failure(
            provider,
            UpstreamFailure::ErrorInBody(body.to_string()),
        ));
    }
    let Some(choices) = value.get("choices").and_then(Value::as_array) else {
        return Err(map_failure(
            provider,
            UpstreamFailure::Malformed("no choices".into()),
        ));
    };
    let content = choices
        .first()
        .and_then(|c| c.get("message"))
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if content.trim().is_empty() {
        return Err(map_failure(provider, UpstreamFailure::EmptyReply));
    }
    Ok(content.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::i18n::Lang;
    use crate::providers::{ProviderRegistry, HUGGINGFACE, LOCAL};

    #[tokio::test]
    async fn a_connection_failure_logs_no_password_or_query() {
        // Nothing listens on port 1 of loopback.
        let err = reqwest::Client::new()
            .get("http://ana:pw-SECRET@127.0.0.1:1/v1/models?api_key=key-SECRET")
            .send()
            .await
            .expect_err("refused");
        let UpstreamFailure::Unreachable(detail) =
            UpstreamFailure::from_reqwest(&err, Duration::from_secs(5))
        else {
            panic!("not unreachable");
        };
        assert!(detail.contains("127.0.0.1:1/v1/models"), "{detail}");
        assert!(!detail.contains("SECRET"), "{detail}");
    }

    /// A failure as the catalogs word it, for the assertions below.
    #[derive(Debug)]
    struct Said {
        code: String,
        message: String,
        message_es: String,
        status: u16,
        retry_after: Option<u64>,
    }

    fn said(err: ProviderError) -> Said {
        Said {
            code: err.code(),
            message: Lang::En.provider_error(&err),
            message_es: Lang::Es.provider_error(&err),
            status: err.status(),
            retry_after: err.retry_after(),
        }
    }

    // These shadow the module's own: the tests read what people are told.
    fn map_failure(provider: &Provider, failure: UpstreamFailure) -> Said {
        said(super::map_failure(provider, failure))
    }

    fn reply_from_body(provider: &Provider, body: &str) -> Result<String, Said> {
        super::reply_from_body(provider, body).map_err(said)
    }

    fn registry() -> ProviderRegistry {
        let config = Config::from_lookup(|k| match k {
            "HUGGINGFACE_API_TOKEN" => Some("hf_test".into()),
            "LOCAL_AI_URL" => Some("http://127.0.0.1:9/v1".into()),
            _ => None,
        })
        .expect("config");
        ProviderRegistry::from_config(&config).expect("registry")
    }

    fn status(provider: &str, status: u16, body: &str) -> Said {
        let reg = registry();
        let p = reg.get(provider).expect("provider");
        map_failure(
            p,
            UpstreamFailure::Status {
                status,
                body: body.to_string(),
                retry_after: None,
            },
        )
    }

    #[test]
    fn bodies_in_every_documented_shape_are_read() {
        assert_eq!(
            upstream_message(r#"{"error":"boom"}"#).as_deref(),
            Some("boom")
        );
        assert_eq!(
            upstream_message(r#"{"error":{"message":"m","code":500}}"#).as_deref(),
            Some("m")
        );
        assert_eq!(
            upstream_message(r#"{"detail":"Unauthorized"}"#).as_deref(),
            Some("Unauthorized")
        );
        assert_eq!(
            upstream_message("<html><body>502 Bad Gateway</body></html>"),
            None
        );
        assert_eq!(upstream_message(""), None);
        let long = format!(r#"{{"error":"{}"}}"#, "é".repeat(400));
        assert_eq!(
            upstream_message(&long).map(|m| m.chars().count()),
            Some(301)
        );
    }

    #[test]
    fn local_servers_are_recognised_by_their_own_words() {
        let cases = [
            (
                400,
                r#"{"error":"No models loaded. Please load a model in the developer page or use the `lms load` command."}"#,
                "local_no_model_loaded",
                "lms load",
            ),
            (
                400,
                r#"{"error":"Multiple models are loaded. Please specify a model by providing a 'model' field in the request."}"#,
                "local_pick_model",
                "LOCAL_AI_MODEL",
            ),
            (
                404,
                r#"{"error":{"message":"Model \"qwen\" not found","type":"invalid_request_error","code":"model_not_found"}}"#,
                "local_model_missing",
                "/v1/models",
            ),
            (
                500,
                r#"{"error":{"code":500,"message":"could not load model: rpc error","type":""}}"#,
                "local_model_load_failed",
                "could not load model",
            ),
            (
                400,
                r#"{"detail":"Invalid host header"}"#,
                "local_invalid_host",
                "--listen",
            ),
            (
                401,
                r#"{"detail":"Unauthorized"}"#,
                "local_unauthorized",
                "LOCAL_AI_API_KEY",
            ),
            (
                404,
                r#"{"error":{"message":"model \"llama3.2\" not found, try pulling it first","type":"not_found_error"}}"#,
                "local_model_missing",
                "ollama pull llama3.2",
            ),
        ];
        for (code, body, want, text) in cases {
            let e = status(LOCAL, code, body);
            assert_eq!(e.code, want, "{body}");
            assert!(e.message.contains(text), "{body} -> {}", e.message);
        }
        assert_eq!(quoted("model \"x\" not found"), Some("x"));
        assert_eq!(quoted("no quotes"), None);
    }

    #[test]
    fn hf_credits_missing_models_and_rate_limits() {
        assert_eq!(status(HUGGINGFACE, 402, "{}").code, "hf_credits_exceeded");
        let e = status(HUGGINGFACE, 404, r#"{"error":"Not Found"}"#);
        assert_eq!(e.code, "hf_model_not_found");
        assert!(e.message.contains(":fastest"));
        let reg = registry();
        let e = map_failure(
            reg.get(HUGGINGFACE).expect("hf"),
            UpstreamFailure::Status {
                status: 429,
                body: String::new(),
                retry_after: Some(17),
            },
        );
        assert_eq!((e.status, e.retry_after), (429, Some(17)));
        assert!(e.message.contains("Wait 17 seconds"));
    }

    #[test]
    fn dns_and_tls_failures_are_told_apart() {
        let reg = registry();
        let local = reg.get(LOCAL).expect("local");
        let dns = "error sending request: client error (Connect): dns error: failed to lookup address information";
        let e = map_failure(local, UpstreamFailure::Unreachable(dns.into()));
        assert_eq!((e.code.as_str(), e.status), ("local_dns_failed", 502));
        assert!(e.message.contains("http://127.0.0.1:9/v1/chat/completions"));
        let tls = "client error (Connect): invalid peer certificate: UnknownIssuer";
        let hf = reg.get(HUGGINGFACE).expect("hf");
        let e = map_failure(hf, UpstreamFailure::Unreachable(tls.into()));
        assert_eq!(e.code, "hf_tls_failed");
    }

    #[test]
    fn local_unreachable_names_the_url_and_the_fix() {
        let reg = registry();
        let e = map_failure(
            reg.get(LOCAL).expect("local"),
            UpstreamFailure::Unreachable("refused".into()),
        );
        assert_eq!((e.code.as_str(), e.status), ("local_unreachable", 502));
        assert!(e.message.contains("http://127.0.0.1:9/v1/chat/completions"));
        assert!(e.message.contains("LM Studio") && e.message.contains("LOCAL_AI_URL"));
    }

    #[test]
    fn hf_errors_say_what_to_do() {
        let e = status(
            HUGGINGFACE,
            400,
            r#"{"error":{"message":"The requested model 'x' is not supported by any provider you have enabled.","code":"model_not_supported"}}"#,
        );
        assert_eq!(e.code, "hf_model_not_supported");
        assert!(e
            .message
            .contains("huggingface.co/settings/inference-providers"));

        let e = status(
            HUGGINGFACE,
            401,
            r#"{"error":"Invalid credentials in Authorization header"}"#,
        );
        assert_eq!(e.code, "hf_token_invalid");
        assert!(e.message.contains("Make calls to Inference Providers"));
        let e = status(
            HUGGINGFACE,
            403,
            r#"{"error":"This authentication method does not have sufficient permissions to call Inference Providers"}"#,
        );
        assert_eq!(e.code, "hf_token_rejected");
        assert!(e.message.contains("Make calls to Inference Providers"));

        let e = status(
            HUGGINGFACE,
            503,
            r#"{"error":"Model is currently loading","estimated_time":20.3}"#,
        );
        assert_eq!((e.code.as_str(), e.status), ("hf_model_loading", 503));
        assert!(e.message.contains("about 21 seconds") && e.message.contains("Retry"));

        let e = status(HUGGINGFACE, 410, "");
        assert_eq!(e.code, "hf_endpoint_gone");
        assert!(e.message.contains("router.huggingface.co"));
    }

    #[test]
    fn every_message_is_also_in_spanish() {
        let reg = registry();
        let local = reg.get(LOCAL).expect("local");
        let hf = reg.get(HUGGINGFACE).expect("hf");
        let translated = |e: &Said| {
            assert!(!e.message_es.is_empty(), "{}: no Spanish", e.code);
            assert_ne!(e.message_es, e.message, "{}: not translated", e.code);
        };

        let e = map_failure(local, UpstreamFailure::Unreachable("refused".into()));
        translated(&e);
        assert!(e
            .message_es
            .contains("http://127.0.0.1:9/v1/chat/completions"));
        assert!(e.message_es.contains("LOCAL_AI_URL") && e.message_es.contains("LM Studio"));
        assert!(
            e.message_es.contains("el servidor de IA local"),
            "{}",
            e.message_es
        );

        let e = status(
            HUGGINGFACE,
            403,
            r#"{"error":"This authentication method does not have sufficient permissions to call Inference Providers"}"#,
        );
        assert_eq!(e.code, "hf_token_rejected");
        translated(&e);
        assert!(e.message_es.contains("Make calls to Inference Providers"));
        assert!(e.message_es.contains("huggingface.co/settings/tokens"));
        assert!(e.message_es.contains("HUGGINGFACE_API_TOKEN"));

        let e = status(
            LOCAL,
            404,
            r#"{"error":{"message":"model \"llama3.2\" not found, try pulling it first","type":"not_found_error"}}"#,
        );
        assert_eq!(e.code, "local_model_missing");
        translated(&e);
        assert!(
            e.message_es.contains("ollama pull llama3.2"),
            "{}",
            e.message_es
        );
        assert!(e.message_es.contains("LOCAL_AI_MODEL"));

        let e = map_failure(
            hf,
            UpstreamFailure::Status {
                status: 429,
                body: String::new(),
                retry_after: Some(17),
            },
        );
        translated(&e);
        assert_eq!((e.status, e.retry_after), (429, Some(17)));
        assert!(
            e.message_es.contains("Espera 17 segundos"),
            "{}",
            e.message_es
        );

        let e = status(HUGGINGFACE, 404, r#"{"error":"Not Found"}"#);
        translated(&e);
        assert!(e.message.contains("It said: Not Found"));
        assert!(
            e.message_es.contains("Su respuesta: Not Found"),
            "{}",
            e.message_es
        );

        let e = map_failure(local, UpstreamFailure::EmptyReply);
        translated(&e);
        assert!(e.message_es.contains("Instruct"));
    }

    #[test]
    fn html_bodies_are_never_shown() {
        let e = status(LOCAL, 500, "<html><script>x</script>Internal</html>");
        assert!(!e.message.contains('<'), "{}", e.message);
        assert!(!e.message_es.contains('<'), "{}", e.message_es);
    }

    #[test]
    fn replies_are_read_and_empty_ones_explained() {
        let reg = registry();
        let p = reg.get(LOCAL).expect("local");
        let ok = r#"{"choices":[{"message":{"role":"assistant","content":"Hola ñ"}}]}"#;
        assert_eq!(reply_from_body(p, ok).ok().as_deref(), Some("Hola ñ"));
        let empty = r#"{"choices":[{"message":{"role":"assistant","content":"  "}}]}"#;
        let e = reply_from_body(p, empty).expect_err("empty");
        assert_eq!(e.code, "empty_reply");
        assert!(e.message.contains("Instruct"));
        let null = r#"{"choices":[{"message":{"role":"assistant","content":null}}]}"#;
        assert_eq!(
            reply_from_body(p, null).map_err(|e| e.code),
            Err("empty_reply".into())
        );
        let in_body = r#"{"error":{"code":500,"message":"could not load model"}}"#;
        let e = reply_from_body(p, in_body).expect_err("error in 200");
        assert!(e.message.contains("could not load model"));
        assert_eq!(
            reply_from_body(p, "not json").map_err(|e| e.code),
            Err("local_bad_response".into())
        );
    }
}
