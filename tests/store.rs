//! The store against a real SQLite file: a chat turn is one transaction, and
//! every query a request makes is limited to the owner's conversations.

mod support;

use nexa_chat::model::{ChatMessage, Conversation, ConversationSummary, MessageStatus, Role};
use nexa_chat::store::{self, Db, StartedTurn, TurnChoice, TurnRefused, TurnStep};
use std::cell::Cell;
use support::{add_user, complete_reply, store_with_user};

const LOCAL: TurnChoice<'static> = TurnChoice {
    provider: "local",
    model: None,
};

fn message<'a>(conversation_id: Option<i64>, content: &'a str) -> TurnStep<'a> {
    TurnStep::Message {
        conversation_id,
        title: "a chat",
        content,
    }
}

async fn turn(db: &Db, user: i64, step: TurnStep<'_>) -> Result<StartedTurn<()>, TurnRefused> {
    store::start_turn(db, user, step, LOCAL, |_| Ok(()))
        .await
        .expect("database")
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&db.reads)
        .await
        .expect("count")
}

/// Makes every insert into `messages` fail (a full disk), or only replies'.
async fn fail_inserts(db: &Db, name: &str, when: &str) {
    sqlx::query(&format!(
        "CREATE TRIGGER {name} BEFORE INSERT ON messages WHEN {when}
         BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    ))
    .execute(&db.writes)
    .await
    .expect("trigger");
}

fn contents(conversation: &Conversation) -> Vec<&str> {
    conversation
        .messages
        .iter()
        .map(|m| m.content.as_str())
        .collect()
}

#[tokio::test]
async fn a_turn_stores_the_message_and_its_reply_together_or_nothing() {
    let (_dir, db, ana) = store_with_user("ana").await;
    let started = turn(&db, ana, message(None, "hello"))
        .await
        .expect("started");
    let stored = started.user_message.expect("the message");
    assert_eq!(
        (stored.role, stored.content.as_str()),
        (Role::User, "hello")
    );
    assert_eq!(started.reply.status, MessageStatus::Streaming);
    // The history read for the provider: the message, then the new reply.
    let ids: Vec<_> = started.conversation.messages.iter().map(|m| m.id).collect();
    assert_eq!(ids, [stored.id, started.reply.id]);

    // The disk fails when the reply is stored: the message goes with it.
    fail_inserts(&db, "no_replies", "NEW.role = 'assistant'").await;
    let id = started.conversation.summary.id;
    let failed = store::start_turn(&db, ana, message(Some(id), "lost?"), LOCAL, |_| Ok(())).await;
    assert!(failed.is_err(), "the insert failed");
    let failed = store::start_turn(&db, ana, message(None, "new chat"), LOCAL, |_| Ok(())).await;
    assert!(failed.is_err(), "the insert failed");
    assert_eq!(count(&db, "messages").await, 2, "only the first turn");
    assert_eq!(count(&db, "conversations").await, 1, "no empty new chat");
}

#[tokio::test]
async fn a_refused_turn_stores_nothing_and_a_stranger_holds_nothing() {
    let (_dir, db, ana) = store_with_user("ana").await;
    let mallory = add_user(&db, "mallory").await;
    let first = turn(&db, ana, message(None, "mine"))
        .await
        .expect("started");
    let id = first.conversation.summary.id;
    let reply = first.reply.id;
    let mine = first.user_message.as_ref().expect("message").id;

    // Someone else's conversation: not found, and it is never held for them.
    let asked = Cell::new(false);
    let refused = store::start_turn(&db, mallory, message(Some(id), "hijack"), LOCAL, |_| {
        asked.set(true);
        Ok(())
    })
    .await
    .expect("database");
    assert_eq!(refused.err(), Some(TurnRefused::NotFound));
    assert!(!asked.get());
    for step in [
        TurnStep::AnswerAgain {
            conversation_id: id,
        },
        TurnStep::Edit {
            conversation_id: id,
            message_id: mine,
            content: "changed",
        },
    ] {
        assert_eq!(
            turn(&db, mallory, step).await.err(),
            Some(TurnRefused::NotFound)
        );
    }

    // A reply already being written: refused before any message is written
    // (with every message insert failing, the answer is still "busy").
    fail_inserts(&db, "no_messages", "1").await;
    for step in [
        message(Some(id), "again"),
        TurnStep::AnswerAgain {
            conversation_id: id,
        },
    ] {
        let busy = store::start_turn(&db, ana, step, LOCAL, |_| Err::<(), _>(TurnRefused::Busy))
            .await
            .expect("refused before any write");
        assert_eq!(busy.err(), Some(TurnRefused::Busy));
    }
    sqlx::query("DROP TRIGGER no_messages")
        .execute(&db.writes)
        .await
        .expect("drop trigger");

    // Only a user message can be edited; the reply stays.
    let edit = TurnStep::Edit {
        conversation_id: id,
        message_id: reply,
        content: "rewritten",
    };
    assert_eq!(
        turn(&db, ana, edit).await.err(),
        Some(TurnRefused::NotAUserMessage)
    );
    assert_eq!(count(&db, "messages").await, 2);
    let last = store::last_reply(&db, ana, id)
        .await
        .expect("read")
        .expect("reply");
    assert_eq!((last.id, last.content.as_str()), (reply, ""));
}

