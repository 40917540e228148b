//! The diagnostics an admin runs from the page: for each provider, step by
//! step, what works and how to fix what does not. Never shows a secret.

use super::errors::{map_failure, UpstreamFailure};
use super::{list_models, probe, Provider, ProviderKind};
use crate::i18n::Lang;
use crate::model::{CheckStatus, DiagnosisStep, Finding, ProviderDiagnosis};
use std::time::Duration;

/// How long the reachability and model-list steps may take.
const LIST_TIMEOUT: Duration = Duration::from_secs(3);
/// How long the test reply may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(60);

/// A step worded in `lang`: what it found and, when something is to be
/// done, the fix.
fn step(
    lang: Lang,
    index: usize,
    status: CheckStatus,
    finding: Finding,
    fix: Option<String>,
) -> DiagnosisStep {
    DiagnosisStep {
        name: lang.texts().diagnosis_steps[index].to_string(),
        status,
        detail: lang.finding(&finding),
        fix,
    }
}

/// How many steps a check has.
pub const STEP_COUNT: usize = 5;

fn skip_rest(steps: &mut Vec<DiagnosisStep>, lang: Lang) {
    for index in steps.len()..STEP_COUNT {
        steps.push(step(
            lang,
            index,
            CheckStatus::Skipped,
            Finding::NotTried,
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
    let mut steps = Vec::new();
    let done = |steps: Vec<DiagnosisStep>| ProviderDiagnosis {
        id: provider.id.clone(),
        name: provider.name.clone(),
        url: provider.display_url.clone(),
        steps,
    };
    let fix = |finding: Finding| Some(lang.finding(&finding));
    let model_setting = || provider.settings.model.clone();
    if let Some(hint) = provider.setup_hint_in(lang) {
        steps.push(step(
            lang,
            0,
            CheckStatus::Fail,
            Finding::NotConfigured,
            Some(hint),
        ));
        skip_rest(&mut steps, lang);
        return done(steps);
    }
    let key = match (&provider.api_key, provider.kind) {
        (Some(_), _) => Finding::KeySet {
            setting: provider.settings.key.clone(),
        },
        (None, ProviderKind::HuggingFace) => Finding::NoToken,
        (None, _) => Finding::NoKey,
    };
    steps.push(step(lang, 0, CheckStatus::Pass, key, None));

    let started = std::time::Instant::now();
    let answer = match list_models(http, provider, LIST_TIMEOUT).await {
        Ok(answer) => answer,
        Err(err) => {
            let explained =
                map_failure(provider, UpstreamFailure::from_reqwest(&err, LIST_TIMEOUT));
            let fix = lang.provider_error(&explained);
            let code = Finding::Code {
                code: explained.code(),
            };
            steps.push(step(lang, 1, CheckStatus::Fail, code, Some(fix)));
            skip_rest(&mut steps, lang);
            return done(steps);
        }
    };
    let finding = Finding::Answered {
        status: answer.status,
        ms: started.elapsed().as_millis() as u64,
    };
    steps.push(step(lang, 1, CheckStatus::Pass, finding, None));

    let listed = match answer.status {
        200..=299 => {
            let shown: Vec<&str> = answer.models.iter().take(5).map(String::as_str).collect();
            let finding = Finding::Lists {
                count: answer.models.len(),
                more: answer.models.len().saturating_sub(shown.len()),
                shown: shown.join(", "),
            };
            steps.push(step(lang, 2, CheckStatus::Pass, finding, None));
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
            let code = Finding::Code {
                code: explained.code(),
            };
            steps.push(step(lang, 2, CheckStatus::Fail, code, Some(fix)));
            skip_rest(&mut steps, lang);
            return done(steps);
        }
        status => {
            let set_model = fix(Finding::SetModel {
                setting: model_setting(),
            });
            let finding = Finding::NoModelList { status };
            steps.push(step(lang, 2, CheckStatus::Warn, finding, set_model));
            None
        }
    };

    let model_step = match (&provider.model, &listed, provider.kind) {
        (Some(model), _, ProviderKind::HuggingFace) => step(
            lang,
            3,
            CheckStatus::Pass,
            Finding::CheckedByTestReply {
                model: model.clone(),
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
            let pick = fix(Finding::PickListedModel {
                setting: model_setting(),
                listed: some,
                model: model.clone(),
            });
            let finding = Finding::ModelNotListed {
                model: model.clone(),
            };
            step(lang, 3, CheckStatus::Warn, finding, pick)
        }
        (Some(model), _, _) => step(
            lang,
            3,
            CheckStatus::Pass,
            Finding::Model {
                model: model.clone(),
            },
            None,
        ),
        (None, Some(list), _) if list.is_empty() => step(
            lang,
            3,
            CheckStatus::Fail,
            Finding::NoModelLoaded,
            fix(Finding::LoadAModel),
        ),
        (None, Some(list), _) => step(
            lang,
            3,
            CheckStatus::Pass,
            Finding::FirstListedUsed {
                model: list[0].clone(),
            },
            None,
        ),
        (None, None, _) => step(
            lang,
            3,
            CheckStatus::Warn,
            Finding::NoneSetNoneListed,
            fix(Finding::SetModelIfReplyFails {
                setting: model_setting(),
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
            lang,
            4,
            CheckStatus::Pass,
            Finding::RepliedIn {
                ms: took.as_millis() as u64,
            },
            None,
        ),
        Err(err) => step(
            lang,
            4,
            CheckStatus::Fail,
            Finding::NoReply { code: err.code() },
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
        assert_eq!(
            names(&en),
            [
                "Settings",
                "Server reachable",
                "Model list (/v1/models)",
                "A model to answer with",
                "Test reply",
            ]
        );
        assert_eq!(
            names(&es),
            [
                "Configuración",
                "Servidor accesible",
                "Lista de modelos (/v1/models)",
                "Un modelo para responder",
                "Respuesta de prueba",
            ]
        );
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
