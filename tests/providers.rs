//! Extra providers from providers.toml, and failover to a fallback provider.

mod support;

use mock_provider::MockOptions;
use nexa_chat::config::Config;
use serde_json::{json, Value};
use support::{closed_port, done_message, TestApp};

fn user_says(text: &str, provider: &str) -> Value {
    json!({"messages": [{"role": "user", "content": text}], "provider": provider})
}

#[tokio::test]
async fn a_providers_file_adds_endpoints_with_their_own_names_and_settings() {
    let down = closed_port().await;
    let app = TestApp::spawn_custom(MockOptions::default(), move |mock, dir| {
        let file = dir.join("providers.toml");
        std::fs::write(
            &file,
            format!(
                r#"
[[provider]]
id = "ollama"
name = "Ollama on the NAS"
kind = "ollama"
base_url = "{}"
model = "llama3.2"
api_key_env = "NAS_KEY"

[[provider]]
id = "offline"
name = "Spare box"
kind = "lmstudio"
base_url = "http://127.0.0.1:{down}/v1"
"#,
                mock.base_url()
            ),
        )
        .expect("write providers.toml");
        vec![
            ("PROVIDERS_FILE".into(), file.display().to_string()),
            ("NAS_KEY".into(), "nas-secret".into()),
        ]
    })
    .await;
    let token = app.signup("ana").await;

    let (status, providers) = app
        .post("/api/list_providers", Some(&token), json!({}))
        .await;
    assert_eq!(status, 200);
    let names: Vec<&str> = providers
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        ["Local AI", "Hugging Face", "Ollama on the NAS", "Spare box"]
    );
    assert!(
        !providers.to_string().contains("nas-secret"),
        "no key leaves the server"
    );

    let (status, body) = app.chat(&token, user_says("hola", "ollama")).await;
    assert_eq!(status, 200, "{body}");
    let sent = app.last_request();
    assert_eq!(sent["model"], "llama3.2");

    let (status, body) = app.chat(&token, user_says("hola", "offline")).await;
    assert_eq!(status, 502);
    let message = body["error"].as_str().unwrap_or("");
    assert!(
        message.contains(&format!(
            "Can't reach Spare box at http://127.0.0.1:{down}/v1/chat/completions"
        )),
        "{message}"
    );
    assert!(
        message.contains("LM Studio")
            && message.contains("base_url of \"offline\" in providers.toml"),
        "{message}"
    );

    let (status, body) = app.chat(&token, user_says("hola", "nope")).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("\"ollama\"")),
        "{body}"
    );
}

#[tokio::test]
async fn the_fallback_answers_when_the_chosen_provider_is_down_and_says_so() {
    let down = closed_port().await;
    let local = format!("http://127.0.0.1:{down}/v1");
    let app = TestApp::spawn(&[
        ("LOCAL_AI_URL", &local),
        ("FALLBACK_PROVIDER", "huggingface"),
    ])
    .await;
    let token = app.signup("ana").await;
    let outcome = app.send(&token, None, "¿Hay alguien?").await;
    let id = outcome["conversation_id"].as_i64().expect("id");
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(done["status"], "complete", "{done}");
    assert_eq!(done["provider"], "huggingface");
    assert_eq!(
        done["notice"],
        "Local AI could not be reached, so Hugging Face answered."
    );
    assert!(done["content"]
        .as_str()
        .is_some_and(|c| c.contains("¿Hay alguien?")));
    let sent = app.last_request();
    assert_eq!(sent["model"], "meta-llama/Llama-3.2-3B-Instruct:fastest");
}

#[tokio::test]
async fn a_refusal_is_not_failed_over() {
    // Local AI is up and has a fallback; it refuses the key with a 403.
    let app = TestApp::spawn(&[("FALLBACK_PROVIDER", "huggingface")]).await;
    let token = app.signup("ana").await;
    app.mock.state().push_fault(mock_provider::Fault::Status {
        status: 403,
        body: r#"{"error":"insufficient permissions"}"#.into(),
        content_type: None,
    });
    let outcome = app.send(&token, None, "again").await;
    assert_eq!(outcome["reply"]["status"], "streaming");
    let id = outcome["conversation_id"].as_i64().expect("id");
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    // Had the fallback answered, the reply would be complete (the fault
    // is used up by the first request).
    assert_eq!(done["status"], "failed", "{done}");
    assert_eq!(done["provider"], "local");
    assert!(done["notice"].is_null(), "{done}");
    assert_eq!(
        app.mock.state().requests().len(),
        1,
        "one request, no fallback"
    );
}

