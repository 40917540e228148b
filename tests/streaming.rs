//! Streaming replies end to end: the real router, a real SQLite file and the
//! mock provider streaming with pacing and faults.

mod support;

use mock_provider::{Fault, MockOptions, StreamPlan};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::{done_message, followed_html, followed_text, read_events, TestApp};

fn plan(text: &str) -> StreamPlan {
    StreamPlan {
        text: Some(text.to_string()),
        ..StreamPlan::default()
    }
}

async fn stored_messages(app: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let (_, conv) = app
        .post(
            "/api/get_conversation",
            Some(token),
            serde_json::json!({ "id": id }),
        )
        .await;
    conv["messages"].as_array().cloned().unwrap_or_default()
}

fn conversation_id(outcome: &Value) -> i64 {
    outcome["conversation_id"]
        .as_i64()
        .expect("conversation id")
}

/// Presses Retry and returns the new reply as it ended.
async fn retry_and_follow(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, body) = app
        .post(
            "/api/retry_reply",
            Some(token),
            json!({"conversation_id": id, "provider": "local"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    done_message(&app.follow(token, id, None, 1000).await)
}

/// `text`, one word every `pause_ms`.
fn paced(text: &str, pause_ms: u64) -> StreamPlan {
    StreamPlan {
        pause_ms: Some(pause_ms),
        ..plan(text)
    }
}

/// Asserts a reply ended failed with an error that mentions `text`.
fn assert_failed_with(done: &Value, text: &str) {
    assert_eq!(done["status"], "failed", "{done}");
    let error = done["error"].as_str().unwrap_or("");
    assert!(error.contains(text), "{text:?} not in {error:?}");
}

/// A new app and account whose first message is answered as `plan` says.
async fn chat_with(plan: StreamPlan, content: &str) -> (TestApp, String, i64) {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    app.mock.state().push_fault(Fault::Stream(plan));
    let id = conversation_id(&app.send(&token, None, content).await);
    (app, token, id)
}

#[tokio::test]
async fn a_reply_streams_whole_even_with_characters_split_across_writes() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let text = "¡Hola! El ñandú 🦙 corre años y años.";
    app.mock.state().push_fault(Fault::Stream(StreamPlan {
        split_writes: true,
        pause_ms: Some(15),
        ..plan(text)
    }));
    let outcome = app.send(&token, None, "Hola").await;
    assert_eq!(outcome["reply"]["status"], "streaming");
    let id = conversation_id(&outcome);

    let events = app.follow(&token, id, None, 1000).await;
    assert_eq!(events[0].event.as_deref(), Some("snapshot"));
    assert!(
        events
            .iter()
            .filter(|e| e.event.as_deref() == Some("delta"))
            .count()
            > 1,
        "the text arrives in pieces"
    );
    assert_eq!(followed_text(&events), text);
    // The page shows the answer from the server's rendering, piece by piece.
    let html = format!("<p>{text}</p>\n");
    assert_eq!(followed_html(&events), html);
    let done = done_message(&events);
    assert_eq!(done["status"], "complete");
    assert_eq!(done["content"], text);
    assert_eq!(done["html"], html.as_str());
    // The mock reports usage when asked with stream_options.
    assert_eq!(done["usage"]["completion_tokens"], 8);
    let requests = app.mock.state().requests();
    assert_eq!(requests[0]["stream"], true);
    assert_eq!(requests[0]["stream_options"]["include_usage"], true);

    let stored = stored_messages(&app, &token, id).await;
    assert_eq!(stored[1]["content"], text);
    assert_eq!(stored[1]["status"], "complete");
    assert_eq!(
        stored[1]["html"],
        html.as_str(),
        "the page gets replies rendered"
    );
    assert!(
        stored[0].get("html").is_none(),
        "what people type stays text"
    );
}

#[tokio::test]
async fn a_reconnect_with_last_event_id_misses_nothing_and_repeats_nothing() {
    let text = "one two three four five six seven eight nine ten eleven twelve";
    let (app, token, id) = chat_with(paced(text, 150), "count").await;

    // A second tab follows from the start at the same time.
    let second_tab = app.open_follow(&token, id, None).await;
    let first = app.follow(&token, id, None, 4).await;
    let last_id = first.last().and_then(|e| e.id.clone()).expect("event id");
    // The growing reply is saved in batches while it streams.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let saved = stored_messages(&app, &token, id).await;
    assert_eq!(saved[1]["status"], "streaming");
    let partial = saved[1]["content"].as_str().unwrap_or("");
    assert!(
        !partial.is_empty() && text.starts_with(partial) && partial.len() < text.len(),
        "{partial}"
    );
    // The connection drops here; the browser reconnects with Last-Event-ID.
    let rest = app.follow(&token, id, Some(&last_id), 1000).await;
    assert_eq!(
        rest[0].event.as_deref(),
        Some("delta"),
        "a resumed follower gets no snapshot"
    );
    let mut joined = followed_text(&first);
    joined.push_str(&followed_text(&rest));
    assert_eq!(joined, text);
    // The server cannot know what HTML the dropped page held: the first
    // patch after a reconnect carries the whole answer.
    assert_eq!(followed_html(&rest), format!("<p>{text}</p>\n"));
    assert_eq!(done_message(&rest)["status"], "complete");

    let other = read_events(second_tab, 1000).await;
    assert_eq!(followed_text(&other), text);

    // After the end a follower gets the stored reply at once.
    let after = app.follow(&token, id, None, 10).await;
    assert_eq!(after.len(), 1);
    assert_eq!(done_message(&after)["content"], text);
}

#[tokio::test]
async fn stop_drops_the_upstream_request_and_keeps_the_text() {
    let text = "a b c d e f g h i j k l m n o p q r s t u v w x y z";
    let (app, token, id) = chat_with(paced(text, 100), "letters").await;
    let seen = app.follow(&token, id, None, 4).await;
    assert!(!followed_text(&seen).is_empty());

    let (status, body) = app
        .post(
            "/api/stop_reply",
            Some(&token),
            json!({"conversation_id": id}),
        )
        .await;
    assert_eq!((status, body), (200, json!(true)));
    // The provider sees its client go: the stream is cancelled, never
    // finished (how fast is `make bench`'s to measure).
    wait_for_dropped(&app, 1).await;

    let done = done_message(&app.follow(&token, id, None, 10).await);
    assert_eq!(done["status"], "stopped");
    let kept = done["content"].as_str().expect("content");
    assert!(
        !kept.is_empty() && text.starts_with(kept) && kept.len() < text.len(),
        "{kept}"
    );
    assert_eq!(app.mock.state().stream_stats().finished, 0);

    // A stopped reply is part of the history: the next turn works.
    app.send(&token, Some(id), "go on").await;
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(done["status"], "complete");
    let last = app.last_request();
    assert_eq!(last["messages"][1]["content"], kept.trim());
}

#[tokio::test]
async fn failures_mid_stream_keep_the_partial_reply_and_retry_answers() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let text = "alpha beta gamma delta epsilon";

    app.mock.state().push_fault(Fault::Stream(StreamPlan {
        cut_after: Some(3),
        pause_ms: Some(20),
        ..plan(text)
    }));
    let id = conversation_id(&app.send(&token, None, "Greek").await);
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(done["status"], "failed");
    assert_eq!(done["content"], "alpha beta gamma ");
    assert!(
        done["error"]
            .as_str()
            .is_some_and(|e| e.contains("broke in the middle")),
        "{done}"
    );

    app.mock.state().push_fault(Fault::Stream(StreamPlan {
        error_after: Some(2),
        pause_ms: Some(20),
        ..plan(text)
    }));
    let done = retry_and_follow(&app, &token, id).await;
    assert_eq!(done["status"], "failed");
    assert_eq!(done["content"], "alpha beta ");
    assert!(
        done["error"]
            .as_str()
            .is_some_and(|e| e.contains("The model crashed (mock)")),
        "{done}"
    );

    let done = retry_and_follow(&app, &token, id).await;
    assert_eq!(done["status"], "complete");
    let stored = stored_messages(&app, &token, id).await;
    assert_eq!(stored.len(), 2, "failed replies are replaced by the retry");
    // Failed partial replies never went back to the provider.
    let last = app.last_request();
    assert_eq!(last["messages"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_slow_first_token_and_a_stall_still_finish() {
    let (app, token, id) = chat_with(
        StreamPlan {
            first_token_ms: 300,
            stall_after: Some(2),
            stall_ms: 400,
            ..plan("slow and steady wins")
        },
        "race",
    )
    .await;
    let events = app.follow(&token, id, None, 1000).await;
    assert_eq!(followed_text(&events), "slow and steady wins");
    assert_eq!(done_message(&events)["status"], "complete");
}

#[tokio::test]
async fn a_stream_with_only_done_is_the_empty_reply_message() {
    let (app, token, id) = chat_with(plan(""), "hi").await;
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_failed_with(&done, "Instruct");
}

#[tokio::test]
async fn a_provider_that_refuses_stream_options_is_asked_again_without() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    app.mock.state().push_fault(Fault::RejectStreamOptions);
    let id = conversation_id(&app.send(&token, None, "hi").await);
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(done["status"], "complete", "{done}");
    assert!(done["usage"].is_null());
    let requests = app.mock.state().requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[0].get("stream_options").is_some());
    assert!(requests[1].get("stream_options").is_none());
}

#[tokio::test]
async fn reasoning_is_kept_apart_and_never_sent_back() {
    let (app, token, id) = chat_with(
        StreamPlan {
            reasoning: Some("The user wants a sum.".into()),
            ..plan("It is 4.")
        },
        "2+2?",
    )
    .await;
    let events = app.follow(&token, id, None, 1000).await;
    let done = done_message(&events);
    assert_eq!(done["reasoning"], "The user wants a sum.");
    assert_eq!(done["content"], "It is 4.");

    app.mock
        .state()
        .push_fault(Fault::Stream(plan("<think>hidden</think>Sure.")));
    app.send(&token, Some(id), "and 3+3?").await;
    app.follow(&token, id, None, 1000).await;
    app.send(&token, Some(id), "thanks").await;
    app.follow(&token, id, None, 1000).await;
    assert_eq!(
        app.last_sent_contents(),
        ["2+2?", "It is 4.", "and 3+3?", "Sure.", "thanks"]
    );
}

#[tokio::test]
async fn sending_while_a_reply_streams_is_refused() {
    let (app, token, id) = chat_with(paced("a b c d e f g h", 100), "first").await;
    let (status, body) = app
        .post(
            "/api/send_message",
            Some(&token),
            json!({"conversation_id": id, "provider": "local", "content": "second"}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("ReplyInProgress"), "{body}");
    // Someone else can neither follow nor stop it.
    let other = app.signup("mallory").await;
    assert_eq!(app.open_follow(&other, id, None).await.status(), 404);
    let (status, _) = app
        .post(
            "/api/stop_reply",
            Some(&other),
            json!({"conversation_id": id}),
        )
        .await;
    assert_eq!(status, 404, "a stranger is told the chat does not exist");
    app.follow(&token, id, None, 1000).await;
    assert_eq!(stored_messages(&app, &token, id).await.len(), 2);
}

#[tokio::test]
async fn the_api_streams_openai_chunks() {
    let app = TestApp::spawn_with_mock(
        &[],
        MockOptions {
            delta_pause: Duration::from_millis(5),
            ..MockOptions::default()
        },
    )
    .await;
    let token = app.signup("ana").await;
    let response = app
        .client
        .post(format!("{}/api/ai/chat", app.base))
        .bearer_auth(&token)
        .json(&json!({"messages": [{"role": "user", "content": "¿Qué tal? 👋"}], "stream": true}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream")));
    let events = read_events(response, 10_000).await;
    let data: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
    assert_eq!(data.last(), Some(&"[DONE]"));
    let chunks: Vec<Value> = data[..data.len() - 1]
        .iter()
        .map(|d| serde_json::from_str(d).expect("JSON chunk"))
        .collect();
    assert!(chunks
        .iter()
        .all(|c| c["object"] == "chat.completion.chunk"));
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(
        text,
        "Mock reply 1: you said \"¿Qué tal? 👋\" (1 messages in the history)."
    );
    assert!(chunks
        .iter()
        .any(|c| c["usage"]["completion_tokens"].is_number()));
    assert_eq!(
        chunks
            .last()
            .map(|c| c["choices"][0]["finish_reason"].clone()),
        Some(json!("stop"))
    );

    // Without "stream" the {reply} contract holds.
    let (status, body) = app
        .chat(
            &token,
            json!({"messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(body["reply"]
        .as_str()
        .is_some_and(|r| r.starts_with("Mock reply")));

    // A failure before the first token keeps its status and JSON error.
    app.mock.state().push_fault(Fault::Status {
        status: 401,
        body: r#"{"detail":"Unauthorized"}"#.into(),
        content_type: None,
    });
    let (status, body) = app
        .chat(
            &token,
            json!({"messages": [{"role": "user", "content": "hi"}], "stream": true}),
        )
        .await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["code"], "local_unauthorized");

    // A failure mid-stream arrives as an error chunk.
    app.mock.state().push_fault(Fault::Stream(StreamPlan {
        error_after: Some(1),
        ..plan("one two three")
    }));
    let response = app
        .client
        .post(format!("{}/api/ai/chat", app.base))
        .bearer_auth(&token)
        .json(&json!({"messages": [{"role": "user", "content": "hi"}], "stream": true}))
        .send()
        .await
        .expect("request");
    let events = read_events(response, 10_000).await;
    let last: Value = serde_json::from_str(&events.last().expect("events").data).expect("JSON");
    assert_eq!(last["error"]["code"], "local_error");
}

/// Stores a turn in a new conversation titled `title` as the page does,
/// with no task behind its reply; returns the conversation and reply ids.
async fn stored_turn(db: &nexa_chat::store::Db, user_id: i64, title: &str) -> (i64, i64) {
    use nexa_chat::store::{start_turn, TurnChoice, TurnStep};
    let step = TurnStep::Message {
        conversation_id: None,
        title,
        content: "hi",
    };
    let choice = TurnChoice {
        provider: "local",
        model: None,
    };
    let turn = start_turn(db, user_id, step, choice, |_| Ok(()))
        .await
        .expect("stored")
        .expect("started");
    (turn.conversation.summary.id, turn.reply.id)
}

#[tokio::test]
async fn replies_cut_by_a_server_stop_are_marked_failed_at_the_next_start() {
    let (_dir, db, user) = support::store_with_user("ana").await;
    let (conv, reply) = stored_turn(&db, user, "t").await;
    nexa_chat::store::save_replies_text(&db, &[(reply, "half a".into(), String::new())])
        .await
        .expect("save");
    assert_eq!(
        nexa_chat::store::fail_interrupted_replies(&db)
            .await
            .expect("fix"),
        1
    );
    let last = nexa_chat::store::last_reply(&db, user, conv)
        .await
        .expect("read")
        .expect("reply");
    assert_eq!(last.status, nexa_chat::model::MessageStatus::Failed);
    assert_eq!(last.content, "half a");
}

#[tokio::test]
async fn the_checkpoint_stores_every_streaming_reply_in_one_statement() {
    use nexa_chat::store;
    let (_dir, db, user) = support::store_with_user("ana").await;
    let mut replies = Vec::new();
    for title in ["a", "b", "c"] {
        replies.push(stored_turn(&db, user, title).await);
    }
    // The third reply has ended before the checkpoint runs.
    let (_, done_id) = replies[2];
    let done = support::complete_reply("done before");
    store::finish_reply(&db, user, done_id, done)
        .await
        .expect("finish")
        .expect("the user's reply");
    let tricky = "comillas \"dobles\", 'simples', ñandú 🦀\n```rust\nfn main() {}\n```";
    let batch: Vec<(i64, String, String)> = replies
        .iter()
        .map(|&(_, id)| (id, format!("{tricky} #{id}"), "pienso".to_string()))
        .collect();
    store::save_replies_text(&db, &batch).await.expect("save");
    store::save_replies_text(&db, &[])
        .await
        .expect("nothing to save");
    // Writes go through the one writing connection; the reading ones refuse.
    assert!(sqlx::query("DELETE FROM messages")
        .execute(&db.reads)
        .await
        .is_err());
    for (i, &(conv, id)) in replies.iter().enumerate() {
        let last = store::last_reply(&db, user, conv)
            .await
            .expect("read")
            .expect("reply");
        if i < 2 {
            assert_eq!(last.content, format!("{tricky} #{id}"));
            assert_eq!(last.reasoning, "pienso");
        } else {
            // A finished reply is never overwritten by a late checkpoint.
            assert_eq!(last.content, "done before");
        }
    }
}

#[tokio::test]
async fn a_loading_model_is_waited_for_once_with_a_countdown() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let loading = || Fault::Status {
        status: 503,
        body: r#"{"error":"Model meta-llama is currently loading","estimated_time":2.0}"#.into(),
        content_type: None,
    };
    app.mock.state().push_fault(loading());
    let (status, outcome) = app
        .post(
            "/api/send_message",
            Some(&token),
            json!({"conversation_id": null, "provider": "huggingface", "content": "hola"}),
        )
        .await;
    assert_eq!(status, 200, "{outcome}");
    let id = conversation_id(&outcome);
    let events = app.follow(&token, id, None, 1000).await;
    let statuses: Vec<String> = events
        .iter()
        .filter(|e| e.event.as_deref() == Some("status"))
        .map(|e| e.data.clone())
        .collect();
    assert!(
        statuses.iter().any(|s| s.contains("Trying again in 2 s")),
        "{statuses:?}"
    );
    assert!(
        statuses.iter().any(|s| s.contains("Trying again in 1 s")),
        "{statuses:?}"
    );
    assert_eq!(done_message(&events)["status"], "complete");
    assert_eq!(app.mock.state().requests().len(), 2);

    // Still loading after the wait: the reply fails with the explanation.
    app.mock.state().push_fault(loading());
    app.mock.state().push_fault(loading());
    let (_, outcome) = app
        .post(
            "/api/send_message",
            Some(&token),
            json!({"conversation_id": id, "provider": "huggingface", "content": "¿y ahora?"}),
        )
        .await;
    assert_eq!(outcome["reply"]["status"], "streaming");
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_failed_with(&done, "is loading at Hugging Face");
}

#[tokio::test]
async fn a_reply_left_streaming_with_no_task_is_closed_not_followed_forever() {
    let (app, token, id) = chat_with(plan("done already"), "hi").await;
    app.follow(&token, id, None, 1000).await;
    // A turn stored with no task writing its reply (a crash right after
    // the turn's transaction), with some text saved.
    let pool = nexa_chat::store::connect(&app.database_url)
        .await
        .expect("db");
    let user: i64 = sqlx::query_scalar("SELECT user_id FROM conversations WHERE id = ?1")
        .bind(id)
        .fetch_one(&pool.reads)
        .await
        .expect("owner");
    let step = nexa_chat::store::TurnStep::Message {
        conversation_id: Some(id),
        title: "",
        content: "and then?",
    };
    let choice = nexa_chat::store::TurnChoice {
        provider: "local",
        model: None,
    };
    let turn = nexa_chat::store::start_turn(&pool, user, step, choice, |_| Ok(()))
        .await
        .expect("stored")
        .expect("started");
    nexa_chat::store::save_replies_text(&pool, &[(turn.reply.id, "half".into(), String::new())])
        .await
        .expect("save");
    let events = app.follow(&token, id, None, 10).await;
    assert_eq!(events.len(), 1);
    let done = done_message(&events);
    assert_eq!(done["status"], "failed");
    assert_eq!(done["content"], "half");
    assert!(done["error"].as_str().is_some_and(|e| e.contains("Retry")));
    // And the conversation takes new messages.
    app.send(&token, Some(id), "next").await;
    assert_eq!(
        done_message(&app.follow(&token, id, None, 1000).await)["status"],
        "complete"
    );
}

#[tokio::test]
async fn two_tabs_sending_at_once_get_one_reply_and_a_clear_refusal() {
    let (app, token, id) = chat_with(plan("first answer"), "hi").await;
    app.follow(&token, id, None, 1000).await;
    let body = |text: &str| json!({"conversation_id": id, "provider": "local", "content": text});
    let (a, b) = tokio::join!(
        app.post("/api/send_message", Some(&token), body("from tab A")),
        app.post("/api/send_message", Some(&token), body("from tab B")),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    app.follow(&token, id, None, 1000).await;
    // The winner's provider saw only the winner's message.
    let contents = app.last_sent_contents();
    assert_eq!(contents.len(), 3, "{contents:?}");
    assert_eq!(stored_messages(&app, &token, id).await.len(), 4);
}

#[tokio::test]
async fn a_new_chat_that_gets_a_deleted_chats_id_never_sees_its_reply() {
    // A reply that takes seconds, in the newest chat.
    let (app, token, id) = chat_with(paced(&"slow ".repeat(40), 100), "first chat").await;
    let (status, _) = app
        .post(
            "/api/delete_conversation",
            Some(&token),
            json!({ "id": id }),
        )
        .await;
    assert_eq!(status, 200);
    // SQLite hands the freed id to the next chat at once; it starts its own
    // reply (no "reply in progress") and follows only that one.
    app.mock
        .state()
        .push_fault(Fault::Stream(plan("the new chat's answer")));
    let outcome = app.send(&token, None, "second chat").await;
    assert_eq!(conversation_id(&outcome), id, "the id was given again");
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(done["status"], "complete", "{done}");
    assert_eq!(done["content"], "the new chat's answer");
}

/// Waits until the mock has seen `n` streams dropped by their client.
async fn wait_for_dropped(app: &TestApp, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.mock.state().stream_stats().cancelled < n {
        assert!(
            Instant::now() < deadline,
            "the connection to the provider was kept: {:?}",
            app.mock.state().stream_stats()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_provider_sending_without_end_is_cut_off_with_a_clear_failure() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    // An SSE event that never ends, a reply body and an error body that
    // never end: each is read up to 4 MiB, then the connection is dropped.
    let hostile = [
        (
            Fault::Endless {
                status: 200,
                sse: true,
            },
            "over 4 MiB",
        ),
        (
            Fault::Endless {
                status: 200,
                sse: false,
            },
            "over 4 MiB",
        ),
        (
            Fault::Endless {
                status: 500,
                sse: false,
            },
            "500",
        ),
    ];
    for (n, (fault, says)) in hostile.into_iter().enumerate() {
        app.mock.state().push_fault(fault);
        let outcome = app.send(&token, None, "hello").await;
        let id = conversation_id(&outcome);
        let done = done_message(&app.follow(&token, id, None, 1000).await);
        assert_eq!(done["status"], "failed", "{done}");
        let error = done["error"].as_str().unwrap_or("");
        assert!(error.contains(says), "{says:?} not in {error:?}");
        wait_for_dropped(&app, n as u64 + 1).await;
    }
    // The JSON API's whole-reply call is bounded the same way.
    app.mock.state().push_fault(Fault::Endless {
        status: 200,
        sse: false,
    });
    let (status, body) = app
        .chat(
            &token,
            json!({"messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(status, 502, "{body}");
    wait_for_dropped(&app, 4).await;
}

#[tokio::test]
async fn a_reply_that_reaches_the_longest_kept_is_stopped_there_and_kept() {
    let app = TestApp::spawn(&[("MAX_REPLY_CHARS", "20")]).await;
    let token = app.signup("ana").await;
    let text = "one two three four five six seven eight nine ten eleven twelve";
    app.mock.state().push_fault(Fault::Stream(paced(text, 20)));
    let outcome = app.send(&token, None, "count").await;
    let id = conversation_id(&outcome);
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(done["status"], "stopped", "{done}");
    let kept = done["content"].as_str().unwrap_or("");
    assert!(
        text.starts_with(kept) && kept.chars().count() >= 20 && kept.len() < text.len(),
        "{kept:?}"
    );
    assert!(
        done["error"]
            .as_str()
            .is_some_and(|e| e.contains("20 characters")),
        "{done}"
    );
    wait_for_dropped(&app, 1).await;
    // Stored so.
    let stored = stored_messages(&app, &token, id).await;
    assert_eq!(stored[1]["status"], "stopped");
}

#[tokio::test]
async fn a_history_over_the_bound_sends_the_newest_turns_and_says_so() {
    let app = TestApp::spawn(&[("MAX_HISTORY_CHARS", "150")]).await;
    let token = app.signup("ana").await;
    let questions = [
        "first question here",
        "second question now",
        "third question, last",
    ];
    let mut id = None;
    let mut replies = Vec::new();
    for question in questions {
        let outcome = app.send(&token, id, question).await;
        let conversation = conversation_id(&outcome);
        id = Some(conversation);
        replies.push(done_message(
            &app.follow(&token, conversation, None, 1000).await,
        ));
    }
    let id = id.expect("a conversation");
    // Each reply is about 75 characters: the last question, the reply
    // before it and the question before that fit 150, the rest does not.
    let second_reply = replies[1]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        app.last_sent_contents(),
        vec![
            "second question now".to_string(),
            second_reply,
            "third question, last".to_string()
        ]
    );
    assert_eq!(replies[0]["notice"], Value::Null, "{}", replies[0]);
    assert_eq!(replies[1]["notice"], Value::Null, "{}", replies[1]);
    let said = "Sent the last 3 of 5 messages: this server sends at most 150 characters";
    let notice = replies[2]["notice"].as_str().unwrap_or_default();
    assert!(notice.starts_with(said), "{notice:?}");
    // Stored with the reply: it is still said after a reload.
    let stored = stored_messages(&app, &token, id).await;
    let stored_notice = stored[5]["notice"].as_str().unwrap_or_default();
    assert!(stored_notice.starts_with(said), "{stored_notice:?}");
    assert_eq!(stored[3]["notice"], Value::Null);
}
