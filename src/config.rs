//! Every setting, read once at start from the environment, `.env.local` and
//! `.env`, with one clear error line per bad value.

use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default URL of the local OpenAI-compatible server (LM Studio).
pub const DEFAULT_LOCAL_AI_URL: &str = "http://localhost:1234/v1/chat/completions";
/// Default Hugging Face router endpoint.
pub const DEFAULT_HF_API_URL: &str = "https://router.huggingface.co/v1/chat/completions";
/// Default Hugging Face model.
pub const DEFAULT_HF_CHAT_MODEL: &str = "meta-llama/Llama-3.2-3B-Instruct:fastest";

/// A setting that could not be used; the message names the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub var: &'static str,
    /// What is wrong and what is expected.
    pub message: String,
}

impl ConfigError {
    fn new(var: &'static str, message: impl Into<String>) -> Self {
        ConfigError {
            var,
            message: message.into(),
        }
    }
}

/// When the session cookie carries the `Secure` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieSecure {
    /// Only when the request came over HTTPS (`X-Forwarded-Proto: https`).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The app's settings. Their `Debug` shows no key, secret or URL
/// password.
#[derive(Clone)]
pub struct Config {
    /// Address the server listens on, when set (`LISTEN_ADDR`).
    pub listen_addr: Option<SocketAddr>,
    /// Folder for the database and the generated JWT secret.
    pub data_dir: PathBuf,
    /// sqlx database URL.
    pub database_url: String,
    /// Whether anyone may create an account once the first one exists,
    /// until the admin switches it (`ALLOW_SIGNUP`; unset: open only when
    /// `LISTEN_ADDR` is a loopback address and `PUBLIC_URL` is not set).
    pub allow_signup: bool,
    /// HS256 secret, when given in the environment (else generated in `data_dir`).
    pub jwt_secret: Option<SecretString>,
    /// Lifetime of a session token.
    pub jwt_ttl: Duration,
    /// Secure flag policy for the session cookie.
    pub cookie_secure: CookieSecure,
    /// Full chat-completions URL of the local server.
    pub local_ai_url: String,
    /// Model name sent to the local server, when set.
    pub local_ai_model: Option<String>,
    /// Bearer key for the local server, when it wants one.
    pub local_ai_api_key: Option<SecretString>,
    /// Hugging Face token, when set.
    pub hf_token: Option<SecretString>,
    /// Hugging Face model.
    pub hf_model: String,
    /// Hugging Face chat-completions URL.
    pub hf_api_url: String,
    /// Longest time a provider may take to answer.
    pub provider_timeout: Duration,
    /// Provider that answers when Local AI or Hugging Face is down.
    pub fallback_provider: Option<String>,
    /// Origins (`https://chat.example.com`) whose pages may change things
    /// besides the one the request was sent to: `PUBLIC_URL` and
    /// `TRUSTED_ORIGINS`, for a reverse proxy that rewrites the host.
    pub trusted_origins: Vec<String>,
    /// Providers from providers.toml.
    pub extra_providers: Vec<crate::providers::file::ProviderSpec>,
    /// Settings of a conversation that sets none (`DEFAULT_SYSTEM_PROMPT`,
    /// `DEFAULT_TEMPERATURE`, `DEFAULT_MAX_TOKENS`).
    pub chat_defaults: crate::model::ChatSettings,
    /// Replies one account may have written at once
    /// (`MAX_REPLIES_PER_ACCOUNT`, default 4).
    pub max_replies_per_account: usize,
    /// Replies written at once for everyone, the JSON API's streams
    /// included (`MAX_REPLIES_IN_ALL`, default 64).
    pub max_replies_in_all: usize,
    /// Followers (tabs, scripts) of one live reply
    /// (`MAX_FOLLOWERS_PER_CHAT`, default 32).
    pub max_followers_per_chat: usize,
    /// Longest reply kept, in characters (`MAX_REPLY_CHARS`, default
    /// 200,000); a reply that reaches it is stopped there.
    pub max_reply_chars: usize,
    /// Most characters of a conversation sent to a model
    /// (`MAX_HISTORY_CHARS`, default 400,000); the oldest messages beyond
    /// it are left out, and the reply says so.
    pub max_history_chars: usize,
    /// Longest wait for a client to send a request's headers or body, and
    /// for the next request on an idle connection (`CLIENT_TIMEOUT`,
    /// default 30 s).
    pub client_timeout: Duration,
    /// Reverse proxies whose `X-Forwarded-For` is believed
    /// (`TRUSTED_PROXIES`, default the loopback addresses).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Failed sign-ins per account in 15 minutes before it is locked
    /// (`LOGIN_FAILURES_PER_ACCOUNT`, default 10).
    pub login_failures_per_account: u32,
    /// Failed sign-ins per client address in 15 minutes before it is
    /// locked (`LOGIN_FAILURES_PER_ADDRESS`, default 10).
    pub login_failures_per_address: u32,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::providers::safe_url as plain;
        f.debug_struct("Config")
            .field("listen_addr", &self.listen_addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &plain(&self.database_url))
            .field("allow_signup", &self.allow_signup)
            .field("jwt_secret", &self.jwt_secret)
            .field("jwt_ttl", &self.jwt_ttl)
            .field("cookie_secure", &self.cookie_secure)
            .field("local_ai_url", &plain(&self.local_ai_url))
            .field("local_ai_model", &self.local_ai_model)
            .field("local_ai_api_key", &self.local_ai_api_key)
            .field("hf_token", &self.hf_token)
            .field("hf_model", &self.hf_model)
            .field("hf_api_url", &plain(&self.hf_api_url))
            .field("provider_timeout", &self.provider_timeout)
            .field("fallback_provider", &self.fallback_provider)
            .field("trusted_origins", &self.trusted_origins)
            .field("extra_providers", &self.extra_providers)
            .field("chat_defaults", &self.chat_defaults)
            .field("max_replies_per_account", &self.max_replies_per_account)
            .field("max_replies_in_all", &self.max_replies_in_all)
            .field("max_followers_per_chat", &self.max_followers_per_chat)
            .field("max_reply_chars", &self.max_reply_chars)
            .field("max_history_chars", &self.max_history_chars)
            .field("client_timeout", &self.client_timeout)
            .field("trusted_proxies", &self.trusted_proxies)
            .field(
                "login_failures_per_account",
                &self.login_failures_per_account,
            )
            .field(
                "login_failures_per_address",
                &self.login_failures_per_address,
            )
            .finish()
    }
}