#[test]
fn bad_provider_settings_stop_the_start_with_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("providers.toml");
    std::fs::write(
        &file,
        "[[provider]]\nid = \"x\"\nkind = \"gpt\"\nbase_url = \"http://h/v1\"\n",
    )
    .expect("write");
    let path = file.display().to_string();
    let err = Config::from_lookup(|k| (k == "PROVIDERS_FILE").then(|| path.clone()))
        .expect_err("bad kind");
    let line = err.to_string();
    assert!(
        line.starts_with("PROVIDERS_FILE: ") && line.contains("kind 'gpt'"),
        "{line}"
    );

    let missing =
        Config::from_lookup(|k| (k == "PROVIDERS_FILE").then(|| "/nonexistent/p.toml".into()))
            .expect_err("missing file");
    assert!(missing
        .to_string()
        .contains("cannot read /nonexistent/p.toml"));

    let config =
        Config::from_lookup(|k| (k == "FALLBACK_PROVIDER").then(|| "nope".into())).expect("config");
    let err =
        nexa_chat::providers::ProviderRegistry::from_config(&config).expect_err("unknown fallback");
    assert!(err.starts_with("FALLBACK_PROVIDER: 'nope'"), "{err}");
}

/// An app whose providers.toml holds `text`.
async fn with_providers_file(text: String) -> TestApp {
    TestApp::spawn_custom(MockOptions::default(), move |_, dir| {
        let file = dir.join("providers.toml");
        std::fs::write(&file, text).expect("write providers.toml");
        vec![("PROVIDERS_FILE".into(), file.display().to_string())]
    })
    .await
}

fn statuses(report: &Value) -> Vec<&str> {
    report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["status"].as_str().unwrap_or(""))
        .collect()
}

fn report<'a>(reports: &'a Value, id: &str) -> &'a Value {
    reports
        .as_array()
        .expect("reports")
        .iter()
        .find(|r| r["id"] == id)
        .expect("report for the provider")
}