#[tokio::test]
async fn answering_again_and_editing_replace_the_later_messages() {
    let (_dir, db, ana) = store_with_user("ana").await;
    let first = turn(&db, ana, message(None, "one")).await.expect("started");
    let id = first.conversation.summary.id;
    store::finish_reply(&db, ana, first.reply.id, complete_reply("reply one"))
        .await
        .expect("finish")
        .expect("ana's reply");
    let second = turn(&db, ana, message(Some(id), "two"))
        .await
        .expect("started");

    let again = turn(
        &db,
        ana,
        TurnStep::AnswerAgain {
            conversation_id: id,
        },
    )
    .await
    .expect("started");
    assert_eq!(again.user_message, None);
    // The unfinished reply to "two" went; the new one is last.
    assert_eq!(
        contents(&again.conversation),
        ["one", "reply one", "two", ""]
    );
    assert_ne!(again.reply.id, second.reply.id);

    let edit = TurnStep::Edit {
        conversation_id: id,
        message_id: first.user_message.expect("message").id,
        content: "uno",
    };
    let edited = turn(&db, ana, edit).await.expect("started");
    assert_eq!(contents(&edited.conversation), ["uno", ""]);
    assert_eq!(
        count(&db, "messages").await,
        2,
        "the message and its new reply"
    );
}

#[tokio::test]
async fn nothing_to_answer_again_is_refused_and_changes_nothing() {
    let (_dir, db, ana) = store_with_user("ana").await;
    // An imported chat that holds only a reply.
    let imported = Conversation {
        summary: ConversationSummary {
            id: 0,
            title: "imported".into(),
            provider: "local".into(),
            model: None,
            updated_at: String::new(),
        },
        messages: vec![ChatMessage::new(
            0,
            Role::Assistant,
            "hi there",
            MessageStatus::Complete,
        )],
        settings: Default::default(),
        earlier: 0,
    };
    let id = store::import_conversation(&db, ana, &imported)
        .await
        .expect("import");
    let again = turn(
        &db,
        ana,
        TurnStep::AnswerAgain {
            conversation_id: id,
        },
    )
    .await;
    assert_eq!(again.err(), Some(TurnRefused::NothingToAnswer));
    let kept = store::load_conversation(&db, ana, id)
        .await
        .expect("read")
        .expect("chat");
    assert_eq!(contents(&kept), ["hi there"]);
}

#[tokio::test]
async fn replies_are_read_and_written_only_for_their_owner() {
    let (_dir, db, ana) = store_with_user("ana").await;
    let mallory = add_user(&db, "mallory").await;
    let started = turn(&db, ana, message(None, "mine"))
        .await
        .expect("started");
    let (id, reply) = (started.conversation.summary.id, started.reply.id);

    assert_eq!(
        store::last_reply(&db, mallory, id).await.expect("read"),
        None
    );
    assert_eq!(
        store::fail_interrupted_reply(&db, mallory, reply)
            .await
            .expect("write"),
        None
    );
    assert_eq!(
        store::finish_reply(&db, mallory, reply, complete_reply("forged"))
            .await
            .expect("write"),
        None
    );
    let last = store::last_reply(&db, ana, id)
        .await
        .expect("read")
        .expect("reply");
    assert_eq!(
        (last.status, last.content.as_str()),
        (MessageStatus::Streaming, "")
    );

    // A reply whose chat was deleted while it was written is not stored.
    assert!(store::delete_conversation(&db, ana, id)
        .await
        .expect("delete"));
    assert_eq!(
        store::finish_reply(&db, ana, reply, complete_reply("late"))
            .await
            .expect("write"),
        None
    );
}

/// A database as the version before failures were data left it: failed
/// replies with English and Spanish sentences, a failover notice.
#[tokio::test]
async fn stored_sentences_move_to_failures_and_failovers_as_data() {
    use nexa_chat::failure::{Failover, FailoverReason, Failure};
    use nexa_chat::i18n::Lang;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    {
        let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(&url)
            .expect("url")
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
        let mut before = sqlx::migrate!("./migrations");
        let old: Vec<_> = before.migrations.iter().take(5).cloned().collect();
        before.migrations = std::borrow::Cow::Owned(old);
        before.run(&pool).await.expect("migrations 1 to 5");
        for statement in [
            "INSERT INTO users (id, username, password_hash, is_admin) VALUES (1, 'ana', 'x', 1)",
            "INSERT INTO conversations (id, user_id, title, provider) VALUES (1, 1, 'old', 'local')",
            "INSERT INTO messages (conversation_id, role, content, status) VALUES (1, 'user', 'hola', 'complete')",
            "INSERT INTO messages (conversation_id, role, content, status, error, error_es)
             VALUES (1, 'assistant', 'half', 'failed', 'It broke.', 'Se rompió.')",
            "INSERT INTO messages (conversation_id, role, content, status, provider, notice, notice_es)
             VALUES (1, 'assistant', 'fine', 'complete', 'huggingface',
                     'Spare box could not be reached, so Hugging Face answered.', 'x')",
        ] {
            sqlx::query(statement).execute(&pool).await.expect(statement);
        }
        pool.close().await;
    }
    let db = store::connect(&url).await.expect("migrated");
    let conversation = store::load_recent(&db, 1, 1, None)
        .await
        .expect("read")
        .expect("the chat");
    let failed = &conversation.messages[1];
    assert_eq!(
        failed.failure,
        Some(Box::new(Failure::Recorded {
            en: "It broke.".into(),
            es: Some("Se rompió.".into())
        }))
    );
    let mut worded = failed.clone();
    worded.word(Lang::Es, true);
    assert_eq!(worded.error.as_deref(), Some("Se rompió."));
    let answered = &conversation.messages[2];
    assert_eq!(
        answered.failover,
        Some(Box::new(Failover {
            chosen: "Spare box".into(),
            answered: "Hugging Face".into(),
            reason: FailoverReason::Unreachable,
        }))
    );
    let mut worded = answered.clone();
    worded.word(Lang::Es, true);
    assert_eq!(
        worded.notice.as_deref(),
        Some("Spare box no estaba accesible, así que respondió Hugging Face.")
    );
}
