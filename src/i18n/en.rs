//! English: the page text and every message.

use super::catalog::Catalog;
use super::Texts;
use crate::error::{AccountRefusal, AppError, Invalid};
use crate::failure::{
    Failover, FailoverReason, Failure, HistoryBudget, LeftOut, Problem, ProviderError,
    ProviderKind, Setting, Upstream, Waiting,
};
use crate::model::Finding;
use crate::numbers::thousands;

/// The English catalog.
pub struct English;

/// How messages name the provider: the built-in Local AI is "the local AI
/// server", others their name.
fn who(provider: &Upstream) -> String {
    match provider.kind {
        ProviderKind::Local => "the local AI server".to_string(),
        _ => provider.name.clone(),
    }
}

/// [`who`] at the start of a sentence.
fn who_at_start(provider: &Upstream) -> String {
    super::catalog::capitalized(&who(provider))
}

/// What to check when the server cannot be reached.
fn start_hint(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Local => {
            "Check that LM Studio (or LocalAI / text-generation-webui) is running with its server started"
        }
        ProviderKind::LmStudio => {
            "Check that LM Studio is running and its server is started (Developer tab)"
        }
        ProviderKind::LocalAi => "Check that LocalAI is running",
        ProviderKind::TextgenWebui => {
            "Check that text-generation-webui is running, started with --api"
        }
        ProviderKind::Ollama => "Check that Ollama is running (ollama serve)",
        ProviderKind::HuggingFace | ProviderKind::OpenAi => {
            "Check that the server is up and reachable from here"
        }
    }
}

/// " It said: …" after a message, when the provider gave details.
fn said(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|d| format!(" It said: {d}"))
        .unwrap_or_default()
}

const EMPTY_REPLY: &str = "The model sent an empty reply. This usually means a base model is loaded: \
load an Instruct or Chat model (for example one whose name ends in -Instruct or -Chat) and try again.";

/// Setup help while Hugging Face has no token.
const HF_SETUP: &str = "Hugging Face is not configured. Create a fine-grained token at \
huggingface.co/settings/tokens with the \"Make calls to Inference Providers\" permission, put it in \
HUGGINGFACE_API_TOKEN in .env.local and restart Nexa Chat.";

/// Problems every provider can have, worded alike whatever the server.
fn common(p: &Upstream, problem: &Problem) -> Option<String> {
    let url = &p.url;
    Some(match problem {
        Problem::NotConfigured { missing_key } => match (p.kind, missing_key) {
            (ProviderKind::HuggingFace, None) => HF_SETUP.to_string(),
            (_, Some(var)) => format!(
                "{} is not configured: put its API key in {} in .env.local and restart Nexa Chat.",
                p.name,
                English::setting(var)
            ),
            (_, None) => format!(
                "{} is not configured: set {}.",
                p.name,
                English::setting(&p.settings.key)
            ),
        },
        Problem::DnsFailed => format!(
            "The host name in {url} could not be found (DNS). Check the spelling of the URL setting, \
             or use the server's IP address."
        ),
        Problem::TlsFailed => format!(
            "The secure (https) connection to {url} failed: the certificate is not trusted or the server \
             does not speak TLS. For a server on this machine or network use http://; otherwise give it a \
             certificate from a trusted authority."
        ),
        Problem::EmptyReply => EMPTY_REPLY.to_string(),
        _ => return None,
    })
}

