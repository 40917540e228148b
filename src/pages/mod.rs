//! One module per page. Only the chat runs in the browser; the others are
//! rendered by the server alone (see [`crate::nav::Page::hydrates`]).

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod chat;
pub mod chat_controller;
#[cfg(feature = "ssr")]
pub mod diagnostics;
#[cfg(feature = "ssr")]
pub mod users;