/// Where providers.toml is looked for when `PROVIDERS_FILE` is not set.
pub const DEFAULT_PROVIDERS_FILE: &str = "providers.toml";

impl Config {
    /// Loads `.env.local` then `.env` (neither overrides what is already set),
    /// then reads the process environment.
    pub fn load() -> Result<Config, ConfigError> {
        // Missing files are normal; a malformed one is reported.
        for file in [".env.local", ".env"] {
            if let Err(err) = dotenvy::from_filename(file) {
                if !err.not_found() {
                    return Err(ConfigError::new(
                        "ENV_FILE",
                        format!("cannot read {file}: {err}"),
                    ));
                }
            }
        }
        Config::from_lookup(|key| std::env::var(key).ok())
    }

    /// Builds the settings from any key lookup (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let value = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let listen_addr = match value("LISTEN_ADDR") {
            Some(raw) => Some(raw.parse::<SocketAddr>().map_err(|_| {
                ConfigError::new(
                    "LISTEN_ADDR",
                    format!("'{raw}' is not an address like 127.0.0.1:3000"),
                )
            })?),
            None => None,
        };
        let data_dir = PathBuf::from(value("DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = value("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("nexa.db").display()));
        if !database_url.starts_with("sqlite:") {
            return Err(ConfigError::new(
                "DATABASE_URL",
                format!("'{database_url}' is not supported; use a sqlite: URL such as sqlite://data/nexa.db"),
            ));
        }
        // Unset: open when only this machine can reach the server (a
        // loopback address and no PUBLIC_URL, which says a proxy publishes
        // it), closed otherwise, where the first account invites the rest.
        let allow_signup = match value("ALLOW_SIGNUP") {
            Some(raw) => parse_bool(&raw).ok_or_else(|| {
                ConfigError::new("ALLOW_SIGNUP", format!("'{raw}' is not true or false"))
            })?,
            None => {
                value("PUBLIC_URL").is_none()
                    && listen_addr.is_none_or(|addr| addr.ip().is_loopback())
            }
        };
        let jwt_secret = match value("JWT_SECRET") {
            Some(raw) if raw.len() < 32 => {
                return Err(ConfigError::new(
                    "JWT_SECRET",
                    format!(
                        "is {} bytes; it must be at least 32 (try: openssl rand -hex 32), or unset it to have one generated",
                        raw.len()
                    ),
                ))
            }
            Some(raw) => Some(SecretString::from(raw)),
            None => None,
        };
        let jwt_ttl = match value("JWT_TTL") {
            Some(raw) => parse_duration(&raw).ok_or_else(|| {
                ConfigError::new(
                    "JWT_TTL",
                    format!("'{raw}' is not a duration like 12h, 30m or 7d"),
                )
            })?,
            None => Duration::from_secs(12 * 3600),
        };
        let cookie_secure = match value("COOKIE_SECURE").as_deref() {
            None | Some("auto") => CookieSecure::Auto,
            Some(raw) => match parse_bool(raw) {
                Some(true) => CookieSecure::Always,
                Some(false) => CookieSecure::Never,
                None => {
                    return Err(ConfigError::new(
                        "COOKIE_SECURE",
                        format!("'{raw}' is not auto, true or false"),
                    ))
                }
            },
        };
        let local_ai_url = match value("LOCAL_AI_URL") {
            Some(raw) => {
                normalize_completions_url(&raw).map_err(|m| ConfigError::new("LOCAL_AI_URL", m))?
            }
            None => DEFAULT_LOCAL_AI_URL.to_string(),
        };
        let hf_api_url = match value("HF_API_URL") {
            Some(raw) => {
                normalize_completions_url(&raw).map_err(|m| ConfigError::new("HF_API_URL", m))?
            }
            None => DEFAULT_HF_API_URL.to_string(),
        };
        // A whole number setting from 1 to `max`, `default` when unset.
        let count = |var: &'static str, max: usize, default: usize| match value(var) {
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    ConfigError::new(
                        var,
                        format!("'{raw}' is not a whole number from 1 to {max}"),
                    )
                }),
            None => Ok(default),
        };
        let max_replies_per_account = count("MAX_REPLIES_PER_ACCOUNT", 10_000, 4)?;
        let max_replies_in_all = count("MAX_REPLIES_IN_ALL", 100_000, 64)?;
        let max_followers_per_chat = count("MAX_FOLLOWERS_PER_CHAT", 10_000, 32)?;
        let max_reply_chars = count("MAX_REPLY_CHARS", 100_000_000, 200_000)?;
        let max_history_chars = count("MAX_HISTORY_CHARS", 100_000_000, 400_000)?;
        let failures = |var: &'static str| {
            count(var, 100_000, 10).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        let login_failures_per_account = failures("LOGIN_FAILURES_PER_ACCOUNT")?;
        let login_failures_per_address = failures("LOGIN_FAILURES_PER_ADDRESS")?;
        let trusted_proxies = match value("TRUSTED_PROXIES") {
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| {
                    part.parse::<std::net::IpAddr>().map_err(|_| {
                        ConfigError::new(
                            "TRUSTED_PROXIES",
                            format!("'{part}' is not an IP address like 127.0.0.1 or ::1"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![
                std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::Ipv6Addr::LOCALHOST.into(),
            ],
        };
        let mut trusted_origins = Vec::new();
        for (var, raw) in [
            ("PUBLIC_URL", value("PUBLIC_URL")),
            ("TRUSTED_ORIGINS", value("TRUSTED_ORIGINS")),
        ] {
            for part in raw.iter().flat_map(|r| r.split(',')).map(str::trim) {
                if !part.is_empty() {
                    trusted_origins.push(origin_of(part).map_err(|m| ConfigError::new(var, m))?);
                }
            }
        }
        let client_timeout = match value("CLIENT_TIMEOUT") {
            Some(raw) => parse_duration(&raw).ok_or_else(|| {
                ConfigError::new(
                    "CLIENT_TIMEOUT",
                    format!("'{raw}' is not a duration like 30s or 1m"),
                )
            })?,
            None => Duration::from_secs(30),
        };
        let provider_timeout = match value("PROVIDER_TIMEOUT") {
            Some(raw) => parse_duration(&raw).ok_or_else(|| {
                ConfigError::new(
                    "PROVIDER_TIMEOUT",
                    format!("'{raw}' is not a duration like 300s or 5m"),
                )
            })?,
            None => Duration::from_secs(300),
        };
        let extra_providers = {
            let (path, explicit) = match value("PROVIDERS_FILE") {
                Some(path) => (path, true),
                None => (DEFAULT_PROVIDERS_FILE.to_string(), false),
            };
            match std::fs::read_to_string(&path) {
                Ok(text) => crate::providers::file::parse_providers_file(&text, |k| value(k))
                    .map_err(|m| ConfigError::new("PROVIDERS_FILE", format!("{path}: {m}")))?,
                Err(err) if explicit || err.kind() != std::io::ErrorKind::NotFound => {
                    return Err(ConfigError::new(
                        "PROVIDERS_FILE",
                        format!("cannot read {path}: {err}"),
                    ))
                }
                Err(_) => Vec::new(),
            }
        };

        let chat_defaults = crate::model::ChatSettings {
            system_prompt: value("DEFAULT_SYSTEM_PROMPT").filter(|p| !p.trim().is_empty()),
            temperature: match value("DEFAULT_TEMPERATURE") {
                Some(raw) => Some(
                    raw.trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|t| (0.0..=2.0).contains(t))
                        .ok_or_else(|| {
                            ConfigError::new(
                                "DEFAULT_TEMPERATURE",
                                format!("'{raw}' is not a number from 0 to 2, like 0.7"),
                            )
                        })?,
                ),
                None => None,
            },
            max_tokens: match value("DEFAULT_MAX_TOKENS") {
                Some(raw) => Some(
                    raw.trim()
                        .parse::<u32>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| {
                            ConfigError::new(
                                "DEFAULT_MAX_TOKENS",
                                format!("'{raw}' is not a whole number above 0, like 1024"),
                            )
                        })?,
                ),
                None => None,
            },
        };

        Ok(Config {
            chat_defaults,
            listen_addr,
            data_dir,
            database_url,
            allow_signup,
            jwt_secret,
            jwt_ttl,
            cookie_secure,
            local_ai_url,
            local_ai_model: value("LOCAL_AI_MODEL"),
            local_ai_api_key: value("LOCAL_AI_API_KEY").map(SecretString::from),
            hf_token: value("HUGGINGFACE_API_TOKEN").map(SecretString::from),
            hf_model: value("HF_CHAT_MODEL").unwrap_or_else(|| DEFAULT_HF_CHAT_MODEL.to_string()),
            hf_api_url,
            provider_timeout,
            fallback_provider: value("FALLBACK_PROVIDER"),
            extra_providers,
            trusted_origins,
            max_replies_per_account,
            max_replies_in_all,
            max_followers_per_chat,
            max_reply_chars,
            max_history_chars,
            trusted_proxies,
            client_timeout,
            login_failures_per_account,
            login_failures_per_address,
        })
    }

    /// Path of the file holding the generated JWT secret.
    pub fn jwt_secret_path(&self) -> PathBuf {
        self.data_dir.join("jwt_secret")
    }
}

/// The origin (`https://host[:port]`) of an address people open.
pub fn origin_of(raw: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(raw)
        .map_err(|_| format!("'{raw}' is not an address like https://chat.example.com"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "'{raw}' is not an http(s) address like https://chat.example.com"
        ));
    }
    Ok(url.origin().ascii_serialization())
}

