//! Spanish: the page text and every message.

use super::catalog::Catalog;
use super::Texts;
use crate::error::{AccountRefusal, AppError, Invalid};
use crate::failure::{
    Failover, FailoverReason, Failure, HistoryBudget, LeftOut, Problem, ProviderError,
    ProviderKind, Setting, Upstream, Waiting,
};
use crate::model::Finding;
use crate::numbers::thousands;

/// The Spanish catalog.
pub struct Spanish;

/// How messages name the provider: the built-in Local AI is "el servidor de
/// IA local", others their name.
fn who(provider: &Upstream) -> String {
    match provider.kind {
        ProviderKind::Local => "el servidor de IA local".to_string(),
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
            "Comprueba que LM Studio (o LocalAI / text-generation-webui) está en marcha con su servidor iniciado"
        }
        ProviderKind::LmStudio => {
            "Comprueba que LM Studio está en marcha y su servidor iniciado (pestaña Developer)"
        }
        ProviderKind::LocalAi => "Comprueba que LocalAI está en marcha",
        ProviderKind::TextgenWebui => {
            "Comprueba que text-generation-webui está en marcha, iniciado con --api"
        }
        ProviderKind::Ollama => "Comprueba que Ollama está en marcha (ollama serve)",
        ProviderKind::HuggingFace | ProviderKind::OpenAi => {
            "Comprueba que el servidor está activo y accesible desde aquí"
        }
    }
}

/// " Su respuesta: …" after a message, when the provider gave details.
fn said(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|d| format!(" Su respuesta: {d}"))
        .unwrap_or_default()
}

const EMPTY_REPLY: &str = "El modelo envió una respuesta vacía. Esto suele significar que hay un modelo base \
cargado: carga un modelo Instruct o Chat (por ejemplo, uno cuyo nombre termine en -Instruct o -Chat) y vuelve a \
intentarlo.";

/// Setup help while Hugging Face has no token.
const HF_SETUP: &str = "Hugging Face no está configurado. Crea un token de tipo fine-grained en \
huggingface.co/settings/tokens con el permiso \"Make calls to Inference Providers\", ponlo en \
HUGGINGFACE_API_TOKEN en .env.local y reinicia Nexa Chat.";

/// Problems every provider can have, worded alike whatever the server.
fn common(p: &Upstream, problem: &Problem) -> Option<String> {
    let url = &p.url;
    Some(match problem {
        Problem::NotConfigured { missing_key } => match (p.kind, missing_key) {
            (ProviderKind::HuggingFace, None) => HF_SETUP.to_string(),
            (_, Some(var)) => format!(
                "{} no está configurado: pon su clave de API en {} en .env.local y reinicia Nexa Chat.",
                p.name,
                Spanish::setting(var)
            ),
            (_, None) => format!(
                "{} no está configurado: define {}.",
                p.name,
                Spanish::setting(&p.settings.key)
            ),
        },
        Problem::DnsFailed => format!(
            "No se encontró el nombre de host de {url} (DNS). Revisa que la URL esté bien escrita en la \
             configuración, o usa la dirección IP del servidor."
        ),
        Problem::TlsFailed => format!(
            "Falló la conexión segura (https) con {url}: el certificado no es de confianza o el servidor no \
             habla TLS. Para un servidor en esta máquina o en esta red usa http://; si no, dale un certificado \
             de una autoridad de confianza."
        ),
        Problem::EmptyReply => EMPTY_REPLY.to_string(),
        _ => return None,
    })
}

