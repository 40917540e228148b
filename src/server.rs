//! The axum server: state, router, layers and graceful shutdown.

use crate::app::shell;
use crate::auth::jwt::{load_or_create_secret, JwtKeys};
use crate::config::{prepare_sqlite_file, Config};
use crate::providers::ProviderRegistry;
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::get;
use axum::{Json, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes};
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (a long chat history fits easily).
const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Builds the shared state: database (created and migrated), JWT keys,
/// providers and the HTTP client.
pub async fn build_state(
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<AppState, String> {
    prepare_sqlite_file(&config.database_url)
        .map_err(|e| format!("DATABASE_URL: cannot prepare the database file: {e}"))?;
    let db = crate::store::connect(&config.database_url)
        .await
        .map_err(|e| format!("DATABASE_URL: cannot open {}: {e}", config.database_url))?;
    let secret = match &config.jwt_secret {
        Some(secret) => secrecy::ExposeSecret::expose_secret(secret)
            .as_bytes()
            .to_vec(),
        None => load_or_create_secret(&config.jwt_secret_path())
            .map_err(|e| format!("JWT_SECRET: not set, and {e}"))?,
    };
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .pool_idle_timeout(Duration::from_secs(60))
        .user_agent(concat!("nexa-chat/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let interrupted = crate::store::fail_interrupted_replies(&db)
        .await
        .map_err(|e| format!("DATABASE_URL: cannot update {}: {e}", config.database_url))?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "replies cut short by the last stop were marked failed"
        );
    }
    let providers = Arc::new(ProviderRegistry::from_config(&config)?);
    let catalog = Arc::new(crate::providers::catalog::ModelCatalog::new());
    crate::providers::catalog::spawn_refresher(catalog.clone(), http.clone(), providers.clone());
    let generations = Arc::new(crate::generation::Generations::new());
    crate::generation::spawn_checkpoints(generations.clone(), db.clone());
    let login_throttle = Arc::new(crate::auth::throttle::LoginThrottle::new(
        config.login_failures_per_account,
        config.login_failures_per_address,
    ));
    spawn_throttle_cleanup(login_throttle.clone());
    Ok(AppState {
        catalog,
        db,
        generations,
        providers,
        jwt: Arc::new(JwtKeys::new(&secret, config.jwt_ttl)),
        known_sessions: Arc::new(crate::auth::known_sessions::KnownSessions::new()),
        hasher: Arc::new(crate::auth::password::Hasher::per_core()),
        login_throttle,
        config: Arc::new(config),
        http,
        leptos_options,
    })
}

/// Every minute, drops failed sign-ins that no longer count, so the
/// throttle's tables hold the last few minutes only.
fn spawn_throttle_cleanup(throttle: Arc<crate::auth::throttle::LoginThrottle>) {
    let throttle = Arc::downgrade(&throttle);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            let Some(throttle) = throttle.upgrade() else {
                break;
            };
            throttle.forget_old();
        }
    });
}

/// `GET /api/health`: up, and which build is answering (the browser tests
/// check that they run the release build that `scripts/run.sh` serves).
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "build": build_profile() }))
}

/// `"release"` for an optimised build, `"debug"` otherwise.
fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}

