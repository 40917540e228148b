//! The Nexa Chat server.

/// jemalloc returns freed memory to the system gradually; glibc's allocator
/// trims at once and faults it back under the next burst of streams.
#[cfg(all(feature = "ssr", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    match nexa_chat::server::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("nexa-chat: cannot start: {err}");
            std::process::ExitCode::from(2)
        }
    }
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser side starts in `lib.rs` (`hydrate`).
}
