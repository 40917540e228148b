//! Turns what a provider really answered into a message a person can act on.
//! Raw bodies go to the server log, never to the page.

use super::{Provider, ProviderKind, HF_SETUP_HINT, HF_SETUP_HINT_ES};
use crate::error::ProviderError;
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
}

impl UpstreamFailure {
    /// Classifies a transport error from reqwest.
    pub fn from_reqwest(err: &reqwest::Error, timeout: Duration) -> Self {
        if err.is_timeout() {
            UpstreamFailure::Timeout(timeout)
        } else {
            // Log the full chain: the page only gets the explanation.
            UpstreamFailure::Unreachable(error_chain(err))
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

/// An error worded in English (`en`) and Spanish (`es`).
fn error(code: &str, status: u16, en: String, es: String) -> ProviderError {
    ProviderError {
        code: code.to_string(),
        message: en,
        message_es: es,
        status,
        retry_after: None,
    }
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

/// "the local AI server" → "The local AI server".
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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

/// DNS and TLS failures, naming the URL; `prefix` is `local` or `hf`.
fn connection_error(prefix: &str, url: &str, detail: &str) -> ProviderError {
    match connection_problem(detail) {
        Some(ConnectionProblem::Dns) => error(
            &format!("{prefix}_dns_failed"),
            502,
            format!(
                "The host name in {url} could not be found (DNS). Check the spelling of the URL setting, \
                 or use the server's IP address."
            ),
            format!(
                "No se encontró el nombre de host de {url} (DNS). Revisa que la URL esté bien escrita en la \
                 configuración, o usa la dirección IP del servidor."
            ),
        ),
        _ => error(
            &format!("{prefix}_tls_failed"),
            502,
            format!(
                "The secure (https) connection to {url} failed: the certificate is not trusted or the server \
                 does not speak TLS. For a server on this machine or network use http://; otherwise give it a \
                 certificate from a trusted authority."
            ),
            format!(
                "Falló la conexión segura (https) con {url}: el certificado no es de confianza o el servidor no \
                 habla TLS. Para un servidor en esta máquina o en esta red usa http://; si no, dale un certificado \
                 de una autoridad de confianza."
            ),
        ),
    }
}

/// Failures that the local servers word in their own way, recognised from
/// the body whatever the configured kind: LM Studio, LocalAI,
/// text-generation-webui and Ollama.
fn known_local_error(
    provider: &Provider,
    status: Option<u16>,
    body: &str,
) -> Option<ProviderError> {
    let detail = upstream_message(body).unwrap_or_default();
    let lower = detail.to_ascii_lowercase();
    let raw = body.to_ascii_lowercase();
    let model = provider.model.as_deref().unwrap_or("the configured model");
    let model_es = provider.model.as_deref().unwrap_or("el modelo configurado");
    let model_setting = &provider.settings.model;
    let url_setting = &provider.settings.url;
    let settings_es = provider.settings.es();
    let model_setting_es = &settings_es.model;
    let url_setting_es = &settings_es.url;
    if lower.contains("no models loaded")
        || lower.contains("no model is loaded")
        || lower.contains("no model loaded")
    {
        return Some(error(
            "local_no_model_loaded",
            502,
            "The local AI server has no model loaded. In LM Studio, load a chat model in the Developer tab (or \
             run `lms load` with its name); in text-generation-webui, load one in the Model tab. Then press Retry."
                .to_string(),
            "El servidor de IA local no tiene ningún modelo cargado. En LM Studio, carga un modelo de chat en la \
             pestaña Developer (o ejecuta `lms load` con su nombre); en text-generation-webui, carga uno en la \
             pestaña Model. Después pulsa Reintentar."
                .to_string(),
        ));
    }
    if lower.contains("multiple models are loaded") {
        return Some(error(
            "local_pick_model",
            502,
            format!(
                "LM Studio has several models loaded and needs to be told which one to use: set {model_setting} \
                 to one of the names LM Studio's Developer tab shows (or pick it in the Model box), and restart \
                 Nexa Chat after changing the setting."
            ),
            format!(
                "LM Studio tiene varios modelos cargados y hay que indicarle cuál usar: pon en {model_setting_es} \
                 uno de los nombres que muestra la pestaña Developer de LM Studio (o elígelo en el selector \
                 Modelo) y reinicia Nexa Chat después de cambiar el ajuste."
            ),
        ));
    }
    if lower.contains("invalid host header") {
        return Some(error(
            "local_invalid_host",
            502,
            format!(
                "text-generation-webui refused the host name in {} (\"Invalid host header\"). Start it with \
                 --listen --api, or point {url_setting} at localhost or 127.0.0.1.",
                provider.display_url
            ),
            format!(
                "text-generation-webui rechazó el nombre de host de {} (\"Invalid host header\"). Inícialo con \
                 --listen --api, o haz que {url_setting_es} apunte a localhost o 127.0.0.1.",
                provider.display_url
            ),
        ));
    }
    if raw.contains("not_found_error") || lower.contains("try pulling it first") {
        let name = quoted(&detail).unwrap_or(model);
        let name_es = quoted(&detail).unwrap_or(model_es);
        return Some(error(
            "local_model_missing",
            502,
            format!(
                "Ollama does not have the model \"{name}\". Run `ollama pull {name}` on the server, or set \
                 {model_setting} to a model that `ollama list` shows."
            ),
            format!(
                "Ollama no tiene el modelo \"{name_es}\". Ejecuta `ollama pull {name_es}` en el servidor, o pon \
                 en {model_setting_es} un modelo que aparezca en `ollama list`."
            ),
        ));
    }
    if raw.contains("model_not_found")
        || (status == Some(404) && lower.contains("model") && lower.contains("not found"))
    {
        return Some(error(
            "local_model_missing",
            502,
            format!(
                "The local AI server does not have the model it was asked for ({model}). Set {model_setting} to \
                 a model it lists at /v1/models, or remove it to use the one that is loaded.{}",
                if detail.is_empty() { String::new() } else { format!(" It said: {detail}") }
            ),
            format!(
                "El servidor de IA local no tiene el modelo que se le pidió ({model_es}). Pon en \
                 {model_setting_es} uno de los modelos que lista en /v1/models, o quita el ajuste para usar el \
                 que está cargado.{}",
                if detail.is_empty() { String::new() } else { format!(" {SAID_ES} {detail}") }
            ),
        ));
    }
    if lower.contains("could not load model") || lower.contains("failed to load model") {
        return Some(error(
            "local_model_load_failed",
            502,
            format!(
                "The local AI server could not load the model: check that its file and settings are in the \
                 server's models folder (LocalAI: the model's YAML), that it fits in memory, or pick another \
                 model. It said: {detail}"
            ),
            format!(
                "El servidor de IA local no pudo cargar el modelo: comprueba que su archivo y su configuración \
                 están en la carpeta de modelos del servidor (LocalAI: el YAML del modelo), que cabe en memoria, o \
                 elige otro modelo. {SAID_ES} {detail}"
            ),
        ));
    }
    None
}

/// The error for a provider that lacks its settings.
pub fn not_configured(provider: &Provider) -> ProviderError {
    let hint = provider
        .setup_hint()
        .unwrap_or_else(|| HF_SETUP_HINT.to_string());
    let hint_es = provider
        .setup_hint_es()
        .unwrap_or_else(|| HF_SETUP_HINT_ES.to_string());
    match provider.kind {
        ProviderKind::HuggingFace => error("hf_not_configured", 400, hint, hint_es),
        _ => error("local_not_configured", 400, hint, hint_es),
    }
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

/// Explains a failure of `provider` to the user.
pub fn map_failure(provider: &Provider, failure: UpstreamFailure) -> ProviderError {
    tracing::warn!(provider = provider.id, url = %provider.display_url, ?failure, "provider call failed");
    match provider.kind {
        ProviderKind::HuggingFace => map_huggingface(provider, failure),
        _ => map_local(provider, failure),
    }
}

const EMPTY_REPLY: &str = "The model sent an empty reply. This usually means a base model is loaded: \
load an Instruct or Chat model (for example one whose name ends in -Instruct or -Chat) and try again.";

/// [`EMPTY_REPLY`] in Spanish.
const EMPTY_REPLY_ES: &str = "El modelo envió una respuesta vacía. Esto suele significar que hay un modelo base \
cargado: carga un modelo Instruct o Chat (por ejemplo, uno cuyo nombre termine en -Instruct o -Chat) y vuelve a \
intentarlo.";

/// What goes before the provider's own words in Spanish messages (the
/// English ones say "It said:").
const SAID_ES: &str = "Su respuesta:";

/// " It said: …" / " Su respuesta: …" after a message, when the provider
/// gave details; empty otherwise.
fn said_suffix(detail: Option<&str>) -> (String, String) {
    match detail {
        Some(d) => (format!(" It said: {d}"), format!(" {SAID_ES} {d}")),
        None => (String::new(), String::new()),
    }
}

fn map_local(provider: &Provider, failure: UpstreamFailure) -> ProviderError {
    let url = &provider.display_url;
    let who = provider.who();
    let url_setting = &provider.settings.url;
    let key_setting = &provider.settings.key;
    let model_setting = &provider.settings.model;
    let start_hint = provider.kind.start_hint();
    let who_at_start = capitalized(&who);
    let who_es = provider.who_es();
    let settings_es = provider.settings.es();
    let url_setting_es = &settings_es.url;
    let key_setting_es = &settings_es.key;
    let model_setting_es = &settings_es.model;
    let start_hint_es = provider.kind.start_hint_es();
    let who_at_start_es = capitalized(&who_es);
    match failure {
        UpstreamFailure::Unreachable(detail) if connection_problem(&detail).is_some() => {
            connection_error("local", url, &detail)
        }
        UpstreamFailure::Unreachable(_) => error(
            "local_unreachable",
            502,
            format!(
                "Can't reach {who} at {url}. {start_hint}, and that the port matches {url_setting}."
            ),
            format!(
                "No se puede conectar con {who_es} en {url}. {start_hint_es} y que el puerto coincide con \
                 {url_setting_es}."
            ),
        ),
        UpstreamFailure::Timeout(limit) => error(
            // The issues ask for 502 for every way of not reaching the server.
            "local_timeout",
            502,
            format!(
                "{} at {url} did not answer within {} seconds. It may still be loading the \
                 model or be too slow for it: wait, then press Retry, or load a smaller model.",
                capitalized(&who),
                limit.as_secs()
            ),
            format!(
                "{who_at_start_es} en {url} no respondió en {} segundos. Puede que todavía esté cargando el \
                 modelo o que sea demasiado lento para él: espera y pulsa Reintentar, o carga un modelo más \
                 pequeño.",
                limit.as_secs()
            ),
        ),
        UpstreamFailure::EmptyReply => error(
            "empty_reply",
            502,
            EMPTY_REPLY.to_string(),
            EMPTY_REPLY_ES.to_string(),
        ),
        UpstreamFailure::Dropped(_) => error(
            "local_stream_dropped",
            502,
            format!(
                "The connection to {who} at {url} broke in the middle of the reply: it may have \
                 crashed or run out of memory. The text so far is kept; check the server and press Retry."
            ),
            format!(
                "La conexión con {who_es} en {url} se cortó en mitad de la respuesta: puede que se haya caído o \
                 que se haya quedado sin memoria. El texto recibido hasta ahora se conserva; revisa el servidor y \
                 pulsa Reintentar."
            ),
        ),
        UpstreamFailure::Malformed(_) => error(
            "local_bad_response",
            502,
            format!(
                "The server at {url} answered, but not in the OpenAI chat format. Check that {url_setting} \
                 points at its /v1/chat/completions endpoint."
            ),
            format!(
                "El servidor en {url} respondió, pero no en el formato de chat de OpenAI. Comprueba que \
                 {url_setting_es} apunta a su endpoint /v1/chat/completions."
            ),
        ),
        UpstreamFailure::ErrorInBody(body) => {
            if let Some(known) = known_local_error(provider, None, &body) {
                return known;
            }
            let detail = upstream_message(&body);
            let detail_es = detail.clone().unwrap_or_else(|| "sin detalles".to_string());
            let detail = detail.unwrap_or_else(|| "no details".to_string());
            error(
                "local_error",
                502,
                format!("{} reported an error: {detail}", capitalized(&who)),
                format!("{who_at_start_es} informó de un error: {detail_es}"),
            )
        }
        UpstreamFailure::Status {
            status,
            body,
            retry_after,
        } => {
            if let Some(known) = known_local_error(provider, Some(status), &body) {
                return known;
            }
            let detail = upstream_message(&body);
            let (said, said_es) = said_suffix(detail.as_deref());
            match status {
                401 | 403 => error(
                    "local_unauthorized",
                    502,
                    format!(
                        "{who_at_start} at {url} refused the request (HTTP {status}): it wants an API key. \
                         Set {key_setting} to the key it was started with.{said}"
                    ),
                    format!(
                        "{who_at_start_es} en {url} rechazó la petición (HTTP {status}): pide una clave de API. \
                         Pon en {key_setting_es} la clave con la que se inició.{said_es}"
                    ),
                ),
                404 => error(
                    "local_not_found",
                    502,
                    format!(
                        "{who_at_start} answered 404 at {url}: either the URL is not its \
                         /v1/chat/completions endpoint, or the model is not there. Check {url_setting} and that \
                         {model_setting} names a loaded model.{said}"
                    ),
                    format!(
                        "{who_at_start_es} respondió 404 en {url}: o la URL no es su endpoint \
                         /v1/chat/completions, o el modelo no está ahí. Revisa {url_setting_es} y que \
                         {model_setting_es} nombre un modelo cargado.{said_es}"
                    ),
                ),
                503 => ProviderError {
                    retry_after,
                    ..error(
                        "local_loading",
                        503,
                        format!("{who_at_start} is busy or still loading the model. Wait a moment and press Retry.{said}"),
                        format!(
                            "{who_at_start_es} está ocupado o todavía cargando el modelo. Espera un momento y pulsa \
                             Reintentar.{said_es}"
                        ),
                    )
                },
                _ => error(
                    "local_error",
                    502,
                    format!(
                        "{who_at_start} answered HTTP {status}. Check that a chat model is loaded in it.{said}"
                    ),
                    format!(
                        "{who_at_start_es} respondió HTTP {status}. Comprueba que tiene cargado un modelo de \
                         chat.{said_es}"
                    ),
                ),
            }
        }
    }
}

fn map_huggingface(provider: &Provider, failure: UpstreamFailure) -> ProviderError {
    let url = &provider.display_url;
    let model = provider.model.as_deref().unwrap_or_default();
    let url_setting = &provider.settings.url;
    let key_setting = &provider.settings.key;
    let model_setting = &provider.settings.model;
    let settings_es = provider.settings.es();
    let url_setting_es = &settings_es.url;
    let key_setting_es = &settings_es.key;
    let model_setting_es = &settings_es.model;
    match failure {
        UpstreamFailure::Unreachable(detail) if connection_problem(&detail).is_some() => {
            connection_error("hf", url, &detail)
        }
        UpstreamFailure::Unreachable(_) => error(
            "hf_unreachable",
            502,
            format!(
                "Can't reach Hugging Face at {url}. Check this server's internet connection and proxy, \
                 and {url_setting} if you changed it."
            ),
            format!(
                "No se puede conectar con Hugging Face en {url}. Revisa la conexión a internet y el proxy de este \
                 servidor, y {url_setting_es} si lo cambiaste."
            ),
        ),
        UpstreamFailure::Timeout(limit) => error(
            "hf_timeout",
            502,
            format!("Hugging Face did not answer within {} seconds. Press Retry in a moment.", limit.as_secs()),
            format!(
                "Hugging Face no respondió en {} segundos. Pulsa Reintentar dentro de un momento.",
                limit.as_secs()
            ),
        ),
        UpstreamFailure::EmptyReply => error(
            "empty_reply",
            502,
            EMPTY_REPLY.to_string(),
            EMPTY_REPLY_ES.to_string(),
        ),
        UpstreamFailure::Dropped(_) => error(
            "hf_stream_dropped",
            502,
            "The connection to Hugging Face broke in the middle of the reply. The text so far is kept; \
             press Retry."
                .to_string(),
            "La conexión con Hugging Face se cortó en mitad de la respuesta. El texto recibido hasta ahora se \
             conserva; pulsa Reintentar."
                .to_string(),
        ),
        UpstreamFailure::Malformed(_) => error(
            "hf_bad_response",
            502,
            format!("The answer from {url} was not in the OpenAI chat format. Check {url_setting}."),
            format!(
                "La respuesta de {url} no estaba en el formato de chat de OpenAI. Revisa {url_setting_es}."
            ),
        ),
        UpstreamFailure::ErrorInBody(body) => {
            let detail = upstream_message(&body);
            let detail_es = detail.clone().unwrap_or_else(|| "sin detalles".to_string());
            let detail = detail.unwrap_or_else(|| "no details".to_string());
            error(
                "hf_error",
                502,
                format!("Hugging Face reported an error: {detail}"),
                format!("Hugging Face informó de un error: {detail_es}"),
            )
        }
        UpstreamFailure::Status { status, body, retry_after } => {
            let detail = upstream_message(&body);
            let (said, said_es) = said_suffix(detail.as_deref());
            let lower = detail.as_deref().unwrap_or_default().to_ascii_lowercase();
            match status {
                400 if lower.contains("not supported by any provider") || lower.contains("model_not_supported") => error(
                    "hf_model_not_supported",
                    502,
                    format!(
                        "The model {model} is not served by any inference provider you have enabled. Enable one at \
                         huggingface.co/settings/inference-providers, or set {model_setting} to a model they serve."
                    ),
                    format!(
                        "El modelo {model} no lo sirve ningún proveedor de inferencia que tengas activado. Activa \
                         uno en huggingface.co/settings/inference-providers, o pon en {model_setting_es} un modelo \
                         que sirvan."
                    ),
                ),
                401 if !lower.contains("permission") => error(
                    "hf_token_invalid",
                    502,
                    format!(
                        "Hugging Face does not accept the token in {key_setting} (HTTP 401): it is wrong, \
                         expired or revoked. Create a fine-grained token at huggingface.co/settings/tokens with the \
                         \"Make calls to Inference Providers\" permission, put it in .env.local and restart."
                    ),
                    format!(
                        "Hugging Face no acepta el token de {key_setting_es} (HTTP 401): es incorrecto, ha caducado \
                         o se ha revocado. Crea un token de tipo fine-grained en huggingface.co/settings/tokens con \
                         el permiso \"Make calls to Inference Providers\", ponlo en .env.local y reinicia."
                    ),
                ),
                401 | 403 => error(
                    "hf_token_rejected",
                    502,
                    format!(
                        "Hugging Face refused the token (HTTP {status}). It needs the \"Make calls to Inference \
                         Providers\" permission: create a fine-grained token at huggingface.co/settings/tokens with it \
                         and put it in {key_setting}."
                    ),
                    format!(
                        "Hugging Face rechazó el token (HTTP {status}). Necesita el permiso \"Make calls to \
                         Inference Providers\": crea en huggingface.co/settings/tokens un token de tipo fine-grained \
                         con ese permiso y ponlo en {key_setting_es}."
                    ),
                ),
                402 => error(
                    "hf_credits_exceeded",
                    402,
                    "Your Hugging Face monthly included credits for Inference Providers are used up (HTTP 402). \
                     Add credits or subscribe to PRO at huggingface.co/settings/billing, or use Local AI meanwhile."
                        .to_string(),
                    "Se agotaron los créditos mensuales incluidos de Hugging Face para Inference Providers \
                     (HTTP 402). Añade créditos o suscríbete a PRO en huggingface.co/settings/billing, o mientras \
                     tanto usa Local AI."
                        .to_string(),
                ),
                404 => error(
                    "hf_model_not_found",
                    502,
                    format!(
                        "Hugging Face could not find {model} (HTTP 404): the model id is misspelled, or the provider \
                         forced by its \":provider\" suffix does not serve it. Check the id on huggingface.co, or use \
                         the \":fastest\" or \":cheapest\" suffix to let Hugging Face pick a provider.{said}"
                    ),
                    format!(
                        "Hugging Face no encontró {model} (HTTP 404): el id del modelo está mal escrito, o el \
                         proveedor forzado con su sufijo \":provider\" no lo sirve. Revisa el id en huggingface.co, \
                         o usa el sufijo \":fastest\" o \":cheapest\" para que Hugging Face elija un \
                         proveedor.{said_es}"
                    ),
                ),
                410 => error(
                    "hf_endpoint_gone",
                    502,
                    format!(
                        "{url} is gone (HTTP 410): the old api-inference.huggingface.co API no longer serves chat. \
                         Set {url_setting} to https://router.huggingface.co/v1/chat/completions, or remove it to use \
                         that default."
                    ),
                    format!(
                        "{url} ya no existe (HTTP 410): la antigua API api-inference.huggingface.co ya no sirve \
                         chat. Pon en {url_setting_es} https://router.huggingface.co/v1/chat/completions, o quítalo \
                         para usar ese valor predeterminado."
                    ),
                ),
                503 => {
                    let seconds = estimated_time(&body)
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .map(|s| s.ceil() as u64)
                        .or(retry_after);
                    let wait = seconds
                        .map(|s| format!(" (about {s} seconds)"))
                        .unwrap_or_default();
                    let wait_es = seconds
                        .map(|s| format!(" (unos {s} segundos)"))
                        .unwrap_or_default();
                    ProviderError {
                        retry_after: seconds,
                        ..error(
                            "hf_model_loading",
                            503,
                            format!("The model {model} is loading at Hugging Face{wait}. Wait, then press Retry."),
                            format!(
                                "El modelo {model} se está cargando en Hugging Face{wait_es}. Espera y pulsa \
                                 Reintentar."
                            ),
                        )
                    }
                }
                429 => {
                    let (wait, wait_es) = match retry_after {
                        Some(seconds) => (
                            format!("Wait {seconds} seconds"),
                            format!("Espera {seconds} segundos"),
                        ),
                        None => ("Wait a minute".to_string(), "Espera un minuto".to_string()),
                    };
                    ProviderError {
                        retry_after,
                        ..error(
                            "hf_rate_limited",
                            429,
                            format!("Hugging Face is rate-limiting this token (HTTP 429). {wait}, then press Retry."),
                            format!(
                                "Hugging Face está limitando la frecuencia de peticiones de este token (HTTP 429). \
                                 {wait_es} y pulsa Reintentar."
                            ),
                        )
                    }
                }
                _ => error(
                    "hf_error",
                    502,
                    format!("Hugging Face answered HTTP {status} for the model {model}.{said}"),
                    format!("Hugging Face respondió HTTP {status} para el modelo {model}.{said_es}"),
                ),
            }
        }
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
    use crate::providers::{ProviderRegistry, HUGGINGFACE, LOCAL};

    fn registry() -> ProviderRegistry {
        let config = Config::from_lookup(|k| match k {
            "HUGGINGFACE_API_TOKEN" => Some("hf_test".into()),
            "LOCAL_AI_URL" => Some("http://127.0.0.1:9/v1".into()),
            _ => None,
        })
        .expect("config");
        ProviderRegistry::from_config(&config).expect("registry")
    }

    fn status(provider: &str, status: u16, body: &str) -> ProviderError {
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
        let translated = |e: &ProviderError| {
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
        assert_eq!(reply_from_body(p, ok).as_deref(), Ok("Hola ñ"));
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
