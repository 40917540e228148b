//! `make bench`: what the app costs, measured on loopback against the
//! release-built mock provider. Prints a table and writes JSON.
//!
//! `bench [--quick] [--levels 250,500,1000,2000] [--out target/bench.json]`

mod load;
mod procs;
mod stats;

use clap::Parser;
use load::Target;
use serde::Serialize;
use serde_json::{json, Value};
use stats::{brotli_len, gzip_len, Spread};
use std::path::PathBuf;
use std::time::Duration;

/// Deltas per stream and the pace between them, as the issue sets them.
const STREAM_WORDS: usize = 64;
const PACE_MS: u64 = 50;

/// What the bench measures; `--quick` and `--levels` make it shorter.
#[derive(Parser)]
#[command(name = "bench")]
struct Options {
    /// Fewer samples per figure (a short run to try a change).
    #[arg(long)]
    quick: bool,
    /// How many replies stream at once, one level after another.
    #[arg(long, value_delimiter = ',', default_value = "250,500,1000,2000")]
    levels: Vec<usize>,
    /// Where the JSON figures go.
    #[arg(long, default_value = "target/bench.json")]
    out: PathBuf,
}

/// Size of one asset of the page.
#[derive(Debug, Serialize)]
struct Asset {
    file: String,
    raw: usize,
    gzip: usize,
    brotli: usize,
    /// What the app really sends a browser that accepts brotli.
    served: load::Served,
}

/// Each asset's size on disk, compressed, and as the app serves it.
async fn page_weight(
    hashes: &[(String, String)],
    site_root: &std::path::Path,
    target: &Target,
    downloads: usize,
) -> Result<Vec<Asset>, String> {
    let mut assets = Vec::new();
    for kind in ["wasm", "js", "css"] {
        let file = nexa_chat::static_files::built_file_name("nexa-chat", hashes, kind);
        let Ok(bytes) = std::fs::read(site_root.join("pkg").join(&file)) else {
            continue;
        };
        assets.push(Asset {
            file: format!("nexa-chat.{kind}"),
            raw: bytes.len(),
            gzip: gzip_len(&bytes),
            brotli: brotli_len(&bytes),
            served: load::served(target, &format!("/pkg/{file}"), downloads).await?,
        });
    }
    Ok(assets)
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
}

fn row(name: &str, s: &Spread) -> String {
    format!("| {name} | {:.3} ms | {:.3} ms |", s.p50_ms, s.p99_ms)
}

/// Replies stored complete with the expected text, and all replies.
async fn stored_replies(db: &std::path::Path, expected: &str) -> Result<(i64, i64), String> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
        .await
        .map_err(|e| e.to_string())?;
    let whole: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages WHERE role = 'assistant' AND status = 'complete' AND content = ?1",
    )
    .bind(expected)
    .fetch_one(&pool)
    .await
    .map_err(|e| e.to_string())?;
    let all: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.role = 'assistant' AND c.title = 'bench'",
    )
    .fetch_one(&pool)
    .await
    .map_err(|e| e.to_string())?;
    Ok((whole, all))
}

