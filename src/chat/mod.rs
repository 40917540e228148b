//! Conversations: the server functions the chat page calls, the chat service
//! behind them and the `POST /api/ai/chat` endpoint for scripts.

pub mod api;

#[cfg(feature = "ssr")]
pub mod follow;
#[cfg(feature = "ssr")]
pub mod history;
#[cfg(feature = "ssr")]
pub mod manage;
#[cfg(feature = "ssr")]
pub mod openai_stream;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
