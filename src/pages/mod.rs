//! One module per page. Only the chat runs in the browser; the others are
//! rendered by the server alone (see [`crate::nav::Page::hydrates`]).

#[cfg(feature = "ssr")]
pub mod auth;
pub mod chat;
#[cfg(feature = "ssr")]
pub mod diagnostics;