/// The whole app: JSON API, server functions, pages and static files.
pub fn router(state: AppState) -> Router {
    let routes = crate::nav::PAGE_PATHS
        .iter()
        .map(|path| {
            AxumRouteListing::new(
                path.to_string(),
                leptos_router::SsrMode::OutOfOrder,
                [leptos_router::Method::Get],
                Vec::new(),
            )
        })
        .collect();
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    // The built page files: a ServeDir answers conditional requests (304)
    // and serves the .br/.gz made at build time.
    let pkg_route = leptos_axum::site_pkg_dir_service_route_path(&state.leptos_options);
    let pkg_files = leptos_axum::site_pkg_dir_service(&state.leptos_options);
    let app = Router::new()
        .route("/api/health", get(health))
        .route_service(&pkg_route, pkg_files)
        .merge(crate::auth::routes::router())
        .merge(crate::chat::routes::router())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            crate::static_files::StaticFiles::new(&state.leptos_options),
            crate::static_files::set_cache_control,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::server_fn_status::set_error_status,
        ))
        .layer(axum::middleware::from_fn_with_state(
            crate::cross_site::TrustedOrigins::new(state.config.trusted_origins.clone()),
            crate::cross_site::refuse_cross_site,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(refuse_large_bodies))
        .layer(axum::middleware::from_fn_with_state(
            state.config.cookie_secure,
            strict_transport_security,
        ))
        // A body sent slowly is cut off as its headers would be (`serve`).
        .layer(RequestBodyTimeoutLayer::new(state.config.client_timeout));
    let app = HARDENING_HEADERS
        .into_iter()
        .fold(app, |app, (name, value)| {
            app.layer(SetResponseHeaderLayer::if_not_present(
                name,
                HeaderValue::from_static(value),
            ))
        });
    app.layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Over https (`X-Forwarded-Proto: https` from the proxy, or
/// `COOKIE_SECURE=true`), tells the browser to use https only for a year
/// (HSTS): the same test as the session cookie's `Secure` flag.
async fn strict_transport_security(
    axum::extract::State(policy): axum::extract::State<crate::config::CookieSecure>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let https = crate::auth::session::cookie_is_secure(policy, request.headers());
    let mut response = next.run(request).await;
    if https {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Answers 413 with the JSON error at once when a request says its body
/// is over [`BODY_LIMIT`], before anything reads it (a body that does not
/// say, chunked, is cut at the bound by `DefaultBodyLimit` as it is read).
async fn refuse_large_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > BODY_LIMIT as u64) {
        let lang = crate::i18n::lang_of_request(request.headers());
        let refusal = crate::error::Invalid::BodyTooLarge {
            max_mib: BODY_LIMIT / (1024 * 1024),
        };
        return crate::error::AppError::from(refusal).into_response_in(lang);
    }
    next.run(request).await
}

/// Headers every answer carries: no MIME sniffing, no framing by other
/// pages (clickjacking), no full URLs in `Referer` to other sites.
const HARDENING_HEADERS: [(HeaderName, &str); 4] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
    (header::REFERRER_POLICY, "same-origin"),
];

/// Leptos settings from Cargo.toml when it is at hand (a checkout), else
/// from the `LEPTOS_*` environment that cargo-leptos sets.
pub fn leptos_options() -> Result<LeptosOptions, String> {
    let file = std::path::Path::new("Cargo.toml")
        .exists()
        .then_some("Cargo.toml");
    leptos::config::get_configuration(file)
        .map(|c| c.leptos_options)
        .map_err(|e| format!("LEPTOS_*: cannot read the site settings: {e}"))
}

async fn shutdown_signal(generations: Arc<crate::generation::Generations>) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
    // Live replies end (kept as stopped), so their followers' streams close
    // and the graceful shutdown can finish.
    generations.stop_all();
}

/// Reads the settings, opens the database and serves until ctrl-c or SIGTERM.
pub async fn run() -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let config = Config::load().map_err(|e| e.to_string())?;
    let leptos_options = leptos_options()?;
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_default();
    crate::static_files::check_built_site(&leptos_options, &exe_dir)?;
    let addr = config.listen_addr.unwrap_or(leptos_options.site_addr);
    let client_timeout = config.client_timeout;
    let state = build_state(config, leptos_options).await?;
    let generations = state.generations.clone();
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("LISTEN_ADDR: cannot listen on {addr}: {e}"))?;
    tracing::info!("Nexa Chat is ready at http://{addr}");
    crate::serve::serve(
        listener,
        app,
        client_timeout,
        shutdown_signal(generations.clone()),
    )
    .await;
    // Stopped replies with no follower may still be storing their text.
    for _ in 0..40 {
        if generations.count() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}