/// Reads `true/false`, `1/0`, `yes/no`, `on/off`.
pub fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Reads `90`, `90s`, `30m`, `12h` or `7d`; zero is refused.
pub fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let (digits, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => raw.split_at(i),
        None => (raw, "s"),
    };
    let n: u64 = digits.parse().ok()?;
    let secs = match unit.trim() {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    (secs > 0).then(|| Duration::from_secs(secs))
}

/// Accepts a full chat-completions URL or a base URL (`…/v1`, or the server
/// root) and returns the chat-completions URL.
pub fn normalize_completions_url(raw: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|_| {
        format!("'{raw}' is not a URL like http://localhost:1234/v1/chat/completions")
    })?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!("'{raw}' must start with http:// or https://"));
    }
    if url.host_str().is_none() {
        return Err(format!("'{raw}' has no host"));
    }
    let base = url.as_str().trim_end_matches('/');
    let path = url.path().trim_end_matches('/');
    Ok(if path.ends_with("/chat/completions") {
        base.to_string()
    } else if path.ends_with("/v1") {
        format!("{base}/chat/completions")
    } else if path.is_empty() {
        format!("{base}/v1/chat/completions")
    } else {
        format!("{base}/chat/completions")
    })
}

/// The `/models` URL next to a chat-completions URL.
pub fn models_url(completions_url: &str) -> String {
    match completions_url.strip_suffix("/chat/completions") {
        Some(base) => format!("{base}/models"),
        None => format!("{}/models", completions_url.trim_end_matches('/')),
    }
}

