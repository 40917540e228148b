//! The load the bench puts on the app and, for comparison, straight on the
//! mock provider: plain requests, OpenAI streams, and the page's own path
//! (send a message, follow its reply) at many streams at once.

use crate::stats::{ms, spread, Spread};
use nexa_chat::providers::sse::SseDecoder;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where the bench sends its requests.
#[derive(Clone)]
pub struct Target {
    /// One client: keep-alive connections, like a real caller.
    pub http: reqwest::Client,
    /// `http://127.0.0.1:PORT` of the app.
    pub app: String,
    /// Chat-completions URL of the mock provider.
    pub mock: String,
    /// A session token for the app.
    pub token: String,
}

impl Target {
    fn direct_request(&self, stream: bool) -> reqwest::RequestBuilder {
        self.http.post(&self.mock).json(&json!({
            "model": "mock-instruct-7b",
            "messages": [{"role": "user", "content": "Hello"}],
            "stream": stream,
        }))
    }

    fn app_request(&self, stream: bool) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}/api/ai/chat", self.app))
            .bearer_auth(&self.token)
            .json(&json!({
                "messages": [{"role": "user", "content": "Hello"}],
                "provider": "local",
                "stream": stream,
            }))
    }
}

/// One whole download: how long it took, the body's size as sent, its
/// `Content-Encoding` (`identity` when none) and `Cache-Control`.
struct Download {
    ms: f64,
    bytes: usize,
    encoding: String,
    cache_control: String,
}

/// A header of an answer as text, or `absent` when it has none.
fn header_text(res: &reqwest::Response, name: &str, absent: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or(absent)
        .to_string()
}

async fn download(request: reqwest::RequestBuilder) -> Result<Download, String> {
    let started = Instant::now();
    let res = request.send().await.map_err(|e| e.to_string())?;
    let status = res.status();
    let encoding = header_text(&res, "content-encoding", "identity");
    let cache_control = header_text(&res, "cache-control", "");
    let body = res.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    Ok(Download {
        ms: ms(started.elapsed()),
        bytes: body.len(),
        encoding,
        cache_control,
    })
}

async fn timed(request: reqwest::RequestBuilder) -> Result<f64, String> {
    download(request).await.map(|d| d.ms)
}

/// Plain (non-streaming) latency, straight and through the app.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Straight to the mock.
    pub direct: Spread,
    /// Through `POST /api/ai/chat`.
    pub through_app: Spread,
    /// Through the app minus straight, pair by pair.
    pub added: Spread,
}

/// `pairs` pairs of requests, each pair one straight and one through the
/// app (alternating which goes first), `concurrency` pairs at a time.
pub async fn latency(target: &Target, concurrency: usize, pairs: usize) -> Result<Latency, String> {
    let per_worker = pairs.div_ceil(concurrency);
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let target = target.clone();
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(per_worker);
            for i in 0..per_worker {
                let (direct, app) = if (worker + i) % 2 == 0 {
                    let d = timed(target.direct_request(false)).await?;
                    (d, timed(target.app_request(false)).await?)
                } else {
                    let a = timed(target.app_request(false)).await?;
                    (timed(target.direct_request(false)).await?, a)
                };
                samples.push((direct, app));
            }
            Ok::<_, String>(samples)
        }));
    }
    let mut samples = Vec::new();
    for worker in workers {
        samples.extend(worker.await.map_err(|e| e.to_string())??);
    }
    let direct: Vec<f64> = samples.iter().map(|s| s.0).collect();
    let app: Vec<f64> = samples.iter().map(|s| s.1).collect();
    let added: Vec<f64> = samples.iter().map(|s| s.1 - s.0).collect();
    Ok(Latency {
        concurrency,
        direct: spread(&direct),
        through_app: spread(&app),
        added: spread(&added),
    })
}

/// When the text of one stream arrived.
#[derive(Debug, Default)]
pub struct StreamTiming {
    /// Request sent to first text.
    pub first_token_ms: f64,
    /// Between consecutive pieces of text.
    pub gaps_ms: Vec<f64>,
    /// The whole text.
    pub text: String,
}