fn local(p: &Upstream, problem: &Problem) -> String {
    let url = &p.url;
    let url_setting = English::setting(&p.settings.url);
    let key_setting = English::setting(&p.settings.key);
    let model_setting = English::setting(&p.settings.model);
    let model = p.model.as_deref().unwrap_or("the configured model");
    let who = who(p);
    let who_at_start = who_at_start(p);
    match problem {
        Problem::Unreachable => format!(
            "Can't reach {who} at {url}. {}, and that the port matches {url_setting}.",
            start_hint(p.kind)
        ),
        Problem::Timeout { seconds } => format!(
            "{who_at_start} at {url} did not answer within {seconds} seconds. It may still be loading the \
             model or be too slow for it: wait, then press Retry, or load a smaller model."
        ),
        Problem::StreamDropped => format!(
            "The connection to {who} at {url} broke in the middle of the reply: it may have \
             crashed or run out of memory. The text so far is kept; check the server and press Retry."
        ),
        Problem::BadResponse => format!(
            "The server at {url} answered, but not in the OpenAI chat format. Check that {url_setting} \
             points at its /v1/chat/completions endpoint."
        ),
        Problem::TooLarge { mib } => format!(
            "The server at {url} sent over {mib} MiB in one piece, so Nexa Chat stopped reading and closed \
             the connection; the text so far is kept. Check that {url_setting} points at its \
             /v1/chat/completions endpoint, and the server's log."
        ),
        Problem::ReportedError { detail } => format!(
            "{who_at_start} reported an error: {}",
            detail.as_deref().unwrap_or("no details")
        ),
        Problem::NoModelLoaded => "The local AI server has no model loaded. In LM Studio, load a chat model in the \
             Developer tab (or run `lms load` with its name); in text-generation-webui, load one in the Model tab. \
             Then press Retry."
            .to_string(),
        Problem::PickModel => format!(
            "LM Studio has several models loaded and needs to be told which one to use: set {model_setting} \
             to one of the names LM Studio's Developer tab shows (or pick it in the Model box), and restart \
             Nexa Chat after changing the setting."
        ),
        Problem::InvalidHost => format!(
            "text-generation-webui refused the host name in {url} (\"Invalid host header\"). Start it with \
             --listen --api, or point {url_setting} at localhost or 127.0.0.1."
        ),
        Problem::OllamaModelMissing { name } => {
            let name = name.as_deref().unwrap_or(model);
            format!(
                "Ollama does not have the model \"{name}\". Run `ollama pull {name}` on the server, or set \
                 {model_setting} to a model that `ollama list` shows."
            )
        }
        Problem::ModelMissing { detail } => format!(
            "The local AI server does not have the model it was asked for ({model}). Set {model_setting} to \
             a model it lists at /v1/models, or remove it to use the one that is loaded.{}",
            said(detail)
        ),
        Problem::ModelLoadFailed { detail } => format!(
            "The local AI server could not load the model: check that its file and settings are in the \
             server's models folder (LocalAI: the model's YAML), that it fits in memory, or pick another \
             model.{}",
            said(detail)
        ),
        Problem::KeyRefused { status, detail } => format!(
            "{who_at_start} at {url} refused the request (HTTP {status}): it wants an API key. \
             Set {key_setting} to the key it was started with.{}",
            said(detail)
        ),
        Problem::EndpointNotFound { detail } => format!(
            "{who_at_start} answered 404 at {url}: either the URL is not its \
             /v1/chat/completions endpoint, or the model is not there. Check {url_setting} and that \
             {model_setting} names a loaded model.{}",
            said(detail)
        ),
        Problem::Busy { detail, .. } => format!(
            "{who_at_start} is busy or still loading the model. Wait a moment and press Retry.{}",
            said(detail)
        ),
        Problem::HttpError { status, detail } => format!(
            "{who_at_start} answered HTTP {status}. Check that a chat model is loaded in it.{}",
            said(detail)
        ),
        // Hugging Face's own problems, should another server answer so.
        other => huggingface(p, other),
    }
}

