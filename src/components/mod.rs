//! Pieces of the chat page.

pub mod composer;
pub mod follow;
pub mod hydration;
pub mod messages;
pub mod sidebar;