fn local(p: &Upstream, problem: &Problem) -> String {
    let url = &p.url;
    let url_setting = Spanish::setting(&p.settings.url);
    let key_setting = Spanish::setting(&p.settings.key);
    let model_setting = Spanish::setting(&p.settings.model);
    let model = p.model.as_deref().unwrap_or("el modelo configurado");
    let who = who(p);
    let who_at_start = who_at_start(p);
    match problem {
        Problem::Unreachable => format!(
            "No se puede conectar con {who} en {url}. {} y que el puerto coincide con {url_setting}.",
            start_hint(p.kind)
        ),
        Problem::Timeout { seconds } => format!(
            "{who_at_start} en {url} no respondió en {seconds} segundos. Puede que todavía esté cargando el \
             modelo o que sea demasiado lento para él: espera y pulsa Reintentar, o carga un modelo más \
             pequeño."
        ),
        Problem::StreamDropped => format!(
            "La conexión con {who} en {url} se cortó en mitad de la respuesta: puede que se haya caído o \
             que se haya quedado sin memoria. El texto recibido hasta ahora se conserva; revisa el servidor y \
             pulsa Reintentar."
        ),
        Problem::BadResponse => format!(
            "El servidor en {url} respondió, pero no en el formato de chat de OpenAI. Comprueba que \
             {url_setting} apunta a su endpoint /v1/chat/completions."
        ),
        Problem::TooLarge { mib } => format!(
            "El servidor en {url} envió más de {mib} MiB de una vez, así que Nexa Chat dejó de leer y cerró \
             la conexión; el texto recibido hasta ahora se conserva. Comprueba que {url_setting} apunta a su \
             endpoint /v1/chat/completions, y el registro del servidor."
        ),
        Problem::ReportedError { detail } => format!(
            "{who_at_start} informó de un error: {}",
            detail.as_deref().unwrap_or("sin detalles")
        ),
        Problem::NoModelLoaded => "El servidor de IA local no tiene ningún modelo cargado. En LM Studio, carga un \
             modelo de chat en la pestaña Developer (o ejecuta `lms load` con su nombre); en \
             text-generation-webui, carga uno en la pestaña Model. Después pulsa Reintentar."
            .to_string(),
        Problem::PickModel => format!(
            "LM Studio tiene varios modelos cargados y hay que indicarle cuál usar: pon en {model_setting} \
             uno de los nombres que muestra la pestaña Developer de LM Studio (o elígelo en el selector \
             Modelo) y reinicia Nexa Chat después de cambiar el ajuste."
        ),
        Problem::InvalidHost => format!(
            "text-generation-webui rechazó el nombre de host de {url} (\"Invalid host header\"). Inícialo con \
             --listen --api, o haz que {url_setting} apunte a localhost o 127.0.0.1."
        ),
        Problem::OllamaModelMissing { name } => {
            let name = name.as_deref().unwrap_or(model);
            format!(
                "Ollama no tiene el modelo \"{name}\". Ejecuta `ollama pull {name}` en el servidor, o pon \
                 en {model_setting} un modelo que aparezca en `ollama list`."
            )
        }
        Problem::ModelMissing { detail } => format!(
            "El servidor de IA local no tiene el modelo que se le pidió ({model}). Pon en \
             {model_setting} uno de los modelos que lista en /v1/models, o quita el ajuste para usar el \
             que está cargado.{}",
            said(detail)
        ),
        Problem::ModelLoadFailed { detail } => format!(
            "El servidor de IA local no pudo cargar el modelo: comprueba que su archivo y su configuración \
             están en la carpeta de modelos del servidor (LocalAI: el YAML del modelo), que cabe en memoria, o \
             elige otro modelo.{}",
            said(detail)
        ),
        Problem::KeyRefused { status, detail } => format!(
            "{who_at_start} en {url} rechazó la petición (HTTP {status}): pide una clave de API. \
             Pon en {key_setting} la clave con la que se inició.{}",
            said(detail)
        ),
        Problem::EndpointNotFound { detail } => format!(
            "{who_at_start} respondió 404 en {url}: o la URL no es su endpoint \
             /v1/chat/completions, o el modelo no está ahí. Revisa {url_setting} y que \
             {model_setting} nombre un modelo cargado.{}",
            said(detail)
        ),
        Problem::Busy { detail, .. } => format!(
            "{who_at_start} está ocupado o todavía cargando el modelo. Espera un momento y pulsa \
             Reintentar.{}",
            said(detail)
        ),
        Problem::HttpError { status, detail } => format!(
            "{who_at_start} respondió HTTP {status}. Comprueba que tiene cargado un modelo de chat.{}",
            said(detail)
        ),
        other => huggingface(p, other),
    }
}