/// Creates `dir` and its missing parents, readable by this user only
/// (0700) where the system has modes.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Readies a `sqlite:` database file: its folder is created private
/// (0700) when missing, and the file and its journals are readable by
/// this user only (0600), created so when missing, so no other account of
/// the machine reads the chats, the accounts or their password hashes.
pub fn prepare_sqlite_file(database_url: &str) -> std::io::Result<()> {
    let path = database_url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    let path = Path::new(path);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            create_private_dir(parent)?;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if file.exists() {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_match_the_documented_ones() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.local_ai_url, DEFAULT_LOCAL_AI_URL);
        assert_eq!(c.hf_api_url, DEFAULT_HF_API_URL);
        assert_eq!(c.hf_model, DEFAULT_HF_CHAT_MODEL);
        assert_eq!(c.jwt_ttl, Duration::from_secs(12 * 3600));
        assert!(c.allow_signup);
        assert!(c.jwt_secret.is_none());
        // Reachable from other machines: closed unless asked for.
        assert!(
            !config(&[("LISTEN_ADDR", "0.0.0.0:3000")])
                .expect("valid")
                .allow_signup
        );
        assert!(
            config(&[("LISTEN_ADDR", "[::1]:3000")])
                .expect("valid")
                .allow_signup
        );
        let published = [("PUBLIC_URL", "https://chat.example.com")];
        assert!(
            !config(&published).expect("valid").allow_signup,
            "behind a proxy"
        );
        let asked = [("LISTEN_ADDR", "0.0.0.0:3000"), ("ALLOW_SIGNUP", "true")];
        assert!(config(&asked).expect("valid").allow_signup);
        assert!(c.database_url.starts_with("sqlite://data"));
        assert_eq!(
            c.trusted_proxies,
            [
                "127.0.0.1".parse::<std::net::IpAddr>().expect("ip"),
                "::1".parse().expect("ip")
            ]
        );
        assert_eq!(
            (c.login_failures_per_account, c.login_failures_per_address),
            (10, 10)
        );
    }

    #[test]
    fn base_urls_become_completion_urls() {
        let cases = [
            (
                "http://localhost:1234/v1",
                "http://localhost:1234/v1/chat/completions",
            ),
            (
                "http://localhost:11434/v1/",
                "http://localhost:11434/v1/chat/completions",
            ),
            (
                "http://localhost:8080",
                "http://localhost:8080/v1/chat/completions",
            ),
            (
                "http://localhost:5000/v1/chat/completions",
                "http://localhost:5000/v1/chat/completions",
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_completions_url(raw).as_deref(), Ok(want), "{raw}");
        }
        assert_eq!(
            models_url("http://h:1/v1/chat/completions"),
            "http://h:1/v1/models"
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cases: [(&str, &str, &str); 9] = [
            ("LOCAL_AI_URL", "localhost:1234", "LOCAL_AI_URL"),
            ("TRUSTED_PROXIES", "127.0.0.1, nginx", "TRUSTED_PROXIES"),
            (
                "LOGIN_FAILURES_PER_ACCOUNT",
                "0",
                "LOGIN_FAILURES_PER_ACCOUNT",
            ),
            (
                "LOGIN_FAILURES_PER_ADDRESS",
                "many",
                "LOGIN_FAILURES_PER_ADDRESS",
            ),
            ("JWT_SECRET", "short", "JWT_SECRET"),
            ("JWT_TTL", "forever", "JWT_TTL"),
            ("ALLOW_SIGNUP", "maybe", "ALLOW_SIGNUP"),
            ("LISTEN_ADDR", "port 3000", "LISTEN_ADDR"),
            ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ];
        for (key, value, var) in cases {
            let err = config(&[(key, value)]).expect_err(key);
            assert_eq!(err.var, var);
            assert!(err.to_string().starts_with(var), "{err}");
        }
    }

    #[test]
    fn durations_and_booleans_parse() {
        assert_eq!(parse_duration("12h"), Some(Duration::from_secs(43_200)));
        assert_eq!(parse_duration("30m"), Some(Duration::from_secs(1_800)));
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool("on"), Some(true));
    }

    #[cfg(unix)]
    #[test]
    fn the_database_and_its_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("new").join("data");
        let db = data.join("nexa.db");
        prepare_sqlite_file(&format!("sqlite://{}?mode=rwc", db.display())).expect("ready");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&db), 0o600);
        // A database made before is made private too.
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        prepare_sqlite_file(&format!("sqlite:{}", db.display())).expect("ready");
        assert_eq!(mode(&db), 0o600);
    }

    #[test]
    fn long_secret_is_accepted() {
        use secrecy::ExposeSecret;
        let c = config(&[("JWT_SECRET", &"x".repeat(32))]).expect("valid");
        assert_eq!(c.jwt_secret.map(|s| s.expose_secret().len()), Some(32));
    }
}
