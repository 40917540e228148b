//! The one error type of the app: what went wrong, with a message a person can
//! act on and the HTTP status it maps to.

pub use crate::failure::ProviderError;
use crate::i18n::Lang;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Everything that can go wrong in a request. The words for each are in
/// the message catalogs ([`crate::i18n`]), one per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// No valid session or token.
    Unauthorized,
    /// Login failed.
    BadCredentials,
    /// Sign-up is switched off and an account already exists.
    SignupClosed,
    /// The username is in use.
    UsernameTaken,
    /// The request itself is wrong; the reason says what to change. The
    /// page gets it as [`AppError::Said`], worded by the server, so the
    /// browser build carries neither its reader nor its words.
    #[cfg_attr(not(feature = "ssr"), serde(skip))]
    Invalid(Invalid),
    /// The conversation does not exist or belongs to someone else.
    NotFound,
    /// The page or action is for the admin account.
    AdminOnly,
    /// A reply is still being written in this conversation.
    ReplyInProgress,
    /// A change asked by a page of another site or origin (`cross_site`).
    CrossSiteRefused,
    /// The account has as many replies being written as it may.
    TooManyReplies {
        /// How many it may.
        limit: usize,
    },
    /// The reply has as many followers (tabs, scripts) as it may.
    TooManyFollowers {
        /// How many it may.
        limit: usize,
    },
    /// The server writes as many replies as it may, for everyone.
    ServerBusy {
        /// How many it may.
        limit: usize,
    },
    /// An account action refused. Only the server's own pages (sign-in,
    /// Account, Users) meet these, so the browser build carries neither
    /// their reader nor their words, as for [`AppError::Invalid`].
    #[cfg_attr(not(feature = "ssr"), serde(skip))]
    Account(AccountRefusal),
    /// The model provider failed. Only the JSON API and the server's own
    /// pages answer with it (worded there): the page's server functions
    /// never do, so the browser build leaves it and its wording out.
    #[cfg_attr(not(feature = "ssr"), serde(skip))]
    Provider(Box<ProviderError>),
    /// A bug or an outage on our side; the details are in the server log.
    Internal,
    /// The browser could not talk to our server.
    Transport(String),
    /// An error the server has already worded in the reader's language
    /// (`server_fn_status`): the page shows it as it is.
    Said {
        /// Its HTTP status.
        status: u16,
        /// Its stable code.
        code: String,
        /// The words.
        message: String,
    },
}

/// Why a request was refused as invalid, with what the words need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(strum::EnumIter))]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    /// Arguments the server could not read.
    Malformed {
        /// What the reader said.
        detail: String,
    },
    /// A username of the wrong length.
    UsernameLength {
        /// Shortest.
        min: usize,
        /// Longest.
        max: usize,
    },
    /// A username with other characters.
    UsernameCharacters,
    /// A password too short.
    PasswordTooShort {
        /// Shortest, in characters.
        min: usize,
    },
    /// A password too long.
    PasswordTooLong {
        /// Longest, in bytes.
        max: usize,
    },
    /// An empty title.
    TitleEmpty,
    /// A title too long.
    TitleTooLong {
        /// Longest, in characters.
        max: usize,
    },
    /// A temperature that is not a number.
    TemperatureNotNumber,
    /// A temperature out of range.
    TemperatureRange,
    /// Max tokens that is not a whole number in range.
    MaxTokens {
        /// Largest.
        max: u32,
    },
    /// A system prompt too long.
    SystemPromptTooLong {
        /// Longest, in characters.
        max: usize,
    },
    /// An import that is not JSON of our export.
    ImportNotJson {
        /// What the JSON reader said.
        detail: String,
    },
    /// An import of another format.
    ImportNotConversation,
    /// An import with too many messages.
    ImportTooManyMessages {
        /// Most messages.
        max: usize,
    },
    /// An import with a message too long.
    ImportMessageTooLong {
        /// Longest, in characters.
        max: usize,
    },
    /// An unknown export format.
    ExportFormat {
        /// What was asked for.
        given: String,
    },
    /// An empty message.
    MessageEmpty,
    /// A message too long.
    MessageTooLong {
        /// Longest, in characters.
        max: usize,
    },
    /// A provider id that is not configured.
    UnknownProvider {
        /// The id given.
        id: String,
        /// The configured ids, comma-separated.
        known: String,
    },
    /// Retry or regenerate with no message to answer.
    NothingToAnswer,
    /// An edit of something that is not the user's message.
    NotAUserMessage,
    /// A model name that is too long or has several lines.
    ModelName {
        /// Longest, in characters.
        max: usize,
    },
    /// A request body over the server's bound.
    BodyTooLarge {
        /// The bound, in MiB.
        max_mib: usize,
    },
    /// API: `messages` is empty.
    HistoryEmpty,
    /// API: too many messages.
    HistoryTooLong {
        /// Most messages.
        max: usize,
    },
    /// API: a message with an unknown role.
    HistoryRole {
        /// Its index.
        index: usize,
        /// The role given.
        role: String,
    },
    /// API: a message too long.
    HistoryContentTooLong {
        /// Its index.
        index: usize,
        /// Longest, in characters.
        max: usize,
    },
}