fn huggingface(p: &Upstream, problem: &Problem) -> String {
    let url = &p.url;
    let url_setting = Spanish::setting(&p.settings.url);
    let key_setting = Spanish::setting(&p.settings.key);
    let model_setting = Spanish::setting(&p.settings.model);
    let model = p.model.as_deref().unwrap_or_default();
    match problem {
        Problem::Unreachable => format!(
            "No se puede conectar con Hugging Face en {url}. Revisa la conexión a internet y el proxy de este \
             servidor, y {url_setting} si lo cambiaste."
        ),
        Problem::Timeout { seconds } => format!(
            "Hugging Face no respondió en {seconds} segundos. Pulsa Reintentar dentro de un momento."
        ),
        Problem::StreamDropped => "La conexión con Hugging Face se cortó en mitad de la respuesta. El texto \
             recibido hasta ahora se conserva; pulsa Reintentar."
            .to_string(),
        Problem::BadResponse => format!(
            "La respuesta de {url} no estaba en el formato de chat de OpenAI. Revisa {url_setting}."
        ),
        Problem::TooLarge { mib } => format!(
            "La respuesta de {url} envió más de {mib} MiB de una vez, así que Nexa Chat dejó de leerla; el \
             texto recibido hasta ahora se conserva. Revisa {url_setting} y pulsa Reintentar."
        ),
        Problem::ReportedError { detail } => format!(
            "Hugging Face informó de un error: {}",
            detail.as_deref().unwrap_or("sin detalles")
        ),
        Problem::ModelNotSupported => format!(
            "El modelo {model} no lo sirve ningún proveedor de inferencia que tengas activado. Activa \
             uno en huggingface.co/settings/inference-providers, o pon en {model_setting} un modelo \
             que sirvan."
        ),
        Problem::TokenInvalid => format!(
            "Hugging Face no acepta el token de {key_setting} (HTTP 401): es incorrecto, ha caducado \
             o se ha revocado. Crea un token de tipo fine-grained en huggingface.co/settings/tokens con \
             el permiso \"Make calls to Inference Providers\", ponlo en .env.local y reinicia."
        ),
        Problem::TokenRejected { status } => format!(
            "Hugging Face rechazó el token (HTTP {status}). Necesita el permiso \"Make calls to \
             Inference Providers\": crea en huggingface.co/settings/tokens un token de tipo fine-grained \
             con ese permiso y ponlo en {key_setting}."
        ),
        Problem::CreditsExceeded => "Se agotaron los créditos mensuales incluidos de Hugging Face para Inference \
             Providers (HTTP 402). Añade créditos o suscríbete a PRO en huggingface.co/settings/billing, o \
             mientras tanto usa Local AI."
            .to_string(),
        Problem::ModelNotFound { detail } => format!(
            "Hugging Face no encontró {model} (HTTP 404): el id del modelo está mal escrito, o el \
             proveedor forzado con su sufijo \":provider\" no lo sirve. Revisa el id en huggingface.co, \
             o usa el sufijo \":fastest\" o \":cheapest\" para que Hugging Face elija un \
             proveedor.{}",
            said(detail)
        ),
        Problem::EndpointGone => format!(
            "{url} ya no existe (HTTP 410): la antigua API api-inference.huggingface.co ya no sirve \
             chat. Pon en {url_setting} https://router.huggingface.co/v1/chat/completions, o quítalo \
             para usar ese valor predeterminado."
        ),
        Problem::ModelLoading { seconds } => format!(
            "El modelo {model} se está cargando en Hugging Face{}. Espera y pulsa Reintentar.",
            seconds
                .map(|s| format!(" (unos {s} segundos)"))
                .unwrap_or_default()
        ),
        Problem::RateLimited { retry_after } => format!(
            "Hugging Face está limitando la frecuencia de peticiones de este token (HTTP 429). {} y pulsa \
             Reintentar.",
            match retry_after {
                Some(seconds) => format!("Espera {seconds} segundos"),
                None => "Espera un minuto".to_string(),
            }
        ),
        Problem::HttpError { status, detail } => format!(
            "Hugging Face respondió HTTP {status} para el modelo {model}.{}",
            said(detail)
        ),
        other => local(&Upstream { kind: ProviderKind::OpenAi, ..p.clone() }, other),
    }
}

