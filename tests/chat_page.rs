//! What the chat page does to conversations, through the same server
//! functions and routes the page calls: rename, delete, search, settings
//! that reach the provider, edit and resend, regenerate, export and import,
//! paging long chats, and Spanish.

mod support;

use mock_provider::Fault;
use serde_json::{json, Value};
use support::{done_message, read_events, TestApp};

/// Sends a message and waits for its reply; returns the conversation id.
async fn chat_turn(app: &TestApp, token: &str, id: Option<i64>, text: &str) -> i64 {
    let outcome = app.send(token, id, text).await;
    let id = outcome["conversation_id"]
        .as_i64()
        .expect("conversation id");
    let done = done_message(&app.follow(token, id, None, 1000).await);
    assert_eq!(done["status"], "complete", "{done}");
    id
}

async fn conversation(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, conv) = app
        .post("/api/get_conversation", Some(token), json!({ "id": id }))
        .await;
    assert_eq!(status, 200, "{conv}");
    conv
}

/// A server function's error as the page words it (English).
fn page_words(err: &Value) -> String {
    serde_json::from_value::<nexa_chat::error::AppError>(err.clone())
        .map(|e| e.message(nexa_chat::i18n::Lang::En))
        .unwrap_or_else(|e| panic!("not an AppError ({e}): {err}"))
}

