//! Every piece of page text, in English and Spanish. A struct rather than
//! lookup keys: a text missing in one language is a compile error.

/// The page text of one language.
#[derive(Debug)]
pub struct Texts {
    // Shell and common
    /// Title of the app.
    pub app_name: &'static str,
    /// Shown while a page loads.
    pub loading: &'static str,
    /// Unknown path.
    pub not_found: &'static str,
    /// Link back to the chat.
    pub back_to_chat: &'static str,
    /// Label of the language switcher.
    pub language: &'static str,
    /// Label of the theme switcher.
    pub theme: &'static str,
    /// Theme option: follow the system.
    pub theme_system: &'static str,
    /// Theme option: light.
    pub theme_light: &'static str,
    /// Theme option: dark.
    pub theme_dark: &'static str,
    /// Button that applies a switcher's choice when scripts are off.
    pub apply: &'static str,

    // Sign-in and sign-up
    /// Sign-in page heading.
    pub sign_in_title: &'static str,
    /// Username label.
    pub username: &'static str,
    /// Password label.
    pub password: &'static str,
    /// Sign-in button.
    pub sign_in: &'static str,
    /// Before the sign-up link.
    pub no_account: &'static str,
    /// Sign-up link.
    pub create_one: &'static str,
    /// Sign-up page heading.
    pub sign_up_title: &'static str,
    /// Sign-up closed.
    pub signup_closed: &'static str,
    /// First account note.
    pub first_account_admin: &'static str,
    /// Password length hint.
    pub password_hint: &'static str,
    /// Sign-up button.
    pub create_account: &'static str,
    /// Before the sign-in link.
    pub have_account: &'static str,
    /// Sign-out button.
    pub sign_out: &'static str,

    // Sidebar
    /// Sidebar landmark label.
    pub conversations: &'static str,
    /// New chat link.
    pub new_chat: &'static str,
    /// Empty sidebar.
    pub no_conversations: &'static str,
    /// Search box label.
    pub search: &'static str,
    /// Search box placeholder.
    pub search_placeholder: &'static str,
    /// No search results.
    pub no_matches: &'static str,
    /// Rename button.
    pub rename: &'static str,
    /// Rename field label.
    pub new_title: &'static str,
    /// Save button.
    pub save: &'static str,
    /// Cancel button.
    pub cancel: &'static str,
    /// Delete button.
    pub delete: &'static str,
    /// Delete confirmation dialog question.
    pub delete_confirm: &'static str,
    /// Delete confirmation detail.
    pub delete_confirm_detail: &'static str,
    /// Admin badge.
    pub admin: &'static str,
    /// Diagnostics link.
    pub diagnostics: &'static str,
    /// The admin's Users page link.
    pub users: &'static str,
    /// Account page link and title.
    pub account_title: &'static str,
    /// Menu button on phones.
    pub menu: &'static str,

    // Chat header and settings
    /// Provider label.
    pub provider: &'static str,
    /// Model label.
    pub model: &'static str,
    /// Provider not configured.
    pub not_configured: &'static str,
    /// Provider offline.
    pub offline: &'static str,
    /// Model placeholder with a default: "default: X".
    pub default_model: &'static str,
    /// Model placeholder when the server decides.
    pub loaded_model: &'static str,
    /// Settings button and dialog title.
    pub chat_settings: &'static str,
    /// System prompt label.
    pub system_prompt: &'static str,
    /// System prompt placeholder.
    pub system_prompt_placeholder: &'static str,
    /// Temperature label.
    pub temperature: &'static str,
    /// Max tokens label.
    pub max_tokens: &'static str,
    /// Placeholder of an empty numeric setting.
    pub use_default: &'static str,
    /// Settings saved note.
    pub saved: &'static str,
    /// Close a dialog.
    pub close: &'static str,
    /// Export as Markdown.
    pub export_markdown: &'static str,
    /// Export as JSON.
    pub export_json: &'static str,
    /// Import a JSON export.
    pub import_json: &'static str,
    /// Import succeeded.
    pub imported: &'static str,

    // Conversation
    /// Conversation log label.
    pub conversation: &'static str,
    /// Loading the conversation.
    pub loading_conversation: &'static str,
    /// Link after an error.
    pub start_new_chat: &'static str,
    /// Welcome heading.
    pub welcome_title: &'static str,
    /// Welcome text.
    pub welcome_text: &'static str,
    /// Typing dots label.
    pub model_answering: &'static str,
    /// Reasoning block title.
    pub thinking: &'static str,
    /// Reasoning block title while thinking.
    pub thinking_now: &'static str,
    /// Heading of a failed reply.
    pub no_reply: &'static str,
    /// Retry button.
    pub retry: &'static str,
    /// Under a stopped reply.
    pub stopped: &'static str,
    /// "tokens" in the usage line.
    pub tokens: &'static str,
    /// "tokens/s" in the usage line.
    pub tokens_per_second: &'static str,
    /// Copy button.
    pub copy: &'static str,
    /// After copying.
    pub copied: &'static str,
    /// Regenerate button.
    pub regenerate: &'static str,
    /// Edit button.
    pub edit: &'static str,
    /// Save-and-resend button.
    pub save_and_send: &'static str,
    /// Note under the edit box.
    pub edit_note: &'static str,
    /// Button loading older messages.
    pub show_earlier: &'static str,
    /// Label of a code block without a language.
    pub code: &'static str,
    /// Who wrote: you.
    pub you: &'static str,
    /// Who wrote: the assistant.
    pub assistant: &'static str,

    // Composer
    /// Message label.
    pub message: &'static str,
    /// Message placeholder.
    pub message_placeholder: &'static str,
    /// Send button.
    pub send: &'static str,
    /// Stop button.
    pub stop: &'static str,

    // Diagnostics
    /// Back link on the diagnostics page.
    pub back_arrow: &'static str,
    /// What the checks do.
    pub diagnostics_intro: &'static str,
    /// Run button.
    pub run_checks: &'static str,
    /// Verdict: works.
    pub works: &'static str,
    /// Verdict: broken.
    pub needs_fix: &'static str,
    /// Step mark: works with a warning.
    pub works_with_warning: &'static str,
    /// A file picked for import could not be read.
    pub file_unreadable: &'static str,
    /// The diagnostics' steps, in order.
    pub diagnosis_steps: [&'static str; 5],
    /// Step mark: fails.
    pub fails: &'static str,
    /// Step mark: not tried.
    pub not_tried: &'static str,
}
