//! One module per page.

pub mod auth;
pub mod chat;
pub mod diagnostics;
