//! The diagnostics page: the troubleshooting guide as a button. Plain HTML
//! from the server: the button asks for the page again with the checks run.

use crate::auth::api::current_user;
use crate::error::AppError;
use crate::model::{CheckStatus, DiagnosisStep, ProviderDiagnosis};
use leptos::prelude::*;

fn mark(status: CheckStatus) -> (&'static str, &'static str) {
    let t = crate::i18n::t();
    match status {
        CheckStatus::Pass => ("✓", t.works),
        CheckStatus::Warn => ("!", t.works_with_warning),
        CheckStatus::Fail => ("✗", t.fails),
        CheckStatus::Skipped => ("–", t.not_tried),
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
    let t = crate::i18n::t();
    view! {
        <section class="provider-report" aria-label=report.name.clone()>
            <h2>
                {report.name.clone()}
                <span class=if ok { "verdict ok" } else { "verdict broken" }>
                    {if ok { t.works } else { t.needs_fix }}
                </span>
            </h2>
            <p class="provider-url">{report.url}</p>
            <ol class="checks">
                {report.steps.into_iter().map(|step| view! { <Step step/> }).collect_view()}
            </ol>
        </section>
    }
}

/// Whether the request asks to run the checks (`?run=1`, what the button
/// sends): a plain GET, so reloading the results runs them again. A link
/// from another site does not run them (they call every provider), by the
/// browser's `Sec-Fetch-Site`.
fn run_requested() -> bool {
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return false;
    };
    let asked = crate::nav::query_param("run").as_deref() == Some("1");
    let from_elsewhere = parts
        .headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| !matches!(site, "same-origin" | "none"));
    asked && !from_elsewhere
}

/// The checks, for the admin: the button reloads the page with `?run=1`,
/// which renders the reports (server-rendered, no WASM on this page).
#[component]
fn DiagnosticsBody(reports: Option<Result<Vec<ProviderDiagnosis>, AppError>>) -> impl IntoView {
    let t = crate::i18n::t();
    let lang = crate::i18n::current_lang();
    view! {
        <main class="diagnostics">
            <a href="/">{t.back_arrow}</a>
            <h1>{t.diagnostics}</h1>
            <p>{t.diagnostics_intro}</p>
            <form method="get" action="/admin/diagnostics">
                <input type="hidden" name="run" value="1"/>
                <button type="submit" class="run-checks">{t.run_checks}</button>
            </form>
            <div class="reports">
                {reports.map(|result| match result {
                    Ok(reports) => reports
                        .into_iter()
                        .map(|report| view! { <ProviderReport report/> })
                        .collect_view()
                        .into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.message(lang)}</p> }.into_any(),
                })}
            </div>
        </main>
    }
}

/// `/admin/diagnostics`.
#[component]
pub fn DiagnosticsPage() -> impl IntoView {
    let user = Resource::new_blocking(|| (), |_| current_user());
    // Both block the page: it is sent whole, results included.
    let reports = Resource::new_blocking(
        || (),
        |_| async move {
            if run_requested() {
                Some(crate::admin::run_diagnostics().await)
            } else {
                None
            }
        },
    );
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    view! {
        <Suspense fallback=move || view! { <p class="page-loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) if user.is_admin => {
                        let reports = reports.await;
                        view! { <DiagnosticsBody reports/> }.into_any()
                    }
                    Ok(Some(_)) => view! {
                        <main class="centered">
                            <p class="form-error" role="alert">{crate::error::AppError::AdminOnly.message(lang)}</p>
                            <a href="/">{t.back_to_chat}</a>
                        </main>
                    }
                    .into_any(),
                    Ok(None) => {
                        crate::nav::redirect("/login");
                        ().into_any()
                    }
                    Err(err) => view! { <p class="form-error" role="alert">{err.message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
