//! The task that writes one reply: it reads the provider's stream, feeds the
//! followers, saves the text in batches and stores how it ended.

use super::LiveReply;
use crate::error::ProviderError;
use crate::model::MessageStatus;
use crate::model::StatusLine;
use crate::providers::errors::{map_failure, UpstreamFailure};
use crate::providers::{open_stream, ReplyText, Sampling, WireMessage};
use crate::state::AppState;
use crate::store::{self, FinishedReply};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest "model is loading" wait sat out by itself before giving up.
pub const MAX_LOADING_WAIT_SECS: u64 = 120;

/// What one task must do.
#[derive(Debug)]
pub struct GenerationJob {
    /// The reply to fill, already registered.
    pub live: Arc<LiveReply>,
    /// The account whose conversation it is.
    pub user_id: i64,
    /// Provider id.
    pub provider_id: String,
    /// The history to send, oldest first.
    pub history: Vec<WireMessage>,
    /// Model picked for the conversation (`None`: the provider's default).
    pub model: Option<String>,
    /// Temperature and max tokens of the conversation.
    pub sampling: Sampling,
}

enum Ending {
    Complete,
    Stopped,
    Failed(ProviderError),
}

/// What the task learns on the way, beside the text.
struct Progress {
    first_token: Option<Instant>,
    last_token: Option<Instant>,
    /// The provider that really answered (the fallback, after a failover).
    provider_id: String,
    /// Why another provider answered.
    notice: Option<String>,
    /// The same in Spanish.
    notice_es: Option<String>,
}

/// Failures worth asking the fallback provider: it could not be reached or
/// is overloaded, and nothing has been generated yet.
pub fn worth_failover(err: &ProviderError) -> bool {
    matches!(err.status, 429 | 503)
        || ["_unreachable", "_timeout", "_dns_failed", "_tls_failed"]
            .iter()
            .any(|suffix| err.code.ends_with(suffix))
}

/// The sentence shown under a reply a fallback wrote, as `(English, Spanish)`.
pub fn failover_notice(chosen: &str, reason: &ProviderError, answered: &str) -> (String, String) {
    let (why, why_es) = match reason.status {
        429 => (
            "was rate-limited",
            "había alcanzado su límite de peticiones",
        ),
        503 => ("was busy or loading", "estaba ocupado o cargando"),
        _ if reason.code.ends_with("_timeout") => {
            ("did not answer in time", "no respondió a tiempo")
        }
        _ => ("could not be reached", "no estaba accesible"),
    };
    (
        format!("{chosen} {why}, so {answered} answered."),
        format!("{chosen} {why_es}, así que respondió {answered}."),
    )
}

/// Unregisters the reply however the task ends, so a bug can never leave a
/// conversation refusing new messages.
struct Unregister {
    state: AppState,
    live: Arc<LiveReply>,
}

impl Drop for Unregister {
    fn drop(&mut self) {
        if self.live.finished().is_none() {
            // The task ended without storing the reply (a bug or a panic):
            // end the followers' streams; the next follow marks the row.
            self.live.finish(unsaved_message(
                &self.live,
                MessageStatus::Failed,
                Some(store::INTERRUPTED_REPLY.to_string()),
                Some(store::INTERRUPTED_REPLY_ES.to_string()),
                None,
            ));
        }
        self.state.generations.remove(&self.live);
    }
}

/// Writes the reply, then stores and announces how it ended.
pub async fn run(state: AppState, job: GenerationJob) {
    let _unregister = Unregister {
        state: state.clone(),
        live: job.live.clone(),
    };
    let mut reply = ReplyText::default();
    let mut timing = Progress {
        first_token: None,
        last_token: None,
        provider_id: job.provider_id.clone(),
        notice: None,
        notice_es: None,
    };
    let ending = stream_reply(&state, &job, &mut reply, &mut timing).await;
    if matches!(ending, Ending::Complete) {
        // The picker stops showing it as offline at once.
        state.catalog.mark_answered(&timing.provider_id);
    }
    let (status, failure) = match ending {
        Ending::Complete => (MessageStatus::Complete, None),
        Ending::Stopped => (MessageStatus::Stopped, None),
        Ending::Failed(err) => (MessageStatus::Failed, Some(err)),
    };
    let error = failure.as_ref().map(|err| err.message.clone());
    let error_es = failure
        .map(|err| err.message_es)
        .filter(|es| !es.is_empty());
    let generation_ms = match (timing.first_token, timing.last_token) {
        (Some(first), Some(last)) => Some(last.duration_since(first).as_millis() as i64),
        _ => None,
    };
    let finished = FinishedReply {
        content: &reply.content,
        reasoning: &reply.reasoning,
        status,
        error: error.as_deref(),
        usage: reply.usage,
        generation_ms,
        provider: &timing.provider_id,
        notice: timing.notice.as_deref(),
        error_es: error_es.as_deref(),
        notice_es: timing.notice_es.as_deref(),
    };
    let live = &job.live;
    let stored = store::finish_reply(&state.db, job.user_id, live.message_id, finished).await;
    match stored {
        Ok(Some(message)) => live.finish(message),
        failed => {
            match failed {
                Err(err) => {
                    tracing::error!(message_id = live.message_id, %err, "could not store the finished reply")
                }
                _ => tracing::info!(
                    message_id = live.message_id,
                    "the reply's conversation was deleted while it was written"
                ),
            }
            // Followers still get the whole text; the next start marks a
            // stored copy as interrupted.
            live.finish(unsaved_message(
                live,
                status,
                error,
                error_es,
                Some(&timing),
            ));
        }
    }
}