fn huggingface(p: &Upstream, problem: &Problem) -> String {
    let url = &p.url;
    let url_setting = English::setting(&p.settings.url);
    let key_setting = English::setting(&p.settings.key);
    let model_setting = English::setting(&p.settings.model);
    let model = p.model.as_deref().unwrap_or_default();
    match problem {
        Problem::Unreachable => format!(
            "Can't reach Hugging Face at {url}. Check this server's internet connection and proxy, \
             and {url_setting} if you changed it."
        ),
        Problem::Timeout { seconds } => {
            format!("Hugging Face did not answer within {seconds} seconds. Press Retry in a moment.")
        }
        Problem::StreamDropped => "The connection to Hugging Face broke in the middle of the reply. The text so \
             far is kept; press Retry."
            .to_string(),
        Problem::BadResponse => {
            format!("The answer from {url} was not in the OpenAI chat format. Check {url_setting}.")
        }
        Problem::TooLarge { mib } => format!(
            "The answer from {url} sent over {mib} MiB in one piece, so Nexa Chat stopped reading it; the \
             text so far is kept. Check {url_setting}, then press Retry."
        ),
        Problem::ReportedError { detail } => format!(
            "Hugging Face reported an error: {}",
            detail.as_deref().unwrap_or("no details")
        ),
        Problem::ModelNotSupported => format!(
            "The model {model} is not served by any inference provider you have enabled. Enable one at \
             huggingface.co/settings/inference-providers, or set {model_setting} to a model they serve."
        ),
        Problem::TokenInvalid => format!(
            "Hugging Face does not accept the token in {key_setting} (HTTP 401): it is wrong, \
             expired or revoked. Create a fine-grained token at huggingface.co/settings/tokens with the \
             \"Make calls to Inference Providers\" permission, put it in .env.local and restart."
        ),
        Problem::TokenRejected { status } => format!(
            "Hugging Face refused the token (HTTP {status}). It needs the \"Make calls to Inference \
             Providers\" permission: create a fine-grained token at huggingface.co/settings/tokens with it \
             and put it in {key_setting}."
        ),
        Problem::CreditsExceeded => "Your Hugging Face monthly included credits for Inference Providers are used \
             up (HTTP 402). Add credits or subscribe to PRO at huggingface.co/settings/billing, or use Local AI \
             meanwhile."
            .to_string(),
        Problem::ModelNotFound { detail } => format!(
            "Hugging Face could not find {model} (HTTP 404): the model id is misspelled, or the provider \
             forced by its \":provider\" suffix does not serve it. Check the id on huggingface.co, or use \
             the \":fastest\" or \":cheapest\" suffix to let Hugging Face pick a provider.{}",
            said(detail)
        ),
        Problem::EndpointGone => format!(
            "{url} is gone (HTTP 410): the old api-inference.huggingface.co API no longer serves chat. \
             Set {url_setting} to https://router.huggingface.co/v1/chat/completions, or remove it to use \
             that default."
        ),
        Problem::ModelLoading { seconds } => format!(
            "The model {model} is loading at Hugging Face{}. Wait, then press Retry.",
            seconds
                .map(|s| format!(" (about {s} seconds)"))
                .unwrap_or_default()
        ),
        Problem::RateLimited { retry_after } => format!(
            "Hugging Face is rate-limiting this token (HTTP 429). {}, then press Retry.",
            match retry_after {
                Some(seconds) => format!("Wait {seconds} seconds"),
                None => "Wait a minute".to_string(),
            }
        ),
        Problem::HttpError { status, detail } => format!(
            "Hugging Face answered HTTP {status} for the model {model}.{}",
            said(detail)
        ),
        // The local servers' own problems, should Hugging Face answer so.
        other => local(&Upstream { kind: ProviderKind::OpenAi, ..p.clone() }, other),
    }
}

impl Catalog for English {
    const TEXTS: &'static Texts = &TEXTS;
    #[cfg(feature = "ssr")]
    const SERVER_TEXTS: &'static super::ServerTexts = &SERVER_TEXTS;
    const HF_MODEL_HELP: &'static str = "Any model id from huggingface.co works. Add :fastest to let Hugging \
Face pick the fastest provider, :cheapest for the cheapest, or :<provider> (for example :groq or :together) to \
force one.";
    const PROVIDER_ADDRESS: &'static str = "the address set on this server";

