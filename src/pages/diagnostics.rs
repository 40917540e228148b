//! The diagnostics page: the troubleshooting guide as a button.

use crate::admin::RunDiagnostics;
use crate::auth::api::current_user;
use crate::model::{CheckStatus, DiagnosisStep, ProviderDiagnosis};
use leptos::prelude::*;
use leptos_router::components::Redirect;

fn mark(status: CheckStatus) -> (&'static str, &'static str) {
    match status {
        CheckStatus::Pass => ("✓", "works"),
        CheckStatus::Warn => ("!", "works, with a warning"),
        CheckStatus::Fail => ("✗", "fails"),
        CheckStatus::Skipped => ("–", "not tried"),
    }
}

fn status_class(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "check pass",
        CheckStatus::Warn => "check warn",
        CheckStatus::Fail => "check fail",
        CheckStatus::Skipped => "check skipped",
    }
}

#[component]
fn Step(step: DiagnosisStep) -> impl IntoView {
    let (symbol, said) = mark(step.status);
    view! {
        <li class=status_class(step.status)>
            <span class="check-mark" aria-label=said>{symbol}</span>
            <span class="check-name">{step.name}</span>
            <span class="check-detail">{step.detail}</span>
            {step.fix.map(|fix| view! { <p class="check-fix">{fix}</p> })}
        </li>
    }
}

#[component]
fn ProviderReport(report: ProviderDiagnosis) -> impl IntoView {
    let ok = report
        .steps
        .iter()
        .all(|s| s.status == CheckStatus::Pass || s.status == CheckStatus::Warn);
    view! {
        <section class="provider-report" aria-label=report.name.clone()>
            <h2>
                {report.name.clone()}
                <span class=if ok { "verdict ok" } else { "verdict broken" }>
                    {if ok { "works" } else { "needs a fix" }}
                </span>
            </h2>
            <p class="provider-url">{report.url}</p>
            <ol class="checks">
                {report.steps.into_iter().map(|step| view! { <Step step/> }).collect_view()}
            </ol>
        </section>
    }
}

/// The checks, for the admin.
#[component]
fn DiagnosticsBody() -> impl IntoView {
    let run = ServerAction::<RunDiagnostics>::new();
    view! {
        <main class="diagnostics">
            <a href="/">"← Back to the chat"</a>
            <h1>"Diagnostics"</h1>
            <p>
                "Checks each provider step by step: its settings, that its server answers, "
                "its model list, the model it will use and a one-token test reply. "
                "Tokens and keys are never shown."
            </p>
            <ActionForm action=run>
                <button type="submit" class="run-checks" disabled=move || run.pending().get()>
                    {move || if run.pending().get() { "Checking…" } else { "Run the checks" }}
                </button>
            </ActionForm>
            <div class="reports" aria-live="polite">
                {move || run.value().get().map(|result| match result {
                    Ok(reports) => reports
                        .into_iter()
                        .map(|report| view! { <ProviderReport report/> })
                        .collect_view()
                        .into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
                })}
            </div>
        </main>
    }
}

/// `/admin/diagnostics`.
#[component]
pub fn DiagnosticsPage() -> impl IntoView {
    crate::components::hydration::mark_hydrated();
    let user = Resource::new_blocking(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| view! { <p class="page-loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) if user.is_admin => view! { <DiagnosticsBody/> }.into_any(),
                    Ok(Some(_)) => view! {
                        <main class="centered">
                            <p class="form-error" role="alert">{crate::error::AppError::AdminOnly.to_string()}</p>
                            <a href="/">"Back to the chat"</a>
                        </main>
                    }
                    .into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
