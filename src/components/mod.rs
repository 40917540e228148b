//! Pieces of the chat page.

pub mod clipboard;
pub mod composer;
pub mod follow;
pub mod hydration;
pub mod messages;
pub mod settings;
pub mod sidebar;