    fn app_error(err: &AppError) -> String {
        match err {
            AppError::Unauthorized => "Please sign in to continue.".to_string(),
            AppError::BadCredentials => "Wrong username or password.".to_string(),
            AppError::SignupClosed => {
                "Sign-up is closed on this server. Ask the admin for an account.".to_string()
            }
            AppError::UsernameTaken => {
                "That username is already taken. Pick another one or sign in.".to_string()
            }
            // The server words refusals and provider failures itself
            // (`Lang::app_error`); the page gets them as `Said`.
            AppError::Invalid(_) => "The request was refused.".to_string(),
            AppError::Said { message, .. } => message.clone(),
            AppError::NotFound => "That conversation was not found.".to_string(),
            AppError::AdminOnly => {
                "Only the admin can do this. Sign in with the first account created on \
                                    this server."
                    .to_string()
            }
            AppError::ReplyInProgress => {
                "A reply is still being written in this chat. Wait for it to finish \
                                          or press Stop."
                    .to_string()
            }
            AppError::CrossSiteRefused => "Refused: this request came from a page of another site or \
                                           address. Use Nexa Chat from its own address; behind a reverse \
                                           proxy, set PUBLIC_URL to the address people open."
                .to_string(),
            AppError::TooManyReplies { limit } => format!(
                "You already have {limit} replies being written, as many as this server allows at once. Wait \
                 for one to finish, or press Stop in its chat, then send again."
            ),
            AppError::TooManyFollowers { limit } => format!(
                "This reply is open in {limit} places already, as many as allowed. Close a tab."
            ),
            AppError::ServerBusy { limit } => format!(
                "The server is writing {limit} replies already, as many as it allows at once. Send \
                 again in a few seconds."
            ),
            AppError::Account(_) => "The request was refused.".to_string(),
            AppError::Provider(_) => "The model provider failed.".to_string(),
            AppError::Internal => {
                "Something went wrong on the server. The details are in the server log.".to_string()
            }
            AppError::Transport(detail) => {
                format!("Could not reach the Nexa Chat server: {detail}")
            }
        }
    }

    fn account(refusal: &AccountRefusal) -> String {
        match refusal {
            AccountRefusal::TooManyAttempts { seconds } => format!(
                "Too many failed sign-ins for this account or from this address. Try again in {}.",
                minutes_or_seconds(*seconds)
            ),
            AccountRefusal::Disabled => {
                "This account is disabled. Ask the admin of this server to enable it.".to_string()
            }
            AccountRefusal::WrongPassword => {
                "The current password is not right; nothing was changed.".to_string()
            }
            AccountRefusal::InviteInvalid => {
                "This invitation was used already, has expired or was \
                                    withdrawn. Ask the admin for a new link."
                    .to_string()
            }
            AccountRefusal::NotFound => "That account does not exist (any more).".to_string(),
            AccountRefusal::OwnAccount => "You cannot disable, delete or demote your own account. \
                                 Another admin can."
                .to_string(),
        }
    }

