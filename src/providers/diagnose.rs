//! The diagnostics an admin runs from the page: for each provider, step by
//! step, what works and how to fix what does not. Never shows a secret.

use super::errors::{map_failure, UpstreamFailure};
use super::{list_models, probe, Provider, ProviderKind};
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

fn skip_rest(steps: &mut Vec<DiagnosisStep>) {
    for name in STEPS.iter().skip(steps.len()) {
        steps.push(step(
            name,
            CheckStatus::Skipped,
            "not tried: fix the step above first",
            None,
        ));
    }
}

/// Checks one provider.
pub async fn diagnose(http: &reqwest::Client, provider: &Provider) -> ProviderDiagnosis {
    let mut steps = Vec::new();
    let done = |steps: Vec<DiagnosisStep>| ProviderDiagnosis {
        id: provider.id.clone(),
        name: provider.name.clone(),
        url: provider.display_url.clone(),
        steps,
    };
    if let Some(hint) = provider.setup_hint() {
        steps.push(step(
            STEPS[0],
            CheckStatus::Fail,
            "not configured",
            Some(hint),
        ));
        skip_rest(&mut steps);
        return done(steps);
    }
    let key = match (&provider.api_key, provider.kind) {
        (Some(_), _) => format!("an API key is set ({})", provider.settings.key),
        (None, ProviderKind::HuggingFace) => "no token".to_string(),
        (None, _) => "no API key (none needed unless the server was started with one)".to_string(),
    };
    steps.push(step(STEPS[0], CheckStatus::Pass, key, None));

    let started = std::time::Instant::now();
    let answer = match list_models(http, provider, LIST_TIMEOUT).await {
        Ok(answer) => answer,
        Err(err) => {
            let explained =
                map_failure(provider, UpstreamFailure::from_reqwest(&err, LIST_TIMEOUT));
            steps.push(step(
                STEPS[1],
                CheckStatus::Fail,
                explained.code,
                Some(explained.message),
            ));
            skip_rest(&mut steps);
            return done(steps);
        }
    };
    steps.push(step(
        STEPS[1],
        CheckStatus::Pass,
        format!(
            "answered HTTP {} in {} ms",
            answer.status,
            started.elapsed().as_millis()
        ),
        None,
    ));

    let listed = match answer.status {
        200..=299 => {
            let shown: Vec<&str> = answer.models.iter().take(5).map(String::as_str).collect();
            let more = answer.models.len().saturating_sub(shown.len());
            let detail = match (answer.models.len(), more) {
                (0, _) => "lists no models".to_string(),
                (n, 0) => format!("lists {n}: {}", shown.join(", ")),
                (n, more) => format!("lists {n}: {} and {more} more", shown.join(", ")),
            };
            steps.push(step(STEPS[2], CheckStatus::Pass, detail, None));
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
            steps.push(step(
                STEPS[2],
                CheckStatus::Fail,
                explained.code,
                Some(explained.message),
            ));
            skip_rest(&mut steps);
            return done(steps);
        }
        status => {
            steps.push(step(
                STEPS[2],
                CheckStatus::Warn,
                format!("answered HTTP {status}: this server does not list its models"),
                Some(format!(
                    "Set {} to the model's name.",
                    provider.settings.model
                )),
            ));
            None
        }
    };

    let model_step = match (&provider.model, &listed, provider.kind) {
        (Some(model), _, ProviderKind::HuggingFace) => {
            step(STEPS[3], CheckStatus::Pass, format!("{model} (checked by the test reply)"), None)
        }
        // Ollama lists "llama3.2:latest" and accepts "llama3.2".
        (Some(model), Some(list), _)
            if !list.is_empty()
                && !list.contains(model)
                && !list.contains(&format!("{model}:latest")) =>
        {
            step(
            STEPS[3],
            CheckStatus::Warn,
            format!("{model} is not among the models the server lists"),
            Some(format!(
                "Set {} to one of: {}, or load {model} in the server.",
                provider.settings.model,
                list.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
            )),
            )
        }
        (Some(model), _, _) => step(STEPS[3], CheckStatus::Pass, model.clone(), None),
        (None, Some(list), _) if list.is_empty() => step(
            STEPS[3],
            CheckStatus::Fail,
            "no model is loaded",
            Some(
                "Load a chat model in the server (LM Studio: Developer tab or `lms load`; Ollama: `ollama pull`), \
                 then run the checks again."
                    .to_string(),
            ),
        ),
        (None, Some(list), _) => step(
            STEPS[3],
            CheckStatus::Pass,
            format!("none set, so the first listed is used: {}", list[0]),
            None,
        ),
        (None, None, _) => step(
            STEPS[3],
            CheckStatus::Warn,
            "none set and none listed: the server picks",
            Some(format!("Set {} if the test reply fails.", provider.settings.model)),
        ),
    };
    let model_failed = model_step.status == CheckStatus::Fail;
    steps.push(model_step);
    if model_failed {
        skip_rest(&mut steps);
        return done(steps);
    }

    steps.push(match probe(http, provider, PROBE_TIMEOUT).await {
        Ok(took) => step(
            STEPS[4],
            CheckStatus::Pass,
            format!("answered in {} ms", took.as_millis()),
            None,
        ),
        Err(err) => step(
            STEPS[4],
            CheckStatus::Fail,
            format!("no reply ({})", err.code),
            Some(err.message),
        ),
    });
    done(steps)
}

/// Checks every provider at once.
pub async fn diagnose_all(
    http: &reqwest::Client,
    providers: &[Provider],
) -> Vec<ProviderDiagnosis> {
    futures_util::future::join_all(providers.iter().map(|p| diagnose(http, p))).await
}