fn contents(conv: &Value) -> Vec<String> {
    conv["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| m["content"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn titles(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let (status, list) = app
        .post(
            "/api/search_conversations",
            Some(token),
            json!({ "query": query }),
        )
        .await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .expect("list")
        .iter()
        .map(|c| c["title"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn rename_delete_and_search_only_touch_the_owners_chats() {
    let app = TestApp::spawn(&[]).await;
    let ana = app.signup("ana").await;
    let first = chat_turn(&app, &ana, None, "Plan a trip to Lisbon").await;
    let second = chat_turn(&app, &ana, None, "Bake sourdough bread").await;
    assert_eq!(
        titles(&app, &ana, "").await,
        ["Bake sourdough bread", "Plan a trip to Lisbon"],
        "newest first"
    );

    // Search looks at titles and at message text, in any case.
    assert_eq!(
        titles(&app, &ana, "LISBON").await,
        ["Plan a trip to Lisbon"]
    );
    chat_turn(&app, &ana, Some(first), "What about pastéis de nata?").await;
    assert_eq!(
        titles(&app, &ana, "pastéis").await,
        ["Plan a trip to Lisbon"]
    );
    assert!(titles(&app, &ana, "100%").await.is_empty(), "% is literal");

    let (status, title) = app
        .post(
            "/api/rename_conversation",
            Some(&ana),
            json!({ "id": second, "title": "  Bread \n notes " }),
        )
        .await;
    assert_eq!((status, title), (200, json!("Bread notes")));
    let (status, err) = app
        .post(
            "/api/rename_conversation",
            Some(&ana),
            json!({ "id": second, "title": "  " }),
        )
        .await;
    assert_eq!(status, 400, "{err}");

    // Another user can neither rename nor delete, nor find it.
    let eve = app.signup("eve").await;
    let (status, _) = app
        .post(
            "/api/rename_conversation",
            Some(&eve),
            json!({ "id": second, "title": "mine" }),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post(
            "/api/delete_conversation",
            Some(&eve),
            json!({ "id": second }),
        )
        .await;
    assert_eq!(status, 404);
    assert!(titles(&app, &eve, "Bread").await.is_empty());

    let (status, _) = app
        .post(
            "/api/delete_conversation",
            Some(&ana),
            json!({ "id": second }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(titles(&app, &ana, "").await, ["Plan a trip to Lisbon"]);
    let (status, _) = app
        .post("/api/get_conversation", Some(&ana), json!({ "id": second }))
        .await;
    assert_eq!(status, 404, "its messages are gone with it");
}

#[tokio::test]
async fn chat_settings_reach_the_provider_and_defaults_come_from_config() {
    let app = TestApp::spawn(&[
        ("DEFAULT_SYSTEM_PROMPT", "You are Nexa."),
        ("DEFAULT_TEMPERATURE", "0.5"),
    ])
    .await;
    let token = app.signup("ana").await;
    let id = chat_turn(&app, &token, None, "Hi").await;
    let sent = app.last_request();
    assert_eq!(
        sent["messages"][0],
        json!({"role": "system", "content": "You are Nexa."})
    );
    assert_eq!(sent["temperature"], json!(0.5));
    assert!(sent.get("max_tokens").is_none(), "{sent}");

    let (status, saved) = app
        .post(
            "/api/save_chat_settings",
            Some(&token),
            json!({ "id": id, "fields": {
                "system_prompt": "Answer in one word.", "temperature": "0,2", "max_tokens": "64"
            }}),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    chat_turn(&app, &token, Some(id), "And now?").await;
    let sent = app.last_request();
    assert_eq!(
        sent["messages"][0],
        json!({"role": "system", "content": "Answer in one word."})
    );
    assert_eq!(sent["max_tokens"], json!(64));
    assert!(
        (sent["temperature"].as_f64().unwrap_or(0.0) - 0.2).abs() < 1e-6,
        "{sent}"
    );
    assert_eq!(
        conversation(&app, &token, id).await["settings"]["max_tokens"],
        json!(64),
        "the settings are stored with the chat"
    );

    let (status, err) = app
        .post(
            "/api/save_chat_settings",
            Some(&token),
            json!({ "id": id, "fields": { "temperature": "3.5" } }),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(err["Said"]["code"], "invalid_request", "{err}");
    assert!(page_words(&err).contains("between 0 and 2"), "{err}");
    let (status, err) = app
        .post(
            "/api/save_chat_settings",
            Some(&token),
            json!({ "id": id, "fields": { "temperature": "", "max_tokens": "many" } }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(page_words(&err).contains("whole number"), "{err}");
    assert_eq!(
        conversation(&app, &token, id).await["settings"]["max_tokens"],
        json!(64),
        "a refused change stores nothing"
    );
}

#[tokio::test]
async fn editing_a_message_replaces_the_later_turns_and_regenerate_replaces_the_reply() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let id = chat_turn(&app, &token, None, "one").await;
    chat_turn(&app, &token, Some(id), "two").await;
    let conv = conversation(&app, &token, id).await;
    let first_id = conv["messages"][0]["id"].as_i64().expect("id");

    let (status, reply) = app
        .post(
            "/api/edit_message",
            Some(&token),
            json!({ "conversation_id": id, "message_id": first_id, "content": "uno", "provider": "local" }),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(done["status"], "complete");
    assert_eq!(
        app.last_sent_contents(),
        ["uno"],
        "the provider sees the edited history only"
    );
    let texts = contents(&conversation(&app, &token, id).await);
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(texts[0], "uno");
    assert!(texts[1].contains("you said \"uno\""), "{texts:?}");

    // Editing a reply (not the user's own message) is refused.
    let reply_id = done["id"].as_i64().expect("id");
    let (status, _) = app
        .post(
            "/api/edit_message",
            Some(&token),
            json!({ "conversation_id": id, "message_id": reply_id, "content": "x", "provider": "local" }),
        )
        .await;
    assert_eq!(status, 400);

    // Regenerate: the finished reply is replaced by a new one.
    let (status, _) = app
        .post(
            "/api/retry_reply",
            Some(&token),
            json!({ "conversation_id": id, "provider": "local" }),
        )
        .await;
    assert_eq!(status, 200);
    let again = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(again["status"], "complete");
    assert_ne!(again["id"], done["id"]);
    let conv = conversation(&app, &token, id).await;
    assert_eq!(conv["messages"].as_array().map(Vec::len), Some(2));
    assert_eq!(app.last_sent_contents(), ["uno"]);
}

#[tokio::test]
async fn export_and_import_round_trip() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let id = chat_turn(&app, &token, None, "Café ☕ and **markdown**").await;

    let md = app
        .client
        .get(format!(
            "{}/api/chats/{id}/export?format=markdown",
            app.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("export");
    assert_eq!(md.status(), 200);
    let disposition = md.headers()["content-disposition"]
        .to_str()
        .unwrap_or("")
        .to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains(&format!("-{id}.md")), "{disposition}");
    let md = md.text().await.expect("text");
    assert!(
        md.starts_with("# Café ☕ and **markdown**\n\n## You\n\nCafé ☕ and **markdown**"),
        "{md}"
    );
    assert!(md.contains("## Assistant\n\nMock reply"), "{md}");

    let json = app
        .client
        .get(format!("{}/api/chats/{id}/export?format=json", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("text");
    let (status, new_id) = app
        .post(
            "/api/import_conversation",
            Some(&token),
            json!({ "json": json }),
        )
        .await;
    assert_eq!(status, 200, "{new_id}");
    let new_id = new_id.as_i64().expect("id");
    assert_ne!(new_id, id);
    assert_eq!(
        contents(&conversation(&app, &token, new_id).await),
        contents(&conversation(&app, &token, id).await)
    );

    let (status, err) = app
        .post(
            "/api/import_conversation",
            Some(&token),
            json!({ "json": "{\"hello\":1}" }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(page_words(&err).contains("cannot be imported"), "{err}");

    // Someone else's chat cannot be exported.
    let eve = app.signup("eve").await;
    let other = app
        .client
        .get(format!("{}/api/chats/{id}/export?format=json", app.base))
        .bearer_auth(&eve)
        .send()
        .await
        .expect("export");
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn long_chats_open_with_their_latest_messages() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let id = chat_turn(&app, &token, None, "start").await;
    // 250 more messages straight into the database.
    let pool = sqlx::SqlitePool::connect(&app.database_url)
        .await
        .expect("db");
    for i in 0..250 {
        sqlx::query(
            "INSERT INTO messages (conversation_id, role, content) VALUES (?1, 'user', ?2)",
        )
        .bind(id)
        .bind(format!("message {i}"))
        .execute(&pool)
        .await
        .expect("insert");
    }
    let conv = conversation(&app, &token, id).await;
    let texts = contents(&conv);
    assert_eq!(texts.len(), 100);
    assert_eq!(texts.last().map(String::as_str), Some("message 249"));
    assert_eq!(texts[0], "message 150", "the latest 100, in order");
    assert_eq!(conv["earlier"], json!(152));
    let (_, all) = app
        .post(
            "/api/get_conversation",
            Some(&token),
            json!({ "id": id, "limit": 1000 }),
        )
        .await;
    assert_eq!(all["messages"].as_array().map(Vec::len), Some(252));
    assert_eq!(all["earlier"], json!(0));
}

#[tokio::test]
async fn spanish_readers_get_spanish_errors_and_pages() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;

    // The API follows Accept-Language.
    let res = app
        .client
        .post(format!("{}/api/ai/chat", app.base))
        .bearer_auth(&token)
        .header("accept-language", "es-ES,es;q=0.9,en;q=0.5")
        .json(&json!({ "messages": [] }))
        .send()
        .await
        .expect("chat");
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "invalid_request");
    assert!(
        body["error"].as_str().unwrap_or("").contains("está vacío"),
        "{body}"
    );

    // A failed reply stores what went wrong, and each reader gets its fix
    // in their language.
    app.mock.state().push_fault(Fault::Status {
        status: 400,
        body: r#"{"error":"No models loaded. Please load a model in the developer page or use the `lms load` command."}"#.into(),
        content_type: None,
    });
    let outcome = app.send(&token, None, "Hola").await;
    let id = outcome["conversation_id"].as_i64().expect("id");
    let failed = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["failure"]["kind"], "provider", "{failed}");
    assert_eq!(failed["failure"]["problem"]["kind"], "no_model_loaded");
    assert!(
        failed["error"]
            .as_str()
            .unwrap_or("")
            .contains("no model loaded"),
        "{failed}"
    );
    let spanish = app
        .client
        .get(format!("{}/api/chats/{id}/stream", app.base))
        .bearer_auth(&token)
        .header("accept-language", "es")
        .send()
        .await
        .expect("follow in Spanish");
    let failed_es = done_message(&read_events(spanish, 1000).await);
    assert_eq!(failed_es["failure"], failed["failure"]);
    let error_es = failed_es["error"].as_str().unwrap_or("");
    assert!(
        error_es.contains("no tiene ningún modelo cargado") && error_es.contains("lms load"),
        "{failed_es}"
    );

    // The page is rendered in the browser's language, and the remembered
    // choice wins over it.
    let page = |lang: &'static str, cookie: Option<&'static str>| {
        let mut req = app
            .client
            .get(format!("{}/login", app.base))
            .header("accept-language", lang);
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        async move { req.send().await.expect("page").text().await.expect("html") }
    };
    let es = page("es-MX", None).await;
    assert!(
        es.contains(r#"<html lang="es""#),
        "{}",
        &es[..200.min(es.len())]
    );
    assert!(es.contains("Inicia sesión en Nexa Chat"));
    let en = page("es-MX", Some("nexa_lang=en")).await;
    assert!(en.contains(r#"<html lang="en""#));
    assert!(en.contains("Sign in to Nexa Chat"));
    let dark = page("en", Some("nexa_theme=dark")).await;
    assert!(dark.contains(r#"data-theme="dark""#));

    // The switch sets a cookie that lasts.
    let res = app
        .client
        .post(format!("{}/api/set_language", app.base))
        .form(&[("lang", "es")])
        .send()
        .await
        .expect("set language");
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap_or("")
        .to_string();
    assert!(cookie.starts_with("nexa_lang=es"), "{cookie}");
    assert!(cookie.contains("Max-Age=31536000"), "{cookie}");
}