    fn invalid(reason: &Invalid) -> String {
        match reason {
            Invalid::Malformed { detail } => format!("The request was malformed: {detail}"),
            Invalid::UsernameLength { min, max } => {
                format!("The username must be {min} to {max} characters long.")
            }
            Invalid::UsernameCharacters => {
                "The username may only use letters, digits, '.', '-' and '_'.".to_string()
            }
            Invalid::PasswordTooShort { min } => {
                format!("The password must be at least {min} characters long.")
            }
            Invalid::PasswordTooLong { max } => {
                format!("The password must be at most {max} bytes long.")
            }
            Invalid::TitleEmpty => {
                "The title is empty. Type a name for the conversation.".to_string()
            }
            Invalid::TitleTooLong { max } => {
                format!("The title is too long: at most {max} characters.")
            }
            Invalid::TemperatureNotNumber => {
                "The temperature must be a number between 0 and 2 (0.7 is a usual \
                                              value), or empty for the default."
                    .to_string()
            }
            Invalid::TemperatureRange => {
                "The temperature must be between 0 and 2 (0.7 is a usual value).".to_string()
            }
            Invalid::MaxTokens { max } => format!(
                "Max tokens must be a whole number from 1 to {max}, or empty for the default."
            ),
            Invalid::SystemPromptTooLong { max } => {
                format!("The system prompt is too long: at most {max} characters.")
            }
            Invalid::ImportNotJson { detail } => {
                format!(
                    "This file cannot be imported: it is not a Nexa Chat JSON export ({detail})."
                )
            }
            Invalid::ImportNotConversation => {
                "This file cannot be imported: it is not a Nexa Chat conversation export."
                    .to_string()
            }
            Invalid::ImportTooManyMessages { max } => {
                format!("This file cannot be imported: it has more than {max} messages.")
            }
            Invalid::ImportMessageTooLong { max } => {
                format!("This file cannot be imported: a message is longer than {max} characters.")
            }
            Invalid::ExportFormat { given } => {
                format!("Unknown export format '{given}': use markdown or json.")
            }
            Invalid::MessageEmpty => "The message is empty. Type something to send.".to_string(),
            Invalid::MessageTooLong { max } => {
                format!("The message is too long: at most {max} characters.")
            }
            Invalid::UnknownProvider { id, known } => {
                format!("Unknown provider '{id}'. Use one of: {known}.")
            }
            Invalid::NothingToAnswer => "There is no message to answer again.".to_string(),
            Invalid::NotAUserMessage => {
                "Only your own messages in this chat can be edited.".to_string()
            }
            Invalid::ModelName { max } => {
                format!("The model name is not valid: at most {max} characters, on one line.")
            }
            Invalid::BodyTooLarge { max_mib } => format!(
                "The request is larger than this server takes ({max_mib} MiB). Send less at once."
            ),
            Invalid::HistoryEmpty => {
                "\"messages\" is empty: send at least one message.".to_string()
            }
            Invalid::HistoryTooLong { max } => format!("Too many messages: at most {max}."),
            Invalid::HistoryRole { index, role } => format!(
                "messages[{index}].role is '{role}'; use \"user\", \"assistant\" or \"system\"."
            ),
            Invalid::HistoryContentTooLong { index, max } => {
                format!("messages[{index}].content is over {max} characters.")
            }
        }
    }

    fn provider_error(err: &ProviderError) -> String {
        let p = &err.provider;
        common(p, &err.problem).unwrap_or_else(|| match p.kind {
            ProviderKind::HuggingFace => huggingface(p, &err.problem),
            _ => local(p, &err.problem),
        })
    }

    fn failure(failure: &Failure) -> String {
        match failure {
            Failure::Provider(err) => Self::provider_error(err),
            Failure::FallbackFailed {
                first,
                fallback,
                second,
            } => format!(
                "{} The fallback, {fallback}, failed too: {}",
                Self::provider_error(first),
                Self::provider_error(second)
            ),
            Failure::ProviderRemoved { id } => {
                format!("The provider '{id}' is no longer configured.")
            }
            Failure::Interrupted => {
                "This reply was cut off: the server stopped or failed while writing it. \
                                     The text so far is kept; press Retry for a new reply."
                    .to_string()
            }
            Failure::TooLong { max_chars } => format!(
                "Stopped: the reply reached {} characters, the longest this server keeps. The text so \
                 far is kept; ask to go on in a new message.",
                max_chars
            ),
            Failure::Recorded { en, .. } => en.clone(),
        }
    }

    fn failover(notice: &Failover) -> String {
        let why = match notice.reason {
            FailoverReason::RateLimited => "was rate-limited",
            FailoverReason::Busy => "was busy or loading",
            FailoverReason::TimedOut => "did not answer in time",
            FailoverReason::Unreachable => "could not be reached",
        };
        format!("{} {why}, so {} answered.", notice.chosen, notice.answered)
    }

    fn left_out(left_out: &LeftOut) -> String {
        let LeftOut { sent, total, .. } = left_out;
        match left_out.budget {
            HistoryBudget::Chars { max } => format!(
                "Sent the last {sent} of {total} messages: this server sends at most {} characters \
                 of a conversation (MAX_HISTORY_CHARS). Start a new chat to leave the rest behind.",
                thousands(max, ',')
            ),
        }
    }

