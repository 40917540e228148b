//! The task that writes one reply: it reads the provider's stream, feeds the
//! followers, saves the text in batches and stores how it ended.

use super::LiveReply;
use crate::error::ProviderError;
use crate::failure::{Failover, Failure, LeftOut, Waiting};
use crate::model::MessageStatus;
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
    /// The oldest messages not sent, if any (said under the reply).
    pub left_out: Option<LeftOut>,
    /// Model picked for the conversation (`None`: the provider's default).
    pub model: Option<String>,
    /// Temperature and max tokens of the conversation.
    pub sampling: Sampling,
}

enum Ending {
    Complete,
    Stopped,
    /// Stopped at the longest reply the server keeps (`MAX_REPLY_CHARS`).
    TooLong(usize),
    Failed(Failure),
}

/// What the task learns on the way, beside the text.
struct Progress {
    first_token: Option<Instant>,
    last_token: Option<Instant>,
    /// The provider that really answered (the fallback, after a failover).
    provider_id: String,
    /// Why another provider answered.
    failover: Option<Failover>,
}

/// The note for a reply a fallback wrote, when `reason` is worth asking
/// the fallback at all: the chosen provider could not be reached or is
/// overloaded, and nothing has been generated yet.
pub fn failover_notice(chosen: &str, reason: &ProviderError, answered: &str) -> Option<Failover> {
    Some(Failover {
        chosen: chosen.to_string(),
        answered: answered.to_string(),
        reason: reason.failover_reason()?,
    })
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
                Some(Failure::Interrupted),
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
        failover: None,
    };
    let ending = stream_reply(&state, &job, &mut reply, &mut timing).await;
    if matches!(ending, Ending::Complete) {
        // The picker stops showing it as offline at once.
        state.catalog.mark_answered(&timing.provider_id);
    }
    let (status, failure) = match ending {
        Ending::Complete => (MessageStatus::Complete, None),
        Ending::Stopped => (MessageStatus::Stopped, None),
        Ending::TooLong(max_chars) => {
            (MessageStatus::Stopped, Some(Failure::TooLong { max_chars }))
        }
        Ending::Failed(err) => (MessageStatus::Failed, Some(err)),
    };
    let generation_ms = match (timing.first_token, timing.last_token) {
        (Some(first), Some(last)) => Some(last.duration_since(first).as_millis() as i64),
        _ => None,
    };
    let finished = FinishedReply {
        content: &reply.content,
        reasoning: &reply.reasoning,
        status,
        failure: failure.as_ref(),
        usage: reply.usage,
        generation_ms,
        provider: &timing.provider_id,
        failover: timing.failover.as_ref(),
        left_out: job.left_out.as_ref(),
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
            let mut message = unsaved_message(live, status, failure, Some(&timing));
            message.left_out = job.left_out.map(Box::new);
            live.finish(message);
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
    failure: Option<Failure>,
    timing: Option<&Progress>,
) -> crate::model::ChatMessage {
    let (content, reasoning) = live.snapshot();
    crate::model::ChatMessage {
        id: live.message_id,
        role: crate::model::Role::Assistant,
        content,
        reasoning,
        status,
        failure: failure.map(Box::new),
        error: None,
        provider: timing.map(|t| t.provider_id.clone()),
        usage: None,
        failover: timing.and_then(|t| t.failover.clone()).map(Box::new),
        left_out: None,
        notice: None,
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
        return Ending::Failed(Failure::ProviderRemoved {
            id: job.provider_id.clone(),
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
    let loading_wait = match &opened {
        Err(err) if err.status() == 503 => err.retry_after(),
        _ => None,
    };
    if let Some(seconds) = loading_wait {
        if seconds <= MAX_LOADING_WAIT_SECS {
            for left in (1..=seconds.max(1)).rev() {
                live.set_status(Some(Waiting::ModelLoading {
                    provider: provider.name.clone(),
                    seconds_left: left,
                }));
                if unless_stopped(&mut stop, tokio::time::sleep(Duration::from_secs(1)))
                    .await
                    .is_none()
                {
                    return Ending::Stopped;
                }
            }
            live.set_status(Some(Waiting::TryingAgain {
                provider: provider.name.clone(),
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
                .filter(|fallback| fallback.is_configured())
                .and_then(|fallback| {
                    failover_notice(&provider.name, &err, &fallback.name)
                        .map(|notice| (fallback, notice))
                });
            let Some((fallback, notice)) = fallback else {
                return Ending::Failed(Failure::Provider(err));
            };
            tracing::info!(from = %provider.id, to = %fallback.id, code = %err.code(), "failing over");
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
                    timing.failover = Some(notice);
                    (stream, fallback)
                }
                Err(second) => {
                    return Ending::Failed(Failure::FallbackFailed {
                        first: err,
                        fallback: fallback.name.clone(),
                        second,
                    })
                }
            }
        }
    };
    // The text so far is stored by the checkpoint loop, never here: this
    // loop only waits for the provider or for Stop.
    let max_chars = state.config.max_reply_chars;
    let mut chars = 0usize;
    loop {
        tokio::select! {
            biased;
            // Dropping `stream` here closes the upstream request: the
            // provider stops generating.
            () = stop_pressed(&mut stop) => return Ending::Stopped,
            next = stream.next() => match next {
                None if reply.is_empty() => {
                    return Ending::Failed(Failure::Provider(map_failure(
                        provider,
                        UpstreamFailure::EmptyReply,
                    )))
                }
                None => return Ending::Complete,
                Some(Err(failure)) => {
                    return Ending::Failed(Failure::Provider(map_failure(provider, failure)))
                }
                Some(Ok(parts)) => {
                    if !parts.content.is_empty() || !parts.reasoning.is_empty() {
                        let now = Instant::now();
                        timing.first_token.get_or_insert(now);
                        timing.last_token = Some(now);
                    }
                    reply.apply(&parts);
                    live.append(&parts.content, &parts.reasoning);
                    chars += parts.content.chars().count() + parts.reasoning.chars().count();
                    if chars >= max_chars {
                        // Dropping `stream` on return closes the upstream request.
                        return Ending::TooLong(max_chars);
                    }
                }
            },
        }
    }
}
