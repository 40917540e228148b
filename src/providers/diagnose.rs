//! The diagnostics an admin runs from the page: for each provider, step by
//! step, what works and how to fix what does not. Never shows a secret.

use super::errors::{map_failure, UpstreamFailure};
use super::{list_models, probe, Provider, ProviderKind};
use crate::i18n::Lang;
use crate::model::{CheckStatus, DiagnosisStep, ProviderDiagnosis};
use std::time::Duration;

/// How long the reachability and model-list steps may take.
const LIST_TIMEOUT: Duration = Duration::from_secs(3);
/// How long the test reply may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(60);

fn step(
    name: &str,
    status: CheckStatus,
    detail: impl Into<String>,
    fix: Option<String>,
) -> DiagnosisStep {
    DiagnosisStep {
        name: name.to_string(),
        status,
        detail: detail.into(),
        fix,
    }
}

/// The names of the steps, in order.
pub const STEPS: [&str; 5] = [
    "Settings",
    "Server reachable",
    "Model list (/v1/models)",
    "A model to answer with",
    "Test reply",
];

/// [`STEPS`] in Spanish.
pub const STEPS_ES: [&str; 5] = [
    "Configuración",
    "Servidor accesible",
    "Lista de modelos (/v1/models)",
    "Un modelo para responder",
    "Respuesta de prueba",
];

/// The step names in `lang`.
pub fn step_names(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => STEPS,
        Lang::Es => STEPS_ES,
    }
}

fn skip_rest(steps: &mut Vec<DiagnosisStep>, lang: Lang) {
    for name in step_names(lang).iter().skip(steps.len()) {
        steps.push(step(
            name,
            CheckStatus::Skipped,
            lang.pick(
                "not tried: fix the step above first",
                "no se probó: arregla primero el paso anterior",
            ),
            None,
        ));
    }
}

/// Checks one provider; the steps are worded in `lang`.
pub async fn diagnose(
    http: &reqwest::Client,
    provider: &Provider,
    lang: Lang,
) -> ProviderDiagnosis {
    let names = step_names(lang);
    let es = lang == Lang::Es;
    // Setting names as the reader's language words them.
    let settings = crate::providers::ProviderSettingNames {
        key: lang.setting(&provider.settings.key),
        model: lang.setting(&provider.settings.model),
    };
    let mut steps = Vec::new();
    let done = |steps: Vec<DiagnosisStep>| ProviderDiagnosis {
        id: provider.id.clone(),
        name: provider.name.clone(),
        url: provider.display_url.clone(),
        steps,
    };
    if let Some(hint) = provider.setup_hint_in(lang) {
        steps.push(step(
            names[0],
            CheckStatus::Fail,
            lang.pick("not configured", "sin configurar"),
            Some(hint),
        ));
        skip_rest(&mut steps, lang);
        return done(steps);
    }
    let key = match (&provider.api_key, provider.kind, es) {
        (Some(_), _, false) => format!("an API key is set ({})", settings.key),
        (Some(_), _, true) => format!("hay una clave de API ({})", settings.key),
        (None, ProviderKind::HuggingFace, _) => lang.pick("no token", "sin token").to_string(),
        (None, _, _) => lang
            .pick(
                "no API key (none needed unless the server was started with one)",
                "sin clave de API (no hace falta salvo que el servidor se iniciara con una)",
            )
            .to_string(),
    };
    steps.push(step(names[0], CheckStatus::Pass, key, None));

    let started = std::time::Instant::now();
    let answer = match list_models(http, provider, LIST_TIMEOUT).await {
        Ok(answer) => answer,
        Err(err) => {
            let explained =
                map_failure(provider, UpstreamFailure::from_reqwest(&err, LIST_TIMEOUT));
            let fix = lang.provider_error(&explained);
            steps.push(step(
                names[1],
                CheckStatus::Fail,
                explained.code(),
                Some(fix),
            ));
            skip_rest(&mut steps, lang);
            return done(steps);
        }
    };
    let took = started.elapsed().as_millis();
    steps.push(step(
        names[1],
        CheckStatus::Pass,
        if es {
            format!("respondió HTTP {} en {took} ms", answer.status)
        } else {
            format!("answered HTTP {} in {took} ms", answer.status)
        },
        None,
    ));

    let listed = match answer.status {
        200..=299 => {
            let shown: Vec<&str> = answer.models.iter().take(5).map(String::as_str).collect();
            let more = answer.models.len().saturating_sub(shown.len());
            let shown = shown.join(", ");
            let detail = match (answer.models.len(), more, es) {
                (0, _, false) => "lists no models".to_string(),
                (0, _, true) => "no lista ningún modelo".to_string(),
                (n, 0, false) => format!("lists {n}: {shown}"),
                (n, 0, true) => format!("lista {n}: {shown}"),
                (n, more, false) => format!("lists {n}: {shown} and {more} more"),
                (n, more, true) => format!("lista {n}: {shown} y {more} más"),
            };
            steps.push(step(names[2], CheckStatus::Pass, detail, None));
            Some(answer.models)
        }
        401 | 403 => {
            let explained = map_failure(
                provider,
                UpstreamFailure::Status {
                    status: answer.status,
                    body: answer.body,
                    retry_after: None,
                },
            );
            let fix = lang.provider_error(&explained);
            steps.push(step(
                names[2],
                CheckStatus::Fail,
                explained.code(),
                Some(fix),
            ));
            skip_rest(&mut steps, lang);
            return done(steps);
        }
        status => {
            let (detail, fix) = if es {
                (
                    format!("respondió HTTP {status}: este servidor no lista sus modelos"),
                    format!("Pon en {} el nombre del modelo.", settings.model),
                )
            } else {
                (
                    format!("answered HTTP {status}: this server does not list its models"),
                    format!("Set {} to the model's name.", settings.model),
                )
            };
            steps.push(step(names[2], CheckStatus::Warn, detail, Some(fix)));
            None
        }
    };

    let model_step = match (&provider.model, &listed, provider.kind) {
        (Some(model), _, ProviderKind::HuggingFace) => step(
            names[3],
            CheckStatus::Pass,
            if es {
                format!("{model} (lo comprueba la respuesta de prueba)")
            } else {
                format!("{model} (checked by the test reply)")
            },
            None,
        ),
        // Ollama lists "llama3.2:latest" and accepts "llama3.2".
        (Some(model), Some(list), _)
            if !list.is_empty()
                && !list.contains(model)
                && !list.contains(&format!("{model}:latest")) =>
        {
            let some = list.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
            let (detail, fix) = if es {
                (
                    format!("{model} no está entre los modelos que lista el servidor"),
                    format!(
                        "Pon en {} uno de estos: {some}, o carga {model} en el servidor.",
                        settings.model
                    ),
                )
            } else {
                (
                    format!("{model} is not among the models the server lists"),
                    format!(
                        "Set {} to one of: {some}, or load {model} in the server.",
                        settings.model
                    ),
                )
            };
            step(names[3], CheckStatus::Warn, detail, Some(fix))
        }
        (Some(model), _, _) => step(names[3], CheckStatus::Pass, model.clone(), None),
        (None, Some(list), _) if list.is_empty() => step(
            names[3],
            CheckStatus::Fail,
            lang.pick("no model is loaded", "no hay ningún modelo cargado"),
            Some(
                lang.pick(
                    "Load a chat model in the server (LM Studio: Developer tab or `lms load`; Ollama: \
                     `ollama pull`), then run the checks again.",
                    "Carga un modelo de chat en el servidor (LM Studio: pestaña Developer o `lms load`; \
                     Ollama: `ollama pull`) y vuelve a ejecutar las comprobaciones.",
                )
                .to_string(),
            ),
        ),
        (None, Some(list), _) => step(
            names[3],
            CheckStatus::Pass,
            if es {
                format!(
                    "no hay ninguno configurado, así que se usa el primero de la lista: {}",
                    list[0]
                )
            } else {
                format!("none set, so the first listed is used: {}", list[0])
            },
            None,
        ),
        (None, None, _) => step(
            names[3],
            CheckStatus::Warn,
            lang.pick(
                "none set and none listed: the server picks",
                "ninguno configurado ni listado: el servidor elige",
            ),
            Some(if es {
                format!("Configura {} si la respuesta de prueba falla.", settings.model)
            } else {
                format!("Set {} if the test reply fails.", settings.model)
            }),
        ),
    };
    let model_failed = model_step.status == CheckStatus::Fail;
    steps.push(model_step);
    if model_failed {
        skip_rest(&mut steps, lang);
        return done(steps);
    }

    steps.push(match probe(http, provider, PROBE_TIMEOUT).await {
        Ok(took) => step(
            names[4],
            CheckStatus::Pass,
            if es {
                format!("respondió en {} ms", took.as_millis())
            } else {
                format!("answered in {} ms", took.as_millis())
            },
            None,
        ),
        Err(err) => step(
            names[4],
            CheckStatus::Fail,
            if es {
                format!("sin respuesta ({})", err.code())
            } else {
                format!("no reply ({})", err.code())
            },
            Some(lang.provider_error(&err)),
        ),
    });
    done(steps)
}