/// Reads an OpenAI chunk stream, timing its content deltas; stops after
/// `max_deltas` of them (dropping the stream) when given.
async fn read_openai_stream(
    request: reqwest::RequestBuilder,
    max_deltas: Option<usize>,
) -> Result<StreamTiming, String> {
    let started = Instant::now();
    let mut res = request.send().await.map_err(|e| e.to_string())?;
    if !res.status().is_success() {
        return Err(format!("HTTP {}", res.status()));
    }
    let mut decoder = SseDecoder::new();
    let mut timing = StreamTiming::default();
    let mut last: Option<Instant> = None;
    while let Some(bytes) = res.chunk().await.map_err(|e| e.to_string())? {
        let now = Instant::now();
        for event in decoder
            .push(&bytes)
            .map_err(|_| "line too long".to_string())?
        {
            if event.data.trim() == "[DONE]" {
                return Ok(timing);
            }
            let value: Value = serde_json::from_str(&event.data).unwrap_or(Value::Null);
            let text = value
                .pointer("/choices/0/delta/content")
                .and_then(Value::as_str)
                .unwrap_or("");
            if text.is_empty() {
                continue;
            }
            match last {
                None => timing.first_token_ms = ms(now - started),
                Some(previous) => timing.gaps_ms.push(ms(now - previous)),
            }
            last = Some(now);
            timing.text.push_str(text);
            if max_deltas.is_some_and(|max| timing.gaps_ms.len() + 1 >= max) {
                return Ok(timing);
            }
        }
    }
    Ok(timing)
}

/// Time to first token, one stream at a time (so nothing else competes for
/// the two cores), alternating straight and through the app; each stream is
/// dropped after its first delta.
pub async fn first_tokens(
    target: &Target,
    pairs: usize,
) -> Result<(Spread, Spread, Spread), String> {
    let (mut direct, mut app, mut added) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..pairs {
        let straight = || read_openai_stream(target.direct_request(true), Some(1));
        let through = || read_openai_stream(target.app_request(true), Some(1));
        let (d, a) = if i % 2 == 0 {
            let d = straight().await?.first_token_ms;
            (d, through().await?.first_token_ms)
        } else {
            let a = through().await?.first_token_ms;
            (straight().await?.first_token_ms, a)
        };
        direct.push(d);
        app.push(a);
        added.push(a - d);
    }
    Ok((spread(&direct), spread(&app), spread(&added)))
}

/// Time to first token and gaps between deltas, straight and through the app.
#[derive(Debug, Clone, Serialize)]
pub struct Streaming {
    /// Streams of each kind.
    pub streams: usize,
    /// Streams at once while the gaps were measured.
    pub concurrency: usize,
    /// Added first token, pair by pair, one stream at a time.
    pub added_first_token: Spread,
    /// First token, straight to the mock.
    pub direct_first_token: Spread,
    /// First token, through the app.
    pub app_first_token: Spread,
    /// Gap between deltas, straight.
    pub direct_gap: Spread,
    /// Gap between deltas, through the app.
    pub app_gap: Spread,
}

/// `streams` streams each way, `concurrency` at a time, interleaved.
pub async fn streaming(
    target: &Target,
    streams: usize,
    concurrency: usize,
) -> Result<Streaming, String> {
    let mut direct = Vec::new();
    let mut app = Vec::new();
    let mut left = streams;
    while left > 0 {
        let batch = left.min(concurrency);
        left -= batch;
        let mut tasks = Vec::new();
        for i in 0..batch * 2 {
            let target = target.clone();
            tasks.push(tokio::spawn(async move {
                let through_app = i % 2 == 1;
                let request = if through_app {
                    target.app_request(true)
                } else {
                    target.direct_request(true)
                };
                read_openai_stream(request, None)
                    .await
                    .map(|t| (through_app, t))
            }));
        }
        for task in tasks {
            let (through_app, timing) = task.await.map_err(|e| e.to_string())??;
            if through_app {
                app.push(timing);
            } else {
                direct.push(timing);
            }
        }
    }
    let gaps = |all: &[StreamTiming]| {
        spread(
            &all.iter()
                .flat_map(|t| t.gaps_ms.clone())
                .collect::<Vec<_>>(),
        )
    };
    let (direct_first_token, app_first_token, added_first_token) =
        first_tokens(target, streams * 2).await?;
    Ok(Streaming {
        streams,
        concurrency,
        added_first_token,
        direct_first_token,
        app_first_token,
        direct_gap: gaps(&direct),
        app_gap: gaps(&app),
    })
}

