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
use nexa_chat::testing::mock_provider::{MockOptions, MockSwitch};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

fn usage(problem: &str) -> ! {
    eprintln!("mock-provider: {problem}");
    eprintln!(
        "usage: mock-provider [--port N] [--control-port N] [--key TOKEN] [--delta-ms N] [--stream-words N] [--no-record]"
    );
    std::process::exit(2)
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> T {
    value
        .as_deref()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| usage(&format!("{flag} needs a number")))
}

#[tokio::main]
async fn main() {
    let mut port: u16 = 4010;
    let mut control_port: u16 = 4011;
    let mut options = MockOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--port" => port = number(&flag, args.next()),
            "--control-port" => control_port = number(&flag, args.next()),
            "--key" => {
                options.required_key =
                    Some(args.next().unwrap_or_else(|| usage("--key needs a value")))
            }
            "--delta-ms" => options.delta_pause = Duration::from_millis(number(&flag, args.next())),
            "--stream-words" => options.stream_words = Some(number(&flag, args.next())),
            "--no-record" => options.record_requests = false,
            other => usage(&format!("unknown argument '{other}'")),
        }
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let switch = match MockSwitch::start(addr, options).await {
        Ok(s) => Arc::new(Mutex::new(s)),
        Err(err) => usage(&format!("cannot listen on {addr}: {err}")),
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
        Err(err) => usage(&format!("cannot listen on {control_addr}: {err}")),
    };
    println!("mock provider on http://{addr}/v1, control on http://{control_addr}");
    if let Err(err) = axum::serve(listener, control).await {
        eprintln!("mock-provider: {err}");
    }
}