impl Catalog for Spanish {
    const TEXTS: &'static Texts = &TEXTS;
    #[cfg(feature = "ssr")]
    const SERVER_TEXTS: &'static super::ServerTexts = &SERVER_TEXTS;
    const HF_MODEL_HELP: &'static str = "Funciona cualquier id de modelo de huggingface.co. Añade :fastest para \
que Hugging Face elija el proveedor más rápido, :cheapest para el más barato, o :<provider> (por ejemplo :groq o \
:together) para forzar uno.";
    const PROVIDER_ADDRESS: &'static str = "la dirección configurada en este servidor";

    fn app_error(err: &AppError) -> String {
        match err {
            AppError::Unauthorized => "Inicia sesión para continuar.".to_string(),
            AppError::BadCredentials => "Usuario o contraseña incorrectos.".to_string(),
            AppError::SignupClosed => {
                "El registro está cerrado en este servidor. Pide una cuenta al administrador."
                    .to_string()
            }
            AppError::UsernameTaken => {
                "Ese nombre de usuario ya existe. Elige otro o inicia sesión.".to_string()
            }
            // The server words refusals and provider failures itself
            // (`Lang::app_error`); the page gets them as `Said`.
            AppError::Invalid(_) => "La petición fue rechazada.".to_string(),
            AppError::Said { message, .. } => message.clone(),
            AppError::NotFound => "No se encontró esa conversación.".to_string(),
            AppError::AdminOnly => {
                "Solo el administrador puede hacer esto. Inicia sesión con la primera cuenta \
                                    creada en este servidor."
                    .to_string()
            }
            AppError::ReplyInProgress => {
                "Todavía se está escribiendo una respuesta en este chat. Espera a que \
                                          termine o pulsa Detener."
                    .to_string()
            }
            AppError::CrossSiteRefused => "Rechazado: esta petición venía de una página de otro sitio o \
                                           dirección. Usa Nexa Chat desde su propia dirección; detrás de un \
                                           proxy inverso, pon en PUBLIC_URL la dirección que abre la gente."
                .to_string(),
            AppError::TooManyReplies { limit } => format!(
                "Ya tienes {limit} respuestas escribiéndose, tantas como este servidor permite a la vez. Espera \
                 a que termine una, o pulsa Detener en su chat, y vuelve a enviar."
            ),
            AppError::TooManyFollowers { limit } => format!(
                "Esta respuesta ya está abierta en {limit} sitios, los permitidos. Cierra una pestaña."
            ),
            AppError::ServerBusy { limit } => format!(
                "El servidor ya está escribiendo {limit} respuestas, tantas como permite a la vez. \
                 Vuelve a enviar en unos segundos."
            ),
            AppError::Account(_) => "Se rechazó la petición.".to_string(),
            AppError::Provider(_) => "El proveedor del modelo falló.".to_string(),
            AppError::Internal => {
                "Algo falló en el servidor. Los detalles están en el registro del servidor."
                    .to_string()
            }
            AppError::Transport(detail) => {
                format!("No se pudo contactar con el servidor de Nexa Chat: {detail}")
            }
        }
    }

    fn account(refusal: &AccountRefusal) -> String {
        match refusal {
        AccountRefusal::TooManyAttempts { seconds } => format!(
            "Demasiados inicios de sesión fallidos para esta cuenta o desde esta dirección. \
             Vuelve a intentarlo en {}.",
            minutos_o_segundos(*seconds)
        ),
        AccountRefusal::Disabled => {
            "Esta cuenta está desactivada. Pide al administrador de este servidor que la active."
                .to_string()
        }
        AccountRefusal::WrongPassword => {
            "La contraseña actual no es correcta; no se ha cambiado nada.".to_string()
        }
        AccountRefusal::InviteInvalid => "Esta invitación ya se usó, caducó o fue retirada. \
                                    Pide al administrador un enlace nuevo."
            .to_string(),
        AccountRefusal::NotFound => "Esa cuenta no existe (ya).".to_string(),
        AccountRefusal::OwnAccount => "No puedes desactivar, eliminar ni quitar el rol de \
                                 administrador a tu propia cuenta. Otro administrador puede."
            .to_string(),
        }
    }