/// One reply followed through the page's path.
#[derive(Debug, Default)]
struct Followed {
    /// The text as the follower put it together.
    text: String,
    /// The stored message at the end.
    done: Value,
    /// Longest wait between pieces of text after the first.
    longest_gap_ms: f64,
    /// All gaps.
    gaps_ms: Vec<f64>,
}

/// Sends a message in a new chat and follows its reply to the end.
async fn send_and_follow(target: &Target) -> Result<Followed, String> {
    let sent: Value = target
        .http
        .post(format!("{}/api/send_message", target.app))
        .bearer_auth(&target.token)
        .json(&json!({"conversation_id": null, "provider": "local", "content": "bench"}))
        .send()
        .await
        .map_err(|e| format!("send: {e}"))?
        .json()
        .await
        .map_err(|e| format!("send: {e}"))?;
    let id = sent["conversation_id"]
        .as_i64()
        .ok_or_else(|| format!("send failed: {sent}"))?;
    let mut res = target
        .http
        .get(format!("{}/api/chats/{id}/stream", target.app))
        .bearer_auth(&target.token)
        .send()
        .await
        .map_err(|e| format!("follow: {e}"))?;
    let mut decoder = SseDecoder::new();
    let mut followed = Followed::default();
    let mut last: Option<Instant> = None;
    while let Some(bytes) = res.chunk().await.map_err(|e| format!("follow: {e}"))? {
        let now = Instant::now();
        for event in decoder
            .push(&bytes)
            .map_err(|_| "line too long".to_string())?
        {
            let value: Value = serde_json::from_str(&event.data).unwrap_or(Value::Null);
            match event.event.as_deref() {
                Some("snapshot") => {
                    followed.text = value["content"].as_str().unwrap_or("").to_string()
                }
                Some("delta") => followed
                    .text
                    .push_str(value["content"].as_str().unwrap_or("")),
                Some("done") => {
                    followed.done = value;
                    return Ok(followed);
                }
                _ => continue,
            }
            if let Some(previous) = last {
                let gap = ms(now - previous);
                followed.longest_gap_ms = followed.longest_gap_ms.max(gap);
                followed.gaps_ms.push(gap);
            }
            last = Some(now);
        }
    }
    Err("the stream ended without a done event".into())
}

/// How one level of concurrent streams went.
#[derive(Debug, Clone, Serialize)]
pub struct StreamLevel {
    /// Streams at once.
    pub streams: usize,
    /// Replies that arrived whole and in order, and were stored complete.
    pub complete: usize,
    /// Replies with missing, repeated or reordered text, or failed.
    pub broken: usize,
    /// Replies that waited more than twice the pace between deltas.
    pub stalled: usize,
    /// Gaps between deltas as followers saw them.
    pub gap: Spread,
    /// Longest gap seen.
    pub longest_gap_ms: f64,
    /// Wall time of the level.
    pub seconds: f64,
    /// Highest app memory while it ran.
    pub peak_rss_bytes: u64,
    /// First error seen, if any.
    pub first_error: Option<String>,
    /// CPU seconds used during the level: (app, mock provider, load generator).
    pub cpu_seconds: (f64, f64, f64),
}