async fn stop_pressed(stop: &mut tokio::sync::watch::Receiver<bool>) {
    // The guard `wait_for` returns is not Send: drop it here.
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// Runs `work` unless Stop is pressed first (`None`); dropping `work` drops
/// any request it has open.
async fn unless_stopped<T>(
    stop: &mut tokio::sync::watch::Receiver<bool>,
    work: impl std::future::Future<Output = T>,
) -> Option<T> {
    tokio::select! {
        biased;
        () = stop_pressed(stop) => None,
        out = work => Some(out),
    }
}

/// The reply as followers are told it when it could not be stored: the live
/// text with how it ended.
fn unsaved_message(
    live: &LiveReply,
    status: MessageStatus,
    error: Option<String>,
    error_es: Option<String>,
    timing: Option<&Progress>,
) -> crate::model::ChatMessage {
    let (content, reasoning) = live.snapshot();
    crate::model::ChatMessage {
        id: live.message_id,
        role: crate::model::Role::Assistant,
        content,
        reasoning,
        status,
        error,
        error_es,
        provider: timing.map(|t| t.provider_id.clone()),
        usage: None,
        notice: timing.and_then(|t| t.notice.clone()),
        notice_es: timing.and_then(|t| t.notice_es.clone()),
        html: None,
    }
}

async fn stream_reply(
    state: &AppState,
    job: &GenerationJob,
    reply: &mut ReplyText,
    timing: &mut Progress,
) -> Ending {
    let Some(provider) = state.providers.get(&job.provider_id) else {
        return Ending::Failed(ProviderError {
            code: "unknown_provider".into(),
            message: format!(
                "The provider '{}' is no longer configured.",
                job.provider_id
            ),
            message_es: format!("El proveedor '{}' ya no está configurado.", job.provider_id),
            status: 400,
            retry_after: None,
        });
    };
    let live = &job.live;
    let mut stop = live.stop_signal();
    let timeout = state.config.provider_timeout;
    let open = || {
        open_stream(
            &state.http,
            provider,
            &job.history,
            job.model.as_deref(),
            job.sampling,
            timeout,
        )
    };
    let Some(mut opened) = unless_stopped(&mut stop, open()).await else {
        return Ending::Stopped;
    };
    // A model that is loading says how long it needs: wait that long once,
    // counting down where the reply will appear, then ask again.
    if let Err(ProviderError {
        status: 503,
        retry_after: Some(seconds),
        ..
    }) = &opened
    {
        if *seconds <= MAX_LOADING_WAIT_SECS {
            for left in (1..=(*seconds).max(1)).rev() {
                live.set_status(Some(StatusLine {
                    en: format!(
                        "{} is loading the model. Trying again in {left} s…",
                        provider.name
                    ),
                    es: format!(
                        "{} está cargando el modelo. Se vuelve a intentar en {left} s…",
                        provider.name
                    ),
                }));
                if unless_stopped(&mut stop, tokio::time::sleep(Duration::from_secs(1)))
                    .await
                    .is_none()
                {
                    return Ending::Stopped;
                }
            }
            live.set_status(Some(StatusLine {
                en: format!("Trying {} again…", provider.name),
                es: format!("Intentándolo de nuevo con {}…", provider.name),
            }));
            let Some(again) = unless_stopped(&mut stop, open()).await else {
                return Ending::Stopped;
            };
            opened = again;
            live.set_status(None);
        }
    }
    let (mut stream, provider) = match opened {
        Ok(stream) => (stream, provider),
        Err(err) => {
            let fallback = provider
                .fallback
                .as_deref()
                .and_then(|id| state.providers.get(id))
                .filter(|fallback| worth_failover(&err) && fallback.is_configured());
            let Some(fallback) = fallback else {
                return Ending::Failed(err);
            };
            tracing::info!(from = %provider.id, to = %fallback.id, code = %err.code, "failing over");
            // The picked model belongs to the chosen provider: the fallback
            // answers with its own default.
            let fallback_open = open_stream(
                &state.http,
                fallback,
                &job.history,
                None,
                job.sampling,
                timeout,
            );
            let Some(opened) = unless_stopped(&mut stop, fallback_open).await else {
                return Ending::Stopped;
            };
            match opened {
                Ok(stream) => {
                    timing.provider_id = fallback.id.clone();
                    let (notice, notice_es) = failover_notice(&provider.name, &err, &fallback.name);
                    timing.notice = Some(notice);
                    timing.notice_es = Some(notice_es);
                    (stream, fallback)
                }
                Err(second) => {
                    return Ending::Failed(ProviderError {
                        message: format!(
                            "{} The fallback, {}, failed too: {}",
                            err.message, fallback.name, second.message
                        ),
                        message_es: format!(
                            "{} El proveedor de respaldo, {}, también falló: {}",
                            err.text(crate::i18n::Lang::Es),
                            fallback.name,
                            second.text(crate::i18n::Lang::Es)
                        ),
                        ..err
                    })
                }
            }
        }
    };
    // The text so far is stored by the checkpoint loop, never here: this
    // loop only waits for the provider or for Stop.
    loop {
        tokio::select! {
            biased;
            // Dropping `stream` here closes the upstream request: the
            // provider stops generating.
            () = stop_pressed(&mut stop) => return Ending::Stopped,
            next = stream.next() => match next {
                None if reply.is_empty() => {
                    return Ending::Failed(map_failure(provider, UpstreamFailure::EmptyReply))
                }
                None => return Ending::Complete,
                Some(Err(failure)) => return Ending::Failed(map_failure(provider, failure)),
                Some(Ok(parts)) => {
                    if !parts.content.is_empty() || !parts.reasoning.is_empty() {
                        let now = Instant::now();
                        timing.first_token.get_or_insert(now);
                        timing.last_token = Some(now);
                    }
                    reply.apply(&parts);
                    live.append(&parts.content, &parts.reasoning);
                }
            },
        }
    }
}