#[tokio::test]
async fn the_admin_checks_each_provider_step_by_step() {
    let down = closed_port().await;
    let app = with_providers_file(format!(
            "[[provider]]\nid = \"offline\"\nname = \"Spare box\"\nkind = \"ollama\"\nbase_url = \"http://127.0.0.1:{down}/v1\"\n"
        )).await;
    let admin = app.signup("admin").await;
    let (status, reports) = app
        .post("/api/run_diagnostics", Some(&admin), json!({}))
        .await;
    assert_eq!(status, 200, "{reports}");
    assert!(
        !reports.to_string().contains("hf_test_token"),
        "no secret is shown"
    );

    let local = report(&reports, "local");
    assert_eq!(statuses(local), ["pass"; 5], "{local}");
    assert!(local["steps"][2]["detail"]
        .as_str()
        .is_some_and(|d| d.contains("mock-instruct-7b")));
    assert!(local["steps"][4]["detail"]
        .as_str()
        .is_some_and(|d| d.starts_with("answered in")));
    let sent = app.last_request();
    assert_eq!(sent["max_tokens"], 1);

    assert_eq!(statuses(report(&reports, "huggingface")), ["pass"; 5]);

    let offline = report(&reports, "offline");
    assert_eq!(
        statuses(offline),
        ["pass", "fail", "skipped", "skipped", "skipped"]
    );
    let fix = offline["steps"][1]["fix"].as_str().unwrap_or("");
    assert!(
        fix.contains("Can't reach Spare box") && fix.contains("ollama serve"),
        "{fix}"
    );

    // The page is plain HTML: its button asks for it again with `?run=1`.
    let page = |query: &'static str, token: String| {
        let app = &app;
        async move {
            app.page(&format!("/admin/diagnostics{query}"), Some(&token), &[])
                .await
        }
    };
    let before = page("", admin.clone()).await;
    assert!(
        before.contains(r#"<form method="get" action="/admin/diagnostics">"#),
        "{before}"
    );
    assert!(!before.contains("provider-report") && !before.contains(".wasm"));
    // A link from another site does not make the admin's browser run them.
    let linked = app
        .page(
            "/admin/diagnostics?run=1",
            Some(&admin),
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert!(!linked.contains("provider-report"), "{linked}");
    let ran = page("?run=1", admin.clone()).await;
    assert!(ran.contains(r#"aria-label="Spare box""#), "{ran}");
    assert!(
        ran.contains("ollama serve"),
        "the fix is on the page: {ran}"
    );

    let user = app.signup("bob").await;
    let (status, body) = app
        .post("/api/run_diagnostics", Some(&user), json!({}))
        .await;
    assert_eq!(status, 403, "{body}");
    let refused = page("?run=1", user).await;
    assert!(refused.contains("Only the admin"), "{refused}");
    assert!(!refused.contains("provider-report"), "{refused}");
}

#[tokio::test]
async fn diagnostics_name_a_missing_model_and_a_missing_token() {
    let app = TestApp::spawn(&[
        ("LOCAL_AI_MODEL", "ghost-13b"),
        ("HUGGINGFACE_API_TOKEN", ""),
    ])
    .await;
    let admin = app.signup("admin").await;
    let (_, reports) = app
        .post("/api/run_diagnostics", Some(&admin), json!({}))
        .await;
    let local = report(&reports, "local");
    // Not listed is a warning (Ollama accepts names it lists with ":latest"),
    // and the test reply still runs.
    assert_eq!(statuses(local), ["pass", "pass", "pass", "warn", "pass"]);
    let fix = local["steps"][3]["fix"].as_str().unwrap_or("");
    assert!(
        fix.contains("LOCAL_AI_MODEL") && fix.contains("mock-instruct-7b"),
        "{fix}"
    );
    let hf = report(&reports, "huggingface");
    assert_eq!(statuses(hf)[0], "fail");
    assert!(hf["steps"][0]["fix"]
        .as_str()
        .is_some_and(|f| f.contains("Make calls to Inference Providers")));

    // The same checks for a Spanish reader.
    let res = app
        .client
        .post(format!("{}/api/run_diagnostics", app.base))
        .bearer_auth(&admin)
        .header("accept-language", "es")
        .json(&json!({}))
        .send()
        .await
        .expect("diagnostics");
    let reports: serde_json::Value = res.json().await.expect("json");
    let local = report(&reports, "local");
    assert_eq!(local["steps"][3]["name"], "Un modelo para responder");
    let fix = local["steps"][3]["fix"].as_str().unwrap_or("");
    assert!(
        fix.starts_with("Pon en LOCAL_AI_MODEL") && fix.contains("mock-instruct-7b"),
        "{fix}"
    );
    let hf = report(&reports, "huggingface");
    assert_eq!(hf["steps"][0]["detail"], "sin configurar");
    assert_eq!(hf["steps"][1]["status"], "skipped");
    assert!(hf["steps"][1]["detail"]
        .as_str()
        .is_some_and(|d| d.starts_with("no se probó")));
}

#[tokio::test]
async fn the_picker_lists_models_and_shows_offline_providers_without_waiting() {
    // A server that takes connections and never answers: its check can
    // only end by timing out.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = silent.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let app = with_providers_file(format!(
            "[[provider]]\nid = \"spare\"\nname = \"Spare box\"\nkind = \"lmstudio\"\nbase_url = \"http://127.0.0.1:{port}/v1\"\n"
        )).await;
    let token = app.signup("ana").await;
    // The list answers while the silent server's check is still waiting:
    // it never waits for a server itself.
    let (status, first) = app
        .post("/api/list_providers", Some(&token), json!({}))
        .await;
    assert_eq!(status, 200);
    assert!(report(&first, "spare")["online"].is_null(), "{first}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let list = loop {
        let (status, list) = app
            .post("/api/list_providers", Some(&token), json!({}))
            .await;
        assert_eq!(status, 200);
        if report(&list, "spare")["online"].is_boolean()
            && report(&list, "local")["online"].is_boolean()
        {
            break list;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "checked in the background: {list}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(report(&list, "local")["online"], true);
    assert_eq!(
        report(&list, "local")["models"],
        json!(["mock-instruct-7b"])
    );
    assert_eq!(report(&list, "spare")["online"], false);
    let help = report(&list, "huggingface")["model_help"]
        .as_str()
        .unwrap_or("");
    assert!(
        help.contains(":fastest") && help.contains(":cheapest") && help.contains(":groq"),
        "{help}"
    );
}

#[tokio::test]
async fn the_model_picked_for_a_conversation_is_used_and_remembered() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let (status, outcome) = app
        .post(
            "/api/send_message",
            Some(&token),
            json!({"conversation_id": null, "provider": "local", "model": " qwen2.5-7b-instruct ", "content": "hi"}),
        )
        .await;
    assert_eq!(status, 200, "{outcome}");
    let id = outcome["conversation_id"].as_i64().expect("id");
    app.follow(&token, id, None, 1000).await;
    assert_eq!(
        app.mock.state().requests().last().expect("request")["model"],
        "qwen2.5-7b-instruct"
    );
    let (_, conv) = app
        .post(
            "/api/get_conversation",
            Some(&token),
            serde_json::json!({ "id": id }),
        )
        .await;
    assert_eq!(conv["summary"]["model"], "qwen2.5-7b-instruct");

    // No model: the provider's default (the one its server lists).
    app.send(&token, Some(id), "again").await;
    app.follow(&token, id, None, 1000).await;
    assert_eq!(
        app.mock.state().requests().last().expect("request")["model"],
        "mock-instruct-7b"
    );

    let (status, body) = app
        .post(
            "/api/send_message",
            Some(&token),
            json!({"conversation_id": id, "provider": "local", "model": "two\nlines", "content": "x"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
}