    fn waiting(waiting: &Waiting) -> String {
        match waiting {
            Waiting::ModelLoading {
                provider,
                seconds_left,
            } => format!("{provider} is loading the model. Trying again in {seconds_left} s…"),
            Waiting::TryingAgain { provider } => format!("Trying {provider} again…"),
        }
    }

    fn setting(setting: &Setting) -> String {
        match setting {
            Setting::Var(name) => name.clone(),
            Setting::File { field, provider } => {
                format!("{field} of \"{provider}\" in providers.toml")
            }
        }
    }

    fn finding(finding: &Finding) -> String {
        match finding {
            Finding::NotConfigured => "not configured".to_string(),
            Finding::KeySet { setting } => {
                format!("an API key is set ({})", Self::setting(setting))
            }
            Finding::NoToken => "no token".to_string(),
            Finding::NoKey => {
                "no API key (none needed unless the server was started with one)".to_string()
            }
            Finding::Code { code } => code.clone(),
            Finding::Answered { status, ms } => format!("answered HTTP {status} in {ms} ms"),
            Finding::Lists { count: 0, .. } => "lists no models".to_string(),
            Finding::Lists {
                count,
                shown,
                more: 0,
            } => format!("lists {count}: {shown}"),
            Finding::Lists { count, shown, more } => {
                format!("lists {count}: {shown} and {more} more")
            }
            Finding::NoModelList { status } => {
                format!("answered HTTP {status}: this server does not list its models")
            }
            Finding::SetModel { setting } => {
                format!("Set {} to the model's name.", Self::setting(setting))
            }
            Finding::CheckedByTestReply { model } => format!("{model} (checked by the test reply)"),
            Finding::ModelNotListed { model } => {
                format!("{model} is not among the models the server lists")
            }
            Finding::PickListedModel {
                setting,
                listed,
                model,
            } => format!(
                "Set {} to one of: {listed}, or load {model} in the server.",
                Self::setting(setting)
            ),
            Finding::Model { model } => model.clone(),
            Finding::NoModelLoaded => "no model is loaded".to_string(),
            Finding::LoadAModel => {
                "Load a chat model in the server (LM Studio: Developer tab or `lms load`; \
                                    Ollama: `ollama pull`), then run the checks again."
                    .to_string()
            }
            Finding::FirstListedUsed { model } => {
                format!("none set, so the first listed is used: {model}")
            }
            Finding::NoneSetNoneListed => "none set and none listed: the server picks".to_string(),
            Finding::SetModelIfReplyFails { setting } => {
                format!("Set {} if the test reply fails.", Self::setting(setting))
            }
            Finding::RepliedIn { ms } => format!("answered in {ms} ms"),
            Finding::NoReply { code } => format!("no reply ({code})"),
            Finding::NotTried => "not tried: fix the step above first".to_string(),
        }
    }
}

