//! The admin's Users page and what it changes: disabled accounts stop at
//! once, reset passwords end sessions, deleted accounts take their chats,
//! the sign-up switch and one-time invitations.

mod support;

use reqwest::header::COOKIE;
use serde_json::{json, Value};
use support::{no_redirects, TestApp};

const PASSWORD: &str = "long-enough-pw";

impl TestApp {
    /// Posts one of the Users page's forms as the browser does (cookie,
    /// our own origin, no scripts); returns where it sends the browser.
    async fn admin_form(&self, token: &str, endpoint: &str, form: &[(&str, &str)]) -> String {
        let res = no_redirects()
            .post(format!("{}/api/{endpoint}", self.base))
            .header(COOKIE, format!("nexa_session={token}"))
            .header("origin", &self.base)
            .header("accept", "text/html")
            .header("referer", format!("{}/admin/users", self.base))
            .form(form)
            .send()
            .await
            .expect("request");
        assert!(
            res.status().is_redirection(),
            "{endpoint}: {}",
            res.status()
        );
        res.headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    async fn sign_in(&self, username: &str, password: &str) -> (u16, Value) {
        self.post(
            "/api/auth/login",
            None,
            json!({"username": username, "password": password}),
        )
        .await
    }

    async fn can_read(&self, token: &str) -> u16 {
        self.post("/api/list_conversations", Some(token), json!({}))
            .await
            .0
    }

    async fn id_of(&self, admin: &str, username: &str) -> String {
        let html = self.page("/admin/users", Some(admin), &[]).await;
        // Each row's forms carry the account id; the row starts with its name.
        let row = html
            .split("<tr")
            .find(|row| row.contains(&format!("<strong>{username}<")))
            .expect("a row for the account");
        let start = row.find(r#"name="user_id" value=""#).expect("an id") + 22;
        row[start..].split('"').next().expect("id").to_string()
    }
}

#[tokio::test]
async fn the_admin_disables_promotes_resets_and_deletes_accounts() {
    let app = TestApp::spawn(&[]).await;
    let admin = app.signup("boss").await;
    let ana = app.signup("ana").await;
    app.send(&ana, None, "my chat").await;
    let html = app.page("/admin/users", Some(&admin), &[]).await;
    assert!(
        html.contains("<strong>ana<") && html.contains("<strong>boss<"),
        "{html}"
    );
    assert!(!html.contains(".wasm"), "a plain page");
    let id = app.id_of(&admin, "ana").await;

    // Disable: her sessions end at once, her password no longer signs in.
    let back = app
        .admin_form(
            &admin,
            "admin_set_disabled",
            &[("user_id", &id), ("disabled", "true")],
        )
        .await;
    assert_eq!(back, "/admin/users");
    assert_eq!(app.can_read(&ana).await, 401);
    // Her chat page, loaded again, sends her to sign in.
    let chat = no_redirects()
        .get(format!("{}/", app.base))
        .header(COOKIE, format!("nexa_session={ana}"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(
        (
            chat.status().as_u16(),
            chat.headers().get("location").and_then(|v| v.to_str().ok())
        ),
        (302, Some("/login"))
    );
    let (status, body) = app.sign_in("ana", PASSWORD).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("account_disabled")),
        "{body}"
    );
    let (status, body) = app.sign_in("ana", "wrong-password").await;
    assert_eq!(status, 401, "a wrong password learns nothing: {body}");
    assert!(app
        .page("/admin/users", Some(&admin), &[])
        .await
        .contains("disabled"));

    // Enable, and make her an admin: her new session sees it at once.
    app.admin_form(
        &admin,
        "admin_set_disabled",
        &[("user_id", &id), ("disabled", "false")],
    )
    .await;
    let (status, body) = app.sign_in("ana", PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let ana = body["token"].as_str().expect("token").to_string();
    let (status, _) = app.post_form("/api/users_overview", &ana, &[]).await;
    assert_eq!(status, 403, "not an admin yet");
    app.admin_form(
        &admin,
        "admin_set_admin",
        &[("user_id", &id), ("is_admin", "true")],
    )
    .await;
    let (status, overview) = app.post_form("/api/users_overview", &ana, &[]).await;
    assert_eq!(status, 200, "{overview}");
    app.admin_form(
        &admin,
        "admin_set_admin",
        &[("user_id", &id), ("is_admin", "false")],
    )
    .await;

    // Reset her password: every session of hers ends.
    app.admin_form(
        &admin,
        "admin_reset_password",
        &[("user_id", &id), ("new_password", "from-the-admin")],
    )
    .await;
    assert_eq!(app.can_read(&ana).await, 401);
    assert_eq!(app.sign_in("ana", PASSWORD).await.0, 401);
    let (status, body) = app.sign_in("ana", "from-the-admin").await;
    assert_eq!(status, 200, "{body}");
    let ana = body["token"].as_str().expect("token").to_string();

    // Delete: the account and its chats are gone.
    app.admin_form(&admin, "admin_delete_user", &[("user_id", &id)])
        .await;
    assert_eq!(app.can_read(&ana).await, 401);
    assert_eq!(app.sign_in("ana", "from-the-admin").await.0, 401);
    let html = app.page("/admin/users", Some(&admin), &[]).await;
    assert!(!html.contains("<strong>ana<"), "{html}");
    let db = app.db().await;
    let chats: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM conversations")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(chats, 0);
}

#[tokio::test]
async fn only_admins_manage_accounts_and_never_their_own() {
    let app = TestApp::spawn(&[]).await;
    let admin = app.signup("boss").await;
    let ana = app.signup("ana").await;
    let own = app.id_of(&admin, "boss").await;
    let hers = app.id_of(&admin, "ana").await;

    // The admin cannot lock themselves out.
    for (endpoint, form) in [
        (
            "admin_set_disabled",
            vec![("user_id", own.as_str()), ("disabled", "true")],
        ),
        (
            "admin_set_admin",
            vec![("user_id", own.as_str()), ("is_admin", "false")],
        ),
        ("admin_delete_user", vec![("user_id", own.as_str())]),
    ] {
        let (status, body) = app
            .post_form(&format!("/api/{endpoint}"), &admin, &form)
            .await;
        assert_eq!(status, 409, "{endpoint}: {body}");
    }
    // The page says why, in the reader's language.
    let back = app
        .admin_form(&admin, "admin_delete_user", &[("user_id", &own)])
        .await;
    let html = app
        .page(&back, Some(&admin), &[("accept-language", "es")])
        .await;
    assert!(html.contains("No puedes desactivar, eliminar"), "{html}");
    // An account that does not exist.
    let (status, _) = app
        .post_form(
            "/api/admin_set_disabled",
            &admin,
            &[("user_id", "999"), ("disabled", "true")],
        )
        .await;
    assert_eq!(status, 404);

    // Someone else: 403; nobody: 401. Nothing changes.
    let (status, body) = app
        .post_form("/api/admin_delete_user", &ana, &[("user_id", &own)])
        .await;
    assert_eq!((status, body.as_str()), (403, Some("AdminOnly")), "{body}");
    let res = app
        .client
        .post(format!("{}/api/admin_set_disabled", app.base))
        .form(&[("user_id", hers.as_str()), ("disabled", "true")])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 401);
    assert_eq!(app.can_read(&ana).await, 200);
    let page = app.page("/admin/users", Some(&ana), &[]).await;
    assert!(page.contains("Only the admin can do this"), "{page}");
}

#[tokio::test]
async fn a_closed_sign_up_lets_in_whoever_holds_an_invitation_once() {
    let app = TestApp::spawn(&[]).await;
    let admin = app.signup("boss").await;
    app.admin_form(&admin, "admin_set_signup", &[("open", "false")])
        .await;
    let signup = |name: &str, invite: Option<&str>| {
        let mut body = json!({"username": name, "password": PASSWORD});
        if let Some(invite) = invite {
            body["invite"] = json!(invite);
        }
        app.post("/api/auth/signup", None, body)
    };
    let (status, body) = signup("stranger", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("signup_closed")),
        "{body}"
    );
    let html = app.page("/signup", None, &[]).await;
    assert!(html.contains("Sign-up is closed"), "{html}");

    app.admin_form(&admin, "admin_create_invite", &[]).await;
    let html = app.page("/admin/users", Some(&admin), &[]).await;
    let start = html.find("/signup?invite=").expect("an invitation link") + 15;
    let invite = html[start..].split('"').next().expect("id").to_string();
    assert!(
        html.contains(&format!("{}/signup?invite={invite}", app.base)),
        "a full link"
    );
    // The invited see a welcome, not "closed", and the form carries it.
    let page = app
        .page(&format!("/signup?invite={invite}"), None, &[])
        .await;
    assert!(
        page.contains("You were invited") && page.contains(&invite),
        "{page}"
    );

    let hashed = app.state.hasher.runs();
    let (status, body) = signup("friend", Some("not-an-invitation")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("invite_invalid")),
        "{body}"
    );
    assert_eq!(app.state.hasher.runs(), hashed, "refused before hashing");
    let (status, body) = signup("friend", Some(&invite)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = signup("friend2", Some(&invite)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("invite_invalid")),
        "once: {body}"
    );
    let html = app.page("/admin/users", Some(&admin), &[]).await;
    assert!(!html.contains(&invite), "a used invitation leaves the list");

