//! Nexa Chat: a self-hosted AI chat. The same crate is the axum server
//! (`ssr`) and the WASM page that hydrates in the browser (`hydrate`).

// Leptos views are deeply nested types; the chat page needs more room than
// the default when components are not type-erased.
#![recursion_limit = "256"]

pub mod admin;
pub mod app;
pub mod auth;
pub mod chat;
pub mod components;
pub mod error;
pub mod failure;
pub mod i18n;
pub mod model;
pub mod model_defaults;
pub mod nav;
pub mod numbers;
pub mod pages;
pub mod prefs;
pub mod think;

#[cfg(feature = "ssr")]
pub mod api_json;
#[cfg(feature = "ssr")]
pub mod client_addr;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod cross_site;
#[cfg(feature = "ssr")]
pub mod generation;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod providers;
#[cfg(feature = "ssr")]
pub mod serve;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod server_fn_status;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod static_files;
#[cfg(feature = "ssr")]
pub mod store;

/// Entry point of the WASM bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
