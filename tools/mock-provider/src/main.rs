//! The mock provider as a program, for the browser tests and benchmarks.
//!
//! `mock-provider [--port 4010] [--control-port 4011] [--key TOKEN] [--delta-ms 0]
//! [--stream-words N] [--no-record]`
//!
//! The control port answers `POST /down` (the provider port refuses
//! connections) and `POST /up` (it listens again).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use clap::Parser;
use mock_provider::{MockOptions, MockSwitch};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// A mock OpenAI-compatible provider on 127.0.0.1.
#[derive(Parser)]
#[command(name = "mock-provider")]
struct Args {
    /// Port of the provider API (`/v1/...`).
    #[arg(long, default_value_t = 4010)]
    port: u16,
    /// Port of the control API (`POST /down`, `POST /up`).
    #[arg(long, default_value_t = 4011)]
    control_port: u16,
    /// API key the provider requires (none: any request is let in).
    #[arg(long)]
    key: Option<String>,
    /// Pause between streamed deltas, in milliseconds.
    #[arg(long, default_value_t = 0)]
    delta_ms: u64,
    /// Stream this many words instead of the usual reply.
    #[arg(long)]
    stream_words: Option<usize>,
    /// Keep no record of the requests (long benchmark runs).
    #[arg(long)]
    no_record: bool,
}

/// Exits with a message, as clap does for a bad argument.
fn fail(problem: &str) -> ! {
    eprintln!("mock-provider: {problem}");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let options = MockOptions {
        required_key: args.key,
        delta_pause: Duration::from_millis(args.delta_ms),
        stream_words: args.stream_words,
        record_requests: !args.no_record,
        ..MockOptions::default()
    };
    let (port, control_port) = (args.port, args.control_port);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let switch = match MockSwitch::start(addr, options).await {
        Ok(s) => Arc::new(Mutex::new(s)),
        Err(err) => fail(&format!("cannot listen on {addr}: {err}")),
    };
    let control = Router::new()
        .route(
            "/down",
            post(|State(s): State<Arc<Mutex<MockSwitch>>>| async move {
                s.lock().await.down().await;
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/up",
            post(|State(s): State<Arc<Mutex<MockSwitch>>>| async move {
                match s.lock().await.up().await {
                    Ok(()) => StatusCode::NO_CONTENT,
                    Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
                }
            }),
        )
        .with_state(switch);
    let control_addr = SocketAddr::from(([127, 0, 0, 1], control_port));
    let listener = match tokio::net::TcpListener::bind(control_addr).await {
        Ok(l) => l,
        Err(err) => fail(&format!("cannot listen on {control_addr}: {err}")),
    };
    println!("mock provider on http://{addr}/v1, control on http://{control_addr}");
    if let Err(err) = axum::serve(listener, control).await {
        eprintln!("mock-provider: {err}");
    }
}