/// Why an account action was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(strum::EnumIter))]
#[serde(rename_all = "snake_case")]
pub enum AccountRefusal {
    /// Too many failed sign-ins for the account or from the address.
    TooManyAttempts {
        /// Seconds until the next try.
        seconds: u64,
    },
    /// The admin disabled the account.
    Disabled,
    /// The current password given to change it is not right.
    WrongPassword,
    /// An invitation used already, expired or withdrawn.
    InviteInvalid,
    /// The account an admin action names does not exist.
    NotFound,
    /// The admin tried to disable, delete or demote their own account.
    OwnAccount,
}

impl AccountRefusal {
    /// HTTP status.
    pub fn status_code(&self) -> u16 {
        match self {
            AccountRefusal::TooManyAttempts { .. } => 429,
            AccountRefusal::Disabled
            | AccountRefusal::WrongPassword
            | AccountRefusal::InviteInvalid => 403,
            AccountRefusal::NotFound => 404,
            AccountRefusal::OwnAccount => 409,
        }
    }

    /// Stable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AccountRefusal::TooManyAttempts { .. } => "too_many_attempts",
            AccountRefusal::Disabled => "account_disabled",
            AccountRefusal::WrongPassword => "wrong_password",
            AccountRefusal::InviteInvalid => "invite_invalid",
            AccountRefusal::NotFound => "account_not_found",
            AccountRefusal::OwnAccount => "own_account",
        }
    }
}

impl From<AccountRefusal> for AppError {
    fn from(refusal: AccountRefusal) -> Self {
        AppError::Account(refusal)
    }
}

impl Invalid {
    /// HTTP status: 413 for what is too large to take, else 400.
    pub fn status_code(&self) -> u16 {
        match self {
            Invalid::MessageTooLong { .. }
            | Invalid::SystemPromptTooLong { .. }
            | Invalid::ImportTooManyMessages { .. }
            | Invalid::ImportMessageTooLong { .. }
            | Invalid::HistoryTooLong { .. }
            | Invalid::HistoryContentTooLong { .. }
            | Invalid::BodyTooLarge { .. } => 413,
            _ => 400,
        }
    }
}

impl From<Invalid> for AppError {
    fn from(reason: Invalid) -> Self {
        AppError::Invalid(reason)
    }
}

impl From<ProviderError> for AppError {
    fn from(err: ProviderError) -> Self {
        AppError::Provider(Box::new(err))
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// What went wrong and what to do, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        lang.app_error(self)
    }

