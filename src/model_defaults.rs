//! Defaults both sides agree on.

/// Provider picked for a new conversation.
pub const DEFAULT_PROVIDER: &str = "local";