async fn run(options: Options) -> Result<Value, String> {
    let root = std::env::current_dir().map_err(|e| e.to_string())?;
    let target_dir = root.join("target");
    let site_root = target_dir.join("site");
    let data = tempfile::Builder::new()
        .prefix("nexa-bench-")
        .tempdir()
        .map_err(|e| format!("cannot create a data folder: {e}"))?;
    let (app_port, mock_port) = (4600, 4610);
    let mock = procs::start_mock(&target_dir, mock_port, STREAM_WORDS, PACE_MS)?;
    let hashes = procs::asset_hashes(&target_dir);
    let app = procs::start_app(
        &target_dir,
        &site_root,
        !hashes.is_empty(),
        app_port,
        mock_port,
        data.path(),
    )?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(4096)
        .build()
        .map_err(|e| e.to_string())?;
    let app_url = format!("http://127.0.0.1:{app_port}");
    procs::wait_ready(
        &http,
        &format!("http://127.0.0.1:{mock_port}/v1/models"),
        &mock,
    )
    .await?;
    procs::wait_ready(&http, &format!("{app_url}/api/health"), &app).await?;
    let signup: Value = http
        .post(format!("{app_url}/api/auth/signup"))
        .json(&json!({"username": "bench", "password": "bench-password"}))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let token = signup["token"]
        .as_str()
        .ok_or_else(|| format!("sign-up failed: {signup}"))?
        .to_string();
    let target = Target {
        http,
        app: app_url,
        mock: format!("http://127.0.0.1:{mock_port}/v1/chat/completions"),
        token,
    };

    // Warm up both paths, then let the app settle for the idle figure.
    load::latency(&target, 4, 200).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_rss = app.rss_bytes().unwrap_or(0);
    eprintln!("idle: {}", mb(idle_rss));

    let pairs = if options.quick { 500 } else { 5000 };
    let serial = load::latency(&target, 1, pairs).await?;
    eprintln!("latency c=1: added p99 {:.3} ms", serial.added.p99_ms);
    let parallel = load::latency(&target, 64, pairs * 4).await?;
    eprintln!("latency c=64: added p99 {:.3} ms", parallel.added.p99_ms);
    let streaming = load::streaming(&target, if options.quick { 40 } else { 200 }, 20).await?;
    eprintln!(
        "streaming: first token p50 {:.3} ms direct, {:.3} ms through the app",
        streaming.direct_first_token.p50_ms, streaming.app_first_token.p50_ms
    );

    // A chat to render: one turn through the page's path.
    let expected = mock_provider::bench_words(STREAM_WORDS);
    // `streams` replies at once through the page's path; a gap over two
    // paces counts as a stall.
    let stream_level = |streams: usize| {
        load::stream_level(
            &target,
            streams,
            &expected,
            2.0 * PACE_MS as f64,
            app.pid(),
            mock.pid(),
        )
    };
    let first = stream_level(1).await;
    if first.complete != 1 {
        return Err(format!(
            "a single followed reply failed: {:?}",
            first.first_error
        ));
    }
    let ssr_chat = load::page_time(&target, "/c/1", if options.quick { 100 } else { 500 }).await?;
    let ssr_login =
        load::page_time(&target, "/login", if options.quick { 100 } else { 500 }).await?;

    let mut levels = Vec::new();
    for streams in &options.levels {
        let level = stream_level(*streams).await;
        eprintln!(
            "{streams} streams: {} complete, {} broken, {} stalled, longest gap {:.0} ms, peak {}",
            level.complete,
            level.broken,
            level.stalled,
            level.longest_gap_ms,
            mb(level.peak_rss_bytes)
        );
        levels.push(level);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let carried = levels
        .iter()
        .filter(|l| l.broken == 0 && l.stalled == 0)
        .map(|l| l.streams)
        .max()
        .unwrap_or(0);
    let (stored_whole, stored_all) =
        stored_replies(&data.path().join("bench.db"), &expected).await?;
    let assets = page_weight(
        &hashes,
        &site_root,
        &target,
        if options.quick { 5 } else { 20 },
    )
    .await?;
    let total_served: usize = assets.iter().map(|a| a.served.bytes).sum();
    let total_brotli: usize = assets.iter().map(|a| a.brotli).sum();
    let asked_again = assets.iter().filter(|a| a.served.asked_again()).count();

    // The table.
    println!(
        "\n## Nexa Chat bench ({} CPU cores, loopback, release build)\n",
        num_cpus()
    );
    println!("| latency, non-streaming | p50 | p99 |\n|---|---|---|");
    for l in [&serial, &parallel] {
        println!(
            "{}",
            row(
                &format!("straight to the mock, c={}", l.concurrency),
                &l.direct
            )
        );
        println!(
            "{}",
            row(
                &format!("through Nexa Chat, c={}", l.concurrency),
                &l.through_app
            )
        );
        println!(
            "{}",
            row(&format!("**added**, c={}", l.concurrency), &l.added)
        );
    }
    println!(
        "\n| streaming ({STREAM_WORDS} deltas, {PACE_MS} ms apart) | p50 | p99 |\n|---|---|---|"
    );
    let c = streaming.concurrency;
    let lines = [
        (
            "first token, straight (one stream at a time)".to_string(),
            streaming.direct_first_token,
        ),
        (
            "first token, through Nexa Chat".to_string(),
            streaming.app_first_token,
        ),
        (
            "**added first token** (pair by pair)".to_string(),
            streaming.added_first_token,
        ),
        (
            format!("gap between deltas, straight ({c} streams at once)"),
            streaming.direct_gap,
        ),
        (
            format!("gap between deltas, through Nexa Chat ({c} at once)"),
            streaming.app_gap,
        ),
    ];
    for (name, spread) in &lines {
        println!("{}", row(name, spread));
    }
    println!(
        "| **added gap** | {:.3} ms | {:.3} ms |",
        streaming.app_gap.p50_ms - streaming.direct_gap.p50_ms,
        streaming.app_gap.p99_ms - streaming.direct_gap.p99_ms
    );
    println!("\n| concurrent streams (page path: send + follow) | complete | broken | stalled (>{} ms) | gap p99 | longest gap | peak RSS | CPU s: app / mock / load generator |\n|---|---|---|---|---|---|---|---|", 2 * PACE_MS);
    for l in &levels {
        println!(
            "| {} | {} | {} | {} | {:.1} ms | {:.0} ms | {} | {:.1} / {:.1} / {:.1} |",
            l.streams,
            l.complete,
            l.broken,
            l.stalled,
            l.gap.p99_ms,
            l.longest_gap_ms,
            mb(l.peak_rss_bytes),
            l.cpu_seconds.0,
            l.cpu_seconds.1,
            l.cpu_seconds.2
        );
    }
    println!(
        "\nLargest level carried with nothing lost, reordered or stalled: **{carried} streams**."
    );
    println!("Stored afterwards: {stored_whole} of {stored_all} replies complete and whole in the database.");
    println!("\n| page | p50 | p99 |\n|---|---|---|");
    println!("{}", row("chat page (SSR, 2 messages)", &ssr_chat));
    println!("{}", row("sign-in page (SSR)", &ssr_login));
    println!("\n| asset | raw | gzip | brotli | served (browser accepting br) | serve time p50 | Cache-Control |\n|---|---|---|---|---|---|---|");
    for a in &assets {
        println!(
            "| {} | {} | {} | {} | {} ({}) | {:.2} ms | {} |",
            a.file,
            kb(a.raw),
            kb(a.gzip),
            kb(a.brotli),
            kb(a.served.bytes),
            a.served.encoding,
            a.served.time.p50_ms,
            if a.served.cache_control.is_empty() {
                "(none)"
            } else {
                &a.served.cache_control
            }
        );
    }
    println!(
        "| **total** | | | **{}** | **{}** | | |",
        kb(total_brotli),
        kb(total_served)
    );
    println!(
        "\nA second visit asks the server for {asked_again} of these {} files (an `immutable` one is taken from the browser's cache without asking).",
        assets.len()
    );
    println!(
        "\nMemory: {} idle; {} at the peak stream level.",
        mb(idle_rss),
        mb(levels.iter().map(|l| l.peak_rss_bytes).max().unwrap_or(0))
    );

    Ok(json!({
        "cpus": num_cpus(),
        "stream_words": STREAM_WORDS,
        "pace_ms": PACE_MS,
        "latency": [serial, parallel],
        "streaming": streaming,
        "stream_levels": levels,
        "streams_carried": carried,
        "stored_whole": stored_whole,
        "stored_all": stored_all,
        "ssr_chat_page": ssr_chat,
        "ssr_login_page": ssr_login,
        "assets": assets,
        "assets_brotli_total": total_brotli,
        "assets_served_total": total_served,
        "assets_asked_again_on_second_visit": asked_again,
        "idle_rss_bytes": idle_rss,
    }))
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    let out = options.out.clone();
    match run(options).await {
        Ok(report) => {
            let text = serde_json::to_string_pretty(&report).unwrap_or_default();
            if let Err(err) = std::fs::write(&out, text) {
                eprintln!("bench: cannot write {}: {err}", out.display());
                std::process::exit(1);
            }
            eprintln!("\nJSON written to {}", out.display());
        }
        Err(problem) => {
            eprintln!("bench: {problem}");
            std::process::exit(1);
        }
    }
}