    fn invalid(reason: &Invalid) -> String {
        match reason {
            Invalid::Malformed { detail } => format!("La petición estaba mal formada: {detail}"),
            Invalid::UsernameLength { min, max } => {
                format!("El nombre de usuario debe tener de {min} a {max} caracteres.")
            }
            Invalid::UsernameCharacters => {
                "El nombre de usuario solo puede usar letras, dígitos, '.', '-' y '_'.".to_string()
            }
            Invalid::PasswordTooShort { min } => {
                format!("La contraseña debe tener al menos {min} caracteres.")
            }
            Invalid::PasswordTooLong { max } => {
                format!("La contraseña debe tener como máximo {max} bytes.")
            }
            Invalid::TitleEmpty => {
                "El título está vacío. Escribe un nombre para la conversación.".to_string()
            }
            Invalid::TitleTooLong { max } => {
                format!("El título es demasiado largo: como máximo {max} caracteres.")
            }
            Invalid::TemperatureNotNumber => "La temperatura debe ser un número entre 0 y 2 (0,7 es un valor \
                                              habitual), o quedar vacía para el predeterminado."
                .to_string(),
            Invalid::TemperatureRange => {
                "La temperatura debe estar entre 0 y 2 (0,7 es un valor habitual).".to_string()
            }
            Invalid::MaxTokens { max } => format!(
                "El máximo de tokens debe ser un número entero de 1 a {max}, o vacío para el predeterminado."
            ),
            Invalid::SystemPromptTooLong { max } => format!(
                "Las instrucciones del sistema son demasiado largas: como máximo {max} caracteres."
            ),
            Invalid::ImportNotJson { detail } => format!(
                "Este archivo no se puede importar: no es una exportación JSON de Nexa Chat ({detail})."
            ),
            Invalid::ImportNotConversation => {
                "Este archivo no se puede importar: no es una exportación de conversación de Nexa Chat."
                    .to_string()
            }
            Invalid::ImportTooManyMessages { max } => {
                format!("Este archivo no se puede importar: tiene más de {max} mensajes.")
            }
            Invalid::ImportMessageTooLong { max } => format!(
                "Este archivo no se puede importar: un mensaje tiene más de {max} caracteres."
            ),
            Invalid::ExportFormat { given } => {
                format!("Formato de exportación desconocido '{given}': usa markdown o json.")
            }
            Invalid::MessageEmpty => "El mensaje está vacío. Escribe algo para enviarlo.".to_string(),
            Invalid::MessageTooLong { max } => {
                format!("El mensaje es demasiado largo: como máximo {max} caracteres.")
            }
            Invalid::UnknownProvider { id, known } => {
                format!("Proveedor desconocido '{id}'. Usa uno de estos: {known}.")
            }
            Invalid::NothingToAnswer => "No hay ningún mensaje que responder de nuevo.".to_string(),
            Invalid::NotAUserMessage => {
                "Solo se pueden editar tus propios mensajes de este chat.".to_string()
            }
            Invalid::ModelName { max } => format!(
                "El nombre del modelo no es válido: como máximo {max} caracteres, en una sola línea."
            ),
            Invalid::BodyTooLarge { max_mib } => format!(
                "La petición es mayor de lo que admite este servidor ({max_mib} MiB). Envía menos de una vez."
            ),
            Invalid::HistoryEmpty => "\"messages\" está vacío: envía al menos un mensaje.".to_string(),
            Invalid::HistoryTooLong { max } => format!("Demasiados mensajes: como máximo {max}."),
            Invalid::HistoryRole { index, role } => format!(
                "messages[{index}].role es '{role}'; usa \"user\", \"assistant\" o \"system\"."
            ),
            Invalid::HistoryContentTooLong { index, max } => {
                format!("messages[{index}].content tiene más de {max} caracteres.")
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
                "{} El proveedor de respaldo, {fallback}, también falló: {}",
                Self::provider_error(first),
                Self::provider_error(second)
            ),
            Failure::ProviderRemoved { id } => format!("El proveedor '{id}' ya no está configurado."),
            Failure::Interrupted => "Esta respuesta se cortó: el servidor se detuvo o falló mientras la \
                                     escribía. El texto recibido se conserva; pulsa Reintentar para obtener \
                                     una respuesta nueva."
                .to_string(),
            Failure::TooLong { max_chars } => format!(
                "Detenida: la respuesta llegó a {} caracteres, lo más largo que guarda este servidor. \
                 El texto se conserva; pide que continúe en un mensaje nuevo.",
                max_chars
            ),
            Failure::Recorded { en, es } => es.clone().unwrap_or_else(|| en.clone()),
        }
    }