    // Withdrawn and expired invitations do nothing.
    app.admin_form(&admin, "admin_create_invite", &[]).await;
    app.admin_form(&admin, "admin_create_invite", &[]).await;
    let db = app.db().await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM invites WHERE used_at IS NULL")
        .fetch_all(&db)
        .await
        .expect("invites");
    assert_eq!(ids.len(), 2);
    app.admin_form(&admin, "admin_withdraw_invite", &[("invite", &ids[0])])
        .await;
    sqlx::query("UPDATE invites SET expires_at = 1 WHERE id = ?1")
        .bind(&ids[1])
        .execute(&db)
        .await
        .expect("expire");
    for id in &ids {
        let (status, _) = signup("late", Some(id)).await;
        assert_eq!(status, 403);
    }

    // Open again: anyone signs up; the switch outlives the invitations.
    app.admin_form(&admin, "admin_set_signup", &[("open", "true")])
        .await;
    assert_eq!(signup("anyone", None).await.0, 200);
}

#[tokio::test]
async fn on_a_network_address_only_the_first_account_signs_up_by_itself() {
    let app = TestApp::spawn(&[("LISTEN_ADDR", "0.0.0.0:3000")]).await;
    let html = app.page("/signup", None, &[]).await;
    assert!(
        !html.contains("Sign-up is closed"),
        "the first account may: {html}"
    );
    app.signup("boss").await;
    let (status, body) = app
        .post(
            "/api/auth/signup",
            None,
            json!({"username": "stranger", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("signup_closed")),
        "{body}"
    );
}