    /// The error as the page gets it: one the browser cannot word (a
    /// refusal's reason, a provider's failure) is worded here, in `lang`.
    #[cfg(feature = "ssr")]
    pub fn for_page(self, lang: Lang) -> AppError {
        if !self.needs_words_for_page() {
            return self;
        }
        AppError::Said {
            status: self.status_code(),
            code: self.code(),
            message: self.message(lang),
        }
    }

    /// The error as this reader may see it: a provider's address is
    /// replaced unless the reader is an admin (hosts of the network stay
    /// with the admin).
    #[cfg(feature = "ssr")]
    pub fn seen_by(self, lang: Lang, admin: bool) -> AppError {
        match self {
            AppError::Provider(mut failure) if !admin => {
                failure.hide_address(lang.provider_address());
                AppError::Provider(failure)
            }
            other => other,
        }
    }

    /// Whether the page cannot word this error itself (its reader and its
    /// words are left out of the browser build).
    #[cfg(feature = "ssr")]
    pub fn needs_words_for_page(&self) -> bool {
        matches!(
            self,
            AppError::Invalid(_) | AppError::Provider(_) | AppError::Account(_)
        )
    }

    /// HTTP status for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::SignupClosed => 403,
            AppError::UsernameTaken => 409,
            AppError::Invalid(reason) => reason.status_code(),
            AppError::NotFound => 404,
            AppError::ReplyInProgress => 409,
            AppError::CrossSiteRefused => 403,
            AppError::TooManyReplies { .. } => 429,
            AppError::ServerBusy { .. } => 503,
            AppError::TooManyFollowers { .. } => 429,
            AppError::Account(refusal) => refusal.status_code(),
            AppError::AdminOnly => 403,
            AppError::Provider(e) => e.status(),
            AppError::Internal => 500,
            AppError::Transport(_) => 503,
            AppError::Said { status, .. } => *status,
        }
    }

    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> String {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::BadCredentials => "bad_credentials",
            AppError::SignupClosed => "signup_closed",
            AppError::UsernameTaken => "username_taken",
            AppError::Invalid(_) => "invalid_request",
            AppError::NotFound => "not_found",
            AppError::ReplyInProgress => "reply_in_progress",
            AppError::CrossSiteRefused => "cross_site_refused",
            AppError::TooManyReplies { .. } => "too_many_replies",
            AppError::ServerBusy { .. } => "server_busy",
            AppError::TooManyFollowers { .. } => "too_many_followers",
            AppError::Account(refusal) => refusal.code(),
            AppError::AdminOnly => "admin_only",
            AppError::Provider(e) => return e.code(),
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
            AppError::Said { code, .. } => return code.clone(),
        }
        .to_string()
    }
}

/// A request whose arguments could not be read.
fn malformed(detail: &str) -> AppError {
    AppError::Invalid(Invalid::Malformed {
        detail: detail.to_string(),
    })
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

/// The `Retry-After` of a server that writes as many replies as it may: a
/// reply takes seconds to minutes, so try again soon.
#[cfg(feature = "ssr")]
const SERVER_BUSY_RETRY_SECONDS: u64 = 10;

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use super::SERVER_BUSY_RETRY_SECONDS;
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
        /// Seconds to wait before retrying, when known.
        pub fn retry_after(&self) -> Option<u64> {
            match self {
                AppError::Provider(err) => err.retry_after(),
                AppError::ServerBusy { .. } => Some(SERVER_BUSY_RETRY_SECONDS),
                AppError::Account(super::AccountRefusal::TooManyAttempts { seconds }) => {
                    Some(*seconds)
                }
                _ => None,
            }
        }

        /// The JSON error response, `{"error","code"}`, worded in `lang`.
        pub fn into_response_in(self, lang: crate::i18n::Lang) -> Response {
            let status = StatusCode::from_u16(self.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = serde_json::json!({ "error": self.message(lang), "code": self.code() });
            let mut response = (status, Json(body)).into_response();
            if let Some(seconds) = self.retry_after() {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, seconds.into());
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