    fn failover(notice: &Failover) -> String {
        let why = match notice.reason {
            FailoverReason::RateLimited => "había alcanzado su límite de peticiones",
            FailoverReason::Busy => "estaba ocupado o cargando",
            FailoverReason::TimedOut => "no respondió a tiempo",
            FailoverReason::Unreachable => "no estaba accesible",
        };
        format!(
            "{} {why}, así que respondió {}.",
            notice.chosen, notice.answered
        )
    }

    fn left_out(left_out: &LeftOut) -> String {
        let LeftOut { sent, total, .. } = left_out;
        match left_out.budget {
            HistoryBudget::Chars { max } => format!(
                "Se enviaron los últimos {sent} de {total} mensajes: este servidor envía como máximo \
                 {} caracteres de una conversación (MAX_HISTORY_CHARS). Empieza un chat nuevo para \
                 dejar atrás el resto.",
                thousands(max, '.')
            ),
        }
    }

    fn waiting(waiting: &Waiting) -> String {
        match waiting {
            Waiting::ModelLoading {
                provider,
                seconds_left,
            } => format!(
                "{provider} está cargando el modelo. Se vuelve a intentar en {seconds_left} s…"
            ),
            Waiting::TryingAgain { provider } => format!("Intentándolo de nuevo con {provider}…"),
        }
    }

    fn setting(setting: &Setting) -> String {
        match setting {
            Setting::Var(name) => name.clone(),
            Setting::File { field, provider } => {
                format!("{field} de \"{provider}\" en providers.toml")
            }
        }
    }

    fn finding(finding: &Finding) -> String {
        match finding {
            Finding::NotConfigured => "sin configurar".to_string(),
            Finding::KeySet { setting } => {
                format!("hay una clave de API ({})", Self::setting(setting))
            }
            Finding::NoToken => "sin token".to_string(),
            Finding::NoKey => {
                "sin clave de API (no hace falta salvo que el servidor se iniciara con una)".to_string()
            }
            Finding::Code { code } => code.clone(),
            Finding::Answered { status, ms } => format!("respondió HTTP {status} en {ms} ms"),
            Finding::Lists { count: 0, .. } => "no lista ningún modelo".to_string(),
            Finding::Lists {
                count,
                shown,
                more: 0,
            } => format!("lista {count}: {shown}"),
            Finding::Lists { count, shown, more } => format!("lista {count}: {shown} y {more} más"),
            Finding::NoModelList { status } => {
                format!("respondió HTTP {status}: este servidor no lista sus modelos")
            }
            Finding::SetModel { setting } => {
                format!("Pon en {} el nombre del modelo.", Self::setting(setting))
            }
            Finding::CheckedByTestReply { model } => {
                format!("{model} (lo comprueba la respuesta de prueba)")
            }
            Finding::ModelNotListed { model } => {
                format!("{model} no está entre los modelos que lista el servidor")
            }
            Finding::PickListedModel {
                setting,
                listed,
                model,
            } => format!(
                "Pon en {} uno de estos: {listed}, o carga {model} en el servidor.",
                Self::setting(setting)
            ),
            Finding::Model { model } => model.clone(),
            Finding::NoModelLoaded => "no hay ningún modelo cargado".to_string(),
            Finding::LoadAModel => "Carga un modelo de chat en el servidor (LM Studio: pestaña Developer o \
                                    `lms load`; Ollama: `ollama pull`) y vuelve a ejecutar las comprobaciones."
                .to_string(),
            Finding::FirstListedUsed { model } => format!(
                "no hay ninguno configurado, así que se usa el primero de la lista: {model}"
            ),
            Finding::NoneSetNoneListed => {
                "ninguno configurado ni listado: el servidor elige".to_string()
            }
            Finding::SetModelIfReplyFails { setting } => format!(
                "Configura {} si la respuesta de prueba falla.",
                Self::setting(setting)
            ),
            Finding::RepliedIn { ms } => format!("respondió en {ms} ms"),
            Finding::NoReply { code } => format!("sin respuesta ({code})"),
            Finding::NotTried => "no se probó: arregla primero el paso anterior".to_string(),
        }
    }
}