/// The English page text.
pub static TEXTS: Texts = Texts {
    app_name: "Nexa Chat",
    loading: "Loading…",
    not_found: "Page not found",
    back_to_chat: "Back to the chat",
    language: "Language",
    theme: "Theme",
    theme_system: "System",
    theme_light: "Light",
    theme_dark: "Dark",
    apply: "Apply",

    sign_in_title: "Sign in to Nexa Chat",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    no_account: "No account yet? ",
    create_one: "Create one",
    sign_up_title: "Create your account",
    signup_closed: "Sign-up is closed on this server. Ask the admin for an account.",
    first_account_admin: "The first account on a new server becomes its admin.",
    password_hint: "(at least 8 characters)",
    create_account: "Create account",
    have_account: "Already have an account? ",
    sign_out: "Sign out",

    conversations: "Conversations",
    new_chat: "+ New chat",
    no_conversations: "No conversations yet.",
    search: "Search conversations",
    search_placeholder: "Search (Ctrl+K)",
    no_matches: "No conversation matches.",
    rename: "Rename",
    new_title: "New title",
    save: "Save",
    cancel: "Cancel",
    delete: "Delete",
    delete_confirm: "Delete this conversation?",
    delete_confirm_detail: "Its messages are deleted for good.",
    admin: "admin",
    diagnostics: "Diagnostics",
    users: "Users",
    account_title: "Account",
    menu: "Menu",

    provider: "Provider",
    model: "Model",
    not_configured: "(not configured)",
    offline: "(offline)",
    default_model: "default: ",
    loaded_model: "the server's loaded model",
    chat_settings: "Chat settings",
    system_prompt: "System prompt",
    system_prompt_placeholder: "Instructions the model follows in this chat",
    temperature: "Temperature",
    max_tokens: "Max tokens",
    use_default: "default",
    saved: "Saved.",
    close: "Close",
    export_markdown: "Export Markdown",
    export_json: "Export JSON",
    import_json: "Import JSON",
    imported: "Conversation imported.",

    conversation: "Conversation",
    loading_conversation: "Loading the conversation…",
    start_new_chat: "Start a new chat",
    welcome_title: "What can I help with?",
    welcome_text: "Pick a provider above, type below and press Enter. Shift+Enter starts a new line.",
    model_answering: "The model is answering",
    thinking: "Thinking",
    thinking_now: "Thinking…",
    no_reply: "Sorry, no reply this time.",
    retry: "Retry",
    stopped: "Stopped",
    tokens: "tokens",
    tokens_per_second: "tokens/s",
    copy: "Copy",
    copied: "Copied",
    regenerate: "Regenerate",
    edit: "Edit",
    save_and_send: "Save and send",
    edit_note: "The replies after this message will be replaced.",
    show_earlier: "Show earlier messages",
    code: "code",
    you: "You",
    assistant: "Assistant",

    message: "Message",
    message_placeholder: "Type a message. Enter sends, Shift+Enter adds a line.",
    send: "Send",
    stop: "Stop",

    back_arrow: "← Back to the chat",
    diagnostics_intro: "Checks each provider step by step: its settings, that its server answers, its model \
                        list, the model it will use and a one-token test reply. Tokens and keys are never shown.",
    run_checks: "Run the checks",
    works: "works",
    needs_fix: "needs a fix",
    works_with_warning: "works, with a warning",
    file_unreadable: "The file could not be read.",
    diagnosis_steps: [
        "Settings",
        "Server reachable",
        "Model list (/v1/models)",
        "A model to answer with",
        "Test reply",
    ],
    fails: "fails",
    not_tried: "not tried",
};

/// "90 seconds", "2 minutes": how long a wait is, rounded up to minutes
/// past two minutes.
fn minutes_or_seconds(seconds: u64) -> String {
    match seconds {
        1 => "1 second".to_string(),
        0..=120 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

/// The text of the pages only the server renders.
#[cfg(feature = "ssr")]
pub static SERVER_TEXTS: super::ServerTexts = super::ServerTexts {
    signed_in_as: "Signed in as",
    change_password: "Change password",
    current_password: "Current password",
    new_password: "New password",
    password_changed: "Password changed. Every other device was signed out.",
    sign_out_everywhere: "Sign out everywhere",
    sign_out_everywhere_hint: "Ends every session of this account, on every device and script, this one included.",
    users_title: "Users",
    col_name: "Account",
    col_created: "Created",
    col_chats: "Chats",
    col_actions: "Actions",
    you: "you",
    disabled: "disabled",
    disable: "Disable",
    enable: "Enable",
    make_admin: "Make admin",
    remove_admin: "Remove admin",
    reset_password: "Set password",
    reset_password_placeholder: "new password",
    delete_account: "Delete",
    delete_account_confirm: "with all its chats",
    signup_heading: "Sign-up",
    signup_is_open: "Open: anyone who can reach this server can create an account.",
    signup_is_closed: "Closed: only people with an invitation can create an account.",
    open_signup: "Open sign-up",
    close_signup: "Close sign-up",
    invites_heading: "Invitations",
    invites_intro: "A link that lets one person create an account while sign-up is closed. It works once, for 7 days.",
    create_invite: "New invitation link",
    withdraw_invite: "Withdraw",
    expires: "expires",
    no_invites: "No invitation waiting.",
    invited: "You were invited: choose a username and a password.",
};