/// Checks every provider at once, worded in `lang`.
pub async fn diagnose_all(
    http: &reqwest::Client,
    providers: &[Provider],
    lang: Lang,
) -> Vec<ProviderDiagnosis> {
    futures_util::future::join_all(providers.iter().map(|p| diagnose(http, p, lang))).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::providers::{ProviderRegistry, HUGGINGFACE};

    /// Hugging Face without a token, so not configured (the setup of the
    /// tests in errors.rs, minus the token).
    fn registry() -> ProviderRegistry {
        let config = Config::from_lookup(|k| match k {
            "LOCAL_AI_URL" => Some("http://127.0.0.1:9/v1".into()),
            _ => None,
        })
        .expect("config");
        ProviderRegistry::from_config(&config).expect("registry")
    }

    #[tokio::test]
    async fn a_provider_that_is_not_configured_is_explained_in_spanish() {
        let reg = registry();
        let hf = reg.get(HUGGINGFACE).expect("provider");
        let http = reqwest::Client::new();

        let en = diagnose(&http, hf, Lang::En).await;
        let es = diagnose(&http, hf, Lang::Es).await;

        let names =
            |d: &ProviderDiagnosis| d.steps.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&en), STEPS);
        assert_eq!(names(&es), STEPS_ES);
        assert_eq!(es.steps[0].status, CheckStatus::Fail);
        assert_eq!(en.steps[0].detail, "not configured");
        assert_eq!(es.steps[0].detail, "sin configurar");
        assert!(es.steps[1..]
            .iter()
            .all(|s| s.status == CheckStatus::Skipped && s.detail.starts_with("no se probó")));

        let fix_en = en.steps[0].fix.clone().expect("a fix in English");
        let fix_es = es.steps[0].fix.clone().expect("a fix in Spanish");
        assert_ne!(fix_en, fix_es);
        assert!(fix_es.contains("no está configurado"), "{fix_es}");
        for kept in [
            "huggingface.co/settings/tokens",
            "HUGGINGFACE_API_TOKEN",
            ".env.local",
        ] {
            assert!(
                fix_en.contains(kept) && fix_es.contains(kept),
                "{kept}: {fix_es}"
            );
        }
    }
}
