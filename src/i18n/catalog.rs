//! What a language must provide: the page text and the words of every
//! message the app says. Each language is one file implementing
//! [`Catalog`]; the messages are matched exhaustively there, so a language
//! that misses a message, or a new message without words in every language,
//! does not compile. Calls are dispatched statically ([`super::Lang`]), so
//! the browser build keeps only the words its code can say.

use super::Texts;
use crate::error::{AccountRefusal, AppError, Invalid};
use crate::failure::{Failover, Failure, LeftOut, ProviderError, Setting, Waiting};
use crate::model::Finding;

/// The words of one language.
pub trait Catalog {
    /// The page text.
    const TEXTS: &'static Texts;
    /// The text of the pages only the server renders.
    #[cfg(feature = "ssr")]
    const SERVER_TEXTS: &'static super::ServerTexts;
    /// How Hugging Face model names work, shown by the model picker.
    const HF_MODEL_HELP: &'static str;
    /// Stands for a provider's address in what a reader who is not an
    /// admin reads: hosts of the network stay with the admin.
    const PROVIDER_ADDRESS: &'static str;

    /// An error of a request: what went wrong and what to do.
    fn app_error(err: &AppError) -> String;
    /// Why an account action was refused and what to do.
    fn account(refusal: &AccountRefusal) -> String;
    /// Why a request is invalid and what to change.
    fn invalid(reason: &Invalid) -> String;
    /// A provider failure and its fix.
    fn provider_error(err: &ProviderError) -> String;
    /// Why a reply failed.
    fn failure(failure: &Failure) -> String;
    /// The note under a reply a fallback provider wrote.
    fn failover(notice: &Failover) -> String;
    /// That the oldest messages were not sent to the model, and why.
    fn left_out(left_out: &LeftOut) -> String;
    /// What a reply waits for.
    fn waiting(waiting: &Waiting) -> String;
    /// A setting as messages name it.
    fn setting(setting: &Setting) -> String;
    /// What a diagnostics step found, or its fix.
    fn finding(finding: &Finding) -> String;
}

/// `text` with its first letter in upper case, for a name that starts a
/// sentence ("the local AI server" → "The local AI server").
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