/// `streams` replies at once through the page's path; each must be
/// `expected`, with no gap over `stall_ms`.
pub async fn stream_level(
    target: &Target,
    streams: usize,
    expected: &str,
    stall_ms: f64,
    app_pid: u32,
    mock_pid: u32,
) -> StreamLevel {
    let started = Instant::now();
    let cpu = || {
        (
            crate::procs::cpu_seconds(Some(app_pid)).unwrap_or(0.0),
            crate::procs::cpu_seconds(Some(mock_pid)).unwrap_or(0.0),
            crate::procs::cpu_seconds(None).unwrap_or(0.0),
        )
    };
    let cpu_before = cpu();
    let expected: Arc<str> = Arc::from(expected);
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let sampling = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                if let Some(rss) = crate::procs::rss_of(app_pid) {
                    peak.fetch_max(rss, std::sync::atomic::Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let tasks: Vec<_> = (0..streams)
        .map(|_| {
            let target = target.clone();
            tokio::spawn(async move { send_and_follow(&target).await })
        })
        .collect();
    let (mut complete, mut broken, mut stalled) = (0, 0, 0);
    let mut gaps = Vec::new();
    let mut longest: f64 = 0.0;
    let mut first_error = None;
    for task in tasks {
        match task.await.map_err(|e| e.to_string()).and_then(|r| r) {
            Ok(followed) => {
                let stored_ok = followed.done["status"] == "complete"
                    && followed.done["content"].as_str() == Some(&*expected);
                if followed.text == *expected && stored_ok {
                    complete += 1;
                } else {
                    broken += 1;
                    first_error.get_or_insert_with(|| {
                        format!(
                            "reply {:?}… stored as {}",
                            followed.text.chars().take(40).collect::<String>(),
                            followed.done["status"]
                        )
                    });
                }
                if followed.longest_gap_ms > stall_ms {
                    stalled += 1;
                }
                longest = longest.max(followed.longest_gap_ms);
                gaps.extend(followed.gaps_ms);
            }
            Err(err) => {
                broken += 1;
                first_error.get_or_insert(err);
            }
        }
    }
    sampling.abort();
    let cpu_after = cpu();
    StreamLevel {
        cpu_seconds: (
            cpu_after.0 - cpu_before.0,
            cpu_after.1 - cpu_before.1,
            cpu_after.2 - cpu_before.2,
        ),
        streams,
        complete,
        broken,
        stalled,
        gap: spread(&gaps),
        longest_gap_ms: longest,
        seconds: started.elapsed().as_secs_f64(),
        peak_rss_bytes: peak.load(std::sync::atomic::Ordering::Relaxed),
        first_error,
    }
}

/// Server-side rendering time of a page (whole body), `n` times in a row.
pub async fn page_time(target: &Target, path: &str, n: usize) -> Result<Spread, String> {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let request = target
            .http
            .get(format!("{}{path}", target.app))
            .header("cookie", format!("nexa_session={}", target.token));
        samples.push(timed(request).await?);
    }
    Ok(spread(&samples))
}

/// What a browser downloads for one static file: the bytes on the wire when
/// it accepts brotli, and how long the whole download takes, `n` times.
#[derive(Debug, Clone, Serialize)]
pub struct Served {
    /// Bytes of the body as sent.
    pub bytes: usize,
    /// `Content-Encoding` of the answer (`identity` when none).
    pub encoding: String,
    /// Whole download time.
    pub time: Spread,
    /// `Cache-Control` of the answer (empty when none).
    pub cache_control: String,
}

impl Served {
    /// Whether a browser that has the file asks for it again on the next
    /// visit (anything but a long-lived `immutable` answer).
    pub fn asked_again(&self) -> bool {
        !self.cache_control.contains("immutable")
    }
}

/// Downloads `path` from the app `n` times, accepting brotli or gzip.
pub async fn served(target: &Target, path: &str, n: usize) -> Result<Served, String> {
    let mut samples = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n.max(1) {
        let request = target
            .http
            .get(format!("{}{path}", target.app))
            .header("accept-encoding", "br, gzip");
        let got = download(request)
            .await
            .map_err(|e| format!("{path}: {e}"))?;
        samples.push(got.ms);
        last = Some(got);
    }
    let last = last.ok_or_else(|| format!("{path}: not downloaded"))?;
    Ok(Served {
        bytes: last.bytes,
        encoding: last.encoding,
        time: spread(&samples),
        cache_control: last.cache_control,
    })
}
