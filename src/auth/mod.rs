//! Accounts and sessions: password hashing, JWT issue/verify, the session
//! cookie, the server functions the pages call and the JSON API for scripts.

pub mod api;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod jwt;
#[cfg(feature = "ssr")]
pub mod known_sessions;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;