/// The Spanish page text.
pub static TEXTS: Texts = Texts {
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
    users: "Usuarios",
    account_title: "Cuenta",
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
    file_unreadable: "No se pudo leer el archivo.",
    diagnosis_steps: [
        "Configuración",
        "Servidor accesible",
        "Lista de modelos (/v1/models)",
        "Un modelo para responder",
        "Respuesta de prueba",
    ],
    works_with_warning: "funciona, con un aviso",
    fails: "falla",
    not_tried: "no se probó",
};

/// "90 segundos", "2 minutos": cuánto hay que esperar, en minutos (hacia
/// arriba) a partir de dos.
fn minutos_o_segundos(seconds: u64) -> String {
    match seconds {
        1 => "1 segundo".to_string(),
        0..=120 => format!("{seconds} segundos"),
        _ => format!("{} minutos", seconds.div_ceil(60)),
    }
}

/// The text of the pages only the server renders.
#[cfg(feature = "ssr")]
pub static SERVER_TEXTS: super::ServerTexts = super::ServerTexts {
    signed_in_as: "Has iniciado sesión como",
    change_password: "Cambiar la contraseña",
    current_password: "Contraseña actual",
    new_password: "Contraseña nueva",
    password_changed: "Contraseña cambiada. Se ha cerrado la sesión en los demás dispositivos.",
    sign_out_everywhere: "Cerrar sesión en todas partes",
    sign_out_everywhere_hint: "Cierra todas las sesiones de esta cuenta, en todos los dispositivos y scripts, también esta.",
    users_title: "Usuarios",
    col_name: "Cuenta",
    col_created: "Creada",
    col_chats: "Chats",
    col_actions: "Acciones",
    you: "tú",
    disabled: "desactivada",
    disable: "Desactivar",
    enable: "Activar",
    make_admin: "Hacer admin",
    remove_admin: "Quitar admin",
    reset_password: "Poner contraseña",
    reset_password_placeholder: "contraseña nueva",
    delete_account: "Eliminar",
    delete_account_confirm: "con todos sus chats",
    signup_heading: "Registro",
    signup_is_open: "Abierto: cualquiera que llegue a este servidor puede crear una cuenta.",
    signup_is_closed: "Cerrado: solo quien tenga una invitación puede crear una cuenta.",
    open_signup: "Abrir el registro",
    close_signup: "Cerrar el registro",
    invites_heading: "Invitaciones",
    invites_intro: "Un enlace que permite a una persona crear una cuenta con el registro cerrado. Sirve una vez, durante 7 días.",
    create_invite: "Nuevo enlace de invitación",
    withdraw_invite: "Retirar",
    expires: "caduca",
    no_invites: "Ninguna invitación pendiente.",
    invited: "Te han invitado: elige un nombre de usuario y una contraseña.",
};
