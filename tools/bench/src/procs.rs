//! The release-built app and mock provider the bench starts, on loopback,
//! with a fresh data folder; and their memory.

use procfs::process::Process;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when dropped.
pub struct Running {
    child: Child,
    /// What it is, for messages.
    pub name: &'static str,
}

impl Running {
    /// Process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now, in bytes (Linux `/proc`).
    pub fn rss_bytes(&self) -> Option<u64> {
        rss_of(self.pid())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident memory (`VmRSS`) of a process, in bytes.
pub fn rss_of(pid: u32) -> Option<u64> {
    let process = Process::new(i32::try_from(pid).ok()?).ok()?;
    Some(process.status().ok()?.vmrss? * 1024)
}

/// CPU time a process has used so far (user + system), in seconds; this
/// process's own when `pid` is `None`.
pub fn cpu_seconds(pid: Option<u32>) -> Option<f64> {
    let process = match pid {
        Some(pid) => Process::new(i32::try_from(pid).ok()?),
        None => Process::myself(),
    }
    .ok()?;
    let stat = process.stat().ok()?;
    Some((stat.utime + stat.stime) as f64 / procfs::ticks_per_second() as f64)
}

fn binary(target: &Path, name: &str) -> Result<PathBuf, String> {
    let path = target.join("release").join(name);
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: run `make bench` (it builds the release binaries first)",
            path.display()
        ))
    }
}

/// The content hashes cargo-leptos gave the page's files, from `hash.txt`
/// beside the release binary; empty when the build did not hash them.
pub fn asset_hashes(target: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(target.join("release").join("hash.txt")).unwrap_or_default();
    nexa_chat::static_files::parse_hashes(&text)
}

/// Starts the mock provider: streams of `words` deltas, `pace_ms` apart.
pub fn start_mock(target: &Path, port: u16, words: usize, pace_ms: u64) -> Result<Running, String> {
    let child = Command::new(binary(target, "mock-provider")?)
        .args([
            "--port",
            &port.to_string(),
            "--control-port",
            &(port + 1).to_string(),
        ])
        .args([
            "--stream-words",
            &words.to_string(),
            "--delta-ms",
            &pace_ms.to_string(),
        ])
        .arg("--no-record")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the mock provider: {e}"))?;
    Ok(Running {
        child,
        name: "mock provider",
    })
}

/// Starts the app against the mock, with its data in `data_dir`; `hashed`:
/// the build named its files after their content.
pub fn start_app(
    target: &Path,
    site_root: &Path,
    hashed: bool,
    port: u16,
    mock_port: u16,
    data_dir: &Path,
) -> Result<Running, String> {
    let child = Command::new(binary(target, "nexa-chat")?)
        .current_dir(data_dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", data_dir)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/bench.db?mode=rwc", data_dir.display()),
        )
        .env("LOCAL_AI_URL", format!("http://127.0.0.1:{mock_port}/v1"))
        .env("LOCAL_AI_MODEL", "mock-instruct-7b")
        .env("LEPTOS_SITE_ROOT", site_root)
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_OUTPUT_NAME", "nexa-chat")
        // As `cargo leptos serve` runs it: the page names the hashed files.
        .env("LEPTOS_HASH_FILES", hashed.to_string())
        .env("LEPTOS_ENV", "PROD")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the app: {e}"))?;
    Ok(Running { child, name: "app" })
}

/// Waits until `url` answers 200.
pub async fn wait_ready(
    http: &reqwest::Client,
    url: &str,
    process: &Running,
) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(res) = http.get(url).send().await {
            if res.status().is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!(
        "the {} did not answer at {url} within 30 s",
        process.name
    ))
}
