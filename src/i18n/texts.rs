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
    /// Step mark: fails.
    pub fails: &'static str,
    /// Step mark: not tried.
    pub not_tried: &'static str,
}

/// English.
pub static EN: Texts = Texts {
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
    fails: "fails",
    not_tried: "not tried",
};

/// Spanish.
pub static ES: Texts = Texts {
    app_name: "Nexa Chat",
    loading: "Cargando…",
    not_found: "Página no encontrada",
    back_to_chat: "Volver al chat",
    language: "Idioma",
    theme: "Tema",
    theme_system: "Sistema",
    theme_light: "Claro",
    theme_dark: "Oscuro",
    apply: "Aplicar",

    sign_in_title: "Inicia sesión en Nexa Chat",
    username: "Usuario",
    password: "Contraseña",
    sign_in: "Iniciar sesión",
    no_account: "¿Aún no tienes cuenta? ",
    create_one: "Crea una",
    sign_up_title: "Crea tu cuenta",
    signup_closed: "El registro está cerrado en este servidor. Pide una cuenta al administrador.",
    first_account_admin: "La primera cuenta de un servidor nuevo es su administradora.",
    password_hint: "(al menos 8 caracteres)",
    create_account: "Crear cuenta",
    have_account: "¿Ya tienes cuenta? ",
    sign_out: "Cerrar sesión",

    conversations: "Conversaciones",
    new_chat: "+ Nuevo chat",
    no_conversations: "Todavía no hay conversaciones.",
    search: "Buscar conversaciones",
    search_placeholder: "Buscar (Ctrl+K)",
    no_matches: "Ninguna conversación coincide.",
    rename: "Renombrar",
    new_title: "Nuevo título",
    save: "Guardar",
    cancel: "Cancelar",
    delete: "Eliminar",
    delete_confirm: "¿Eliminar esta conversación?",
    delete_confirm_detail: "Sus mensajes se eliminan para siempre.",
    admin: "admin",
    diagnostics: "Diagnóstico",
    menu: "Menú",

    provider: "Proveedor",
    model: "Modelo",
    not_configured: "(sin configurar)",
    offline: "(desconectado)",
    default_model: "predeterminado: ",
    loaded_model: "el modelo cargado en el servidor",
    chat_settings: "Ajustes del chat",
    system_prompt: "Instrucciones del sistema",
    system_prompt_placeholder: "Instrucciones que el modelo sigue en este chat",
    temperature: "Temperatura",
    max_tokens: "Máximo de tokens",
    use_default: "predeterminado",
    saved: "Guardado.",
    close: "Cerrar",
    export_markdown: "Exportar Markdown",
    export_json: "Exportar JSON",
    import_json: "Importar JSON",
    imported: "Conversación importada.",

    conversation: "Conversación",
    loading_conversation: "Cargando la conversación…",
    start_new_chat: "Empieza un chat nuevo",
    welcome_title: "¿En qué puedo ayudarte?",
    welcome_text: "Elige un proveedor arriba, escribe abajo y pulsa Intro. Mayús+Intro añade una línea.",
    model_answering: "El modelo está respondiendo",
    thinking: "Razonamiento",
    thinking_now: "Pensando…",
    no_reply: "Lo siento, esta vez no hubo respuesta.",
    retry: "Reintentar",
    stopped: "Detenido",
    tokens: "tokens",
    tokens_per_second: "tokens/s",
    copy: "Copiar",
    copied: "Copiado",
    regenerate: "Regenerar",
    edit: "Editar",
    save_and_send: "Guardar y enviar",
    edit_note: "Las respuestas posteriores a este mensaje se sustituirán.",
    show_earlier: "Mostrar mensajes anteriores",
    code: "código",
    you: "Tú",
    assistant: "Asistente",

    message: "Mensaje",
    message_placeholder: "Escribe un mensaje. Intro envía, Mayús+Intro añade una línea.",
    send: "Enviar",
    stop: "Detener",

    back_arrow: "← Volver al chat",
    diagnostics_intro: "Comprueba cada proveedor paso a paso: su configuración, que su servidor responde, su \
                        lista de modelos, el modelo que usará y una respuesta de prueba de un token. Nunca se \
                        muestran tokens ni claves.",
    run_checks: "Ejecutar las comprobaciones",
    works: "funciona",
    needs_fix: "necesita un arreglo",
    works_with_warning: "funciona, con un aviso",
    fails: "falla",
    not_tried: "no se probó",
};
