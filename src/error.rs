//! The one error type of the app: what went wrong, with a message a person can
//! act on and the HTTP status it maps to.

use crate::i18n::Lang;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Everything that can go wrong in a request, as users are told it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session or token.
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Login failed.
    #[error("Wrong username or password.")]
    BadCredentials,
    /// Sign-up is switched off and an account already exists.
    #[error("Sign-up is closed on this server. Ask the admin for an account.")]
    SignupClosed,
    /// The username is in use.
    #[error("That username is already taken. Pick another one or sign in.")]
    UsernameTaken,
    /// The request itself is wrong; the text says what to change.
    #[error("{en}")]
    Invalid {
        /// What to change, in English.
        en: String,
        /// What to change, in Spanish.
        es: String,
    },
    /// The conversation does not exist or belongs to someone else.
    #[error("That conversation was not found.")]
    NotFound,
    /// The page or action is for the admin account.
    #[error("Only the admin can do this. Sign in with the first account created on this server.")]
    AdminOnly,
    /// A reply is still being written in this conversation.
    #[error("A reply is still being written in this chat. Wait for it to finish or press Stop.")]
    ReplyInProgress,
    /// The model provider failed.
    #[error("{0}")]
    Provider(ProviderError),
    /// A bug or an outage on our side; the details are in the server log.
    #[error("Something went wrong on the server. The details are in the server log.")]
    Internal,
    /// The browser could not talk to our server.
    #[error("Could not reach the Nexa Chat server: {0}")]
    Transport(String),
}

/// A provider failure, already translated for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    /// Stable code for scripts, e.g. `local_unreachable`.
    pub code: String,
    /// What happened and what to do, in English.
    pub message: String,
    /// The same in Spanish (empty: only English was written).
    #[serde(default)]
    pub message_es: String,
    /// HTTP status our API answers with.
    pub status: u16,
    /// Seconds to wait before retrying, when the provider said.
    #[serde(default)]
    pub retry_after: Option<u64>,
}

impl ProviderError {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.message, &self.message_es)
    }
}

impl AppError {
    /// A bad request, explained in both languages.
    pub fn invalid(en: impl Into<String>, es: impl Into<String>) -> Self {
        AppError::Invalid {
            en: en.into(),
            es: es.into(),
        }
    }

    /// What went wrong and what to do, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let es = match self {
            AppError::Unauthorized => "Inicia sesión para continuar.",
            AppError::BadCredentials => "Usuario o contraseña incorrectos.",
            AppError::SignupClosed => {
                "El registro está cerrado en este servidor. Pide una cuenta al administrador."
            }
            AppError::UsernameTaken => {
                "Ese nombre de usuario ya existe. Elige otro o inicia sesión."
            }
            AppError::Invalid { en, es } => return lang.pick(en, es).to_string(),
            AppError::NotFound => "No se encontró esa conversación.",
            AppError::AdminOnly => {
                "Solo el administrador puede hacer esto. Inicia sesión con la primera cuenta creada en este servidor."
            }
            AppError::ReplyInProgress => {
                "Todavía se está escribiendo una respuesta en este chat. Espera a que termine o pulsa Detener."
            }
            AppError::Provider(e) => return e.text(lang).to_string(),
            AppError::Internal => {
                "Algo falló en el servidor. Los detalles están en el registro del servidor."
            }
            AppError::Transport(detail) => {
                return match lang {
                    Lang::En => self.to_string(),
                    Lang::Es => format!("No se pudo contactar con el servidor de Nexa Chat: {detail}"),
                }
            }
        };
        match lang {
            Lang::En => self.to_string(),
            Lang::Es => es.to_string(),
        }
    }

    /// HTTP status for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::SignupClosed => 403,
            AppError::UsernameTaken => 409,
            AppError::Invalid { .. } => 400,
            AppError::NotFound => 404,
            AppError::ReplyInProgress => 409,
            AppError::AdminOnly => 403,
            AppError::Provider(e) => e.status,
            AppError::Internal => 500,
            AppError::Transport(_) => 503,
        }
    }

    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> &str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::BadCredentials => "bad_credentials",
            AppError::SignupClosed => "signup_closed",
            AppError::UsernameTaken => "username_taken",
            AppError::Invalid { .. } => "invalid_request",
            AppError::NotFound => "not_found",
            AppError::ReplyInProgress => "reply_in_progress",
            AppError::AdminOnly => "admin_only",
            AppError::Provider(e) => &e.code,
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
        }
    }
}

/// A request whose arguments could not be read.
fn malformed(detail: &str) -> AppError {
    AppError::invalid(
        format!("The request was malformed: {detail}"),
        format!("La petición estaba mal formada: {detail}"),
    )
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(msg) => AppError::Transport(msg),
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => malformed(&msg),
            // On the server this is the arguments (server_fn's JSON input
            // reports them so); in the browser, an answer it could not read.
            ServerFnErrorErr::Deserialization(msg) if cfg!(feature = "ssr") => malformed(&msg),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};
    use axum::Json;

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            tracing::error!(error = %err, "database error");
            AppError::Internal
        }
    }

    impl AppError {
        /// The JSON error response, `{"error","code"}`, worded in `lang`.
        pub fn into_response_in(self, lang: crate::i18n::Lang) -> Response {
            let status = StatusCode::from_u16(self.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = serde_json::json!({ "error": self.message(lang), "code": self.code() });
            let mut response = (status, Json(body)).into_response();
            if let AppError::Provider(super::ProviderError {
                retry_after: Some(seconds),
                ..
            }) = &self
            {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, (*seconds).into());
            }
            response
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            self.into_response_in(crate::i18n::Lang::En)
        }
    }
}
