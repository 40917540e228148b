//! Sessions that end when they should, and sign-ins that cannot be guessed
//! at speed: sign-out, sign-out everywhere, password changes, the failed
//! sign-in locks and what a closed sign-up costs.

mod support;

use reqwest::header::{COOKIE, RETRY_AFTER, SET_COOKIE};
use serde_json::{json, Value};
use support::{no_redirects, TestApp};

const PASSWORD: &str = "long-enough-pw";

impl TestApp {
    /// Signs in through the JSON API from `address` (sent as
    /// `X-Forwarded-For`; the test client connects from loopback, a trusted
    /// proxy by default); returns the status, the body and `Retry-After`.
    async fn login_from(
        &self,
        address: &str,
        username: &str,
        password: &str,
    ) -> (u16, Value, Option<u64>) {
        let res = self
            .client
            .post(format!("{}/api/auth/login", self.base))
            .header("x-forwarded-for", address)
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let retry_after = res
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let body = res.json().await.unwrap_or(Value::Null);
        (status, body, retry_after)
    }

    /// A token for `username`, from a new sign-in.
    async fn login(&self, username: &str, password: &str) -> String {
        let (status, body, _) = self.login_from("192.0.2.1", username, password).await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// The status a signed-in read answers with for `token`.
    async fn status_with(&self, token: &str) -> u16 {
        self.post("/api/list_conversations", Some(token), json!({}))
            .await
            .0
    }

    /// The status of the same read with `token` as the page's cookie.
    async fn status_with_cookie(&self, token: &str) -> u16 {
        self.client
            .post(format!("{}/api/list_conversations", self.base))
            .header(COOKIE, format!("nexa_session={token}"))
            .json(&json!({}))
            .send()
            .await
            .expect("request")
            .status()
            .as_u16()
    }
}

#[tokio::test]
async fn signing_out_ends_that_session_at_once_cookie_and_token() {
    let app = TestApp::spawn(&[]).await;
    let page = app.signup("ana").await;
    let script = app.login("ana", PASSWORD).await;
    assert_eq!(app.status_with_cookie(&page).await, 200);

    // The page's Sign out: a form post with the cookie, from our own page.
    let res = app.browser_form("/api/logout", &page, &[("", "")]).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let cleared = res.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok());
    assert!(
        cleared.is_some_and(|c| c.contains("Max-Age=0")),
        "{cleared:?}"
    );
    // The cookie's token no longer works, as a cookie or as a bearer token
    // (someone who copied it keeps nothing).
    assert_eq!(app.status_with_cookie(&page).await, 401);
    assert_eq!(app.status_with(&page).await, 401);
    // The other session is untouched.
    assert_eq!(app.status_with(&script).await, 200);

    // Scripts sign out with their token.
    let (status, _) = app.post("/api/auth/logout", Some(&script), json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(app.status_with(&script).await, 401);
    // Signing out again, or with no session, is not an error.
    let (status, _) = app.post("/api/auth/logout", Some(&script), json!({})).await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_account_only() {
    let app = TestApp::spawn(&[]).await;
    let laptop = app.signup("ana").await;
    let phone = app.login("ana", PASSWORD).await;
    let bob = app.signup("bob").await;
    let (status, _) = app
        .post("/api/auth/logout-everywhere", Some(&phone), json!({}))
        .await;
    assert_eq!(status, 204);
    assert_eq!(app.status_with(&laptop).await, 401);
    assert_eq!(app.status_with(&phone).await, 401);
    assert_eq!(app.status_with(&bob).await, 200, "another account stays");
    // Signing in again works.
    let again = app.login("ana", PASSWORD).await;
    assert_eq!(app.status_with(&again).await, 200);
    // Without a session there is nothing to end.
    let (status, body) = app
        .post("/api/auth/logout-everywhere", None, json!({}))
        .await;
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
}

#[tokio::test]
async fn a_password_change_keeps_this_session_and_ends_the_others() {
    let app = TestApp::spawn(&[]).await;
    let here = app.signup("ana").await;
    let stolen = app.login("ana", PASSWORD).await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});

    let (status, body) = app
        .post(
            "/api/auth/password",
            Some(&here),
            change("not-the-password", "brand-new-pw"),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("wrong_password")),
        "{body}"
    );
    let (status, body) = app
        .post("/api/auth/password", Some(&here), change(PASSWORD, "short"))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
    assert_eq!(app.status_with(&stolen).await, 200, "nothing changed yet");

    let (status, body) = app
        .post(
            "/api/auth/password",
            Some(&here),
            change(PASSWORD, "brand-new-pw"),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        app.status_with(&here).await,
        200,
        "the session that changed it stays"
    );
    assert_eq!(app.status_with(&stolen).await, 401, "every other one ends");
    let (status, _, _) = app.login_from("192.0.2.1", "ana", PASSWORD).await;
    assert_eq!(status, 401, "the old password is gone");
    app.login("ana", "brand-new-pw").await;
}

#[tokio::test]
async fn failed_sign_ins_lock_the_account_even_for_the_right_password() {
    let app = TestApp::spawn(&[("LOGIN_FAILURES_PER_ACCOUNT", "3")]).await;
    app.signup("ana").await;
    app.signup("bob").await;
    // Each guess from another address: the account's own count locks it.
    for n in 0..3 {
        let (status, body, _) = app
            .login_from(&format!("198.51.100.{n}"), "ana", "guess-guess")
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("bad_credentials")),
            "{n}"
        );
    }
    let (status, body, retry_after) = app.login_from("198.51.100.9", "ana", "guess-guess").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_attempts")),
        "{body}"
    );
    // One more try every 15 min / 3 = 300 s.
    assert!(
        retry_after.is_some_and(|s| (1..=300).contains(&s)),
        "{retry_after:?}"
    );

    let hashed = app.state.hasher.runs();
    let (status, body, retry_after) = app.login_from("192.0.2.50", "ANA", PASSWORD).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_attempts")),
        "{body}"
    );
    assert!(retry_after.is_some(), "Retry-After on every refusal");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("Try again in")),
        "{body}"
    );
    assert_eq!(
        app.state.hasher.runs(),
        hashed,
        "a locked account costs no hashing"
    );
    // Another account signs in as usual.
    app.login("bob", PASSWORD).await;
}

#[tokio::test]
async fn failed_sign_ins_from_one_address_lock_it_for_every_name() {
    let app = TestApp::spawn(&[("LOGIN_FAILURES_PER_ADDRESS", "3")]).await;
    app.signup("ana").await;
    let attacker = "203.0.113.66";
    for name in ["ana", "root", "admin"] {
        let (status, _, _) = app.login_from(attacker, name, "guess-guess").await;
        assert_eq!(status, 401, "{name}");
    }
    let (status, _, retry_after) = app.login_from(attacker, "bob", "guess-guess").await;
    assert_eq!(status, 429);
    assert!(retry_after.is_some());
    let (status, _, _) = app.login_from(attacker, "ana", PASSWORD).await;
    assert_eq!(status, 429, "the right password too, from there");
    // From elsewhere, Ana signs in: the address was locked, not her account.
    app.login("ana", PASSWORD).await;
    // A client that writes X-Forwarded-For itself behind the proxy cannot
    // choose its address: the proxy's own entry, the last one, counts.
    let res = app
        .client
        .post(format!("{}/api/auth/login", app.base))
        .header("x-forwarded-for", format!("192.0.2.200, {attacker}"))
        .json(&json!({"username": "ana", "password": PASSWORD}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 429);
}

#[tokio::test]
async fn a_closed_sign_up_refuses_before_hashing_anything() {
    let app = TestApp::spawn(&[("ALLOW_SIGNUP", "false")]).await;
    app.signup("admin").await;
    let hashed = app.state.hasher.runs();
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
    assert_eq!(app.state.hasher.runs(), hashed);
}

#[tokio::test]
async fn the_account_page_changes_the_password_and_signs_out_everywhere() {
    let app = TestApp::spawn(&[]).await;
    let page = app.signup("ana").await;
    let other = app.login("ana", PASSWORD).await;
    let html = app.page("/account", Some(&page), &[]).await;
    assert!(
        html.contains("Change password") && html.contains("ana"),
        "{html}"
    );
    assert!(
        !html.contains(".wasm") && !html.contains("modulepreload"),
        "a plain page: no WASM"
    );

    // The form, posted as a browser without scripts does.
    let browser = no_redirects();
    let form = |current: &str| {
        browser
            .post(format!("{}/api/change_password", app.base))
            .header(COOKIE, format!("nexa_session={page}"))
            .header("origin", &app.base)
            .header("accept", "text/html")
            .header("referer", format!("{}/account", app.base))
            .form(&[
                ("current_password", current),
                ("new_password", "brand-new-pw"),
            ])
    };
    let res = form("wrong-password").send().await.expect("request");
    let back = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(back.starts_with("/account?"), "{back}");
    let html = app.page(back, Some(&page), &[]).await;
    assert!(html.contains("The current password is not right"), "{html}");

    let res = form(PASSWORD).send().await.expect("request");
    let done = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert_eq!(done, "/account?changed=password");
    let html = app.page(done, Some(&page), &[]).await;
    assert!(html.contains("Password changed"), "{html}");
    assert_eq!(app.status_with(&other).await, 401);

    let res = app
        .browser_form("/api/logout_everywhere", &page, &[("", "")])
        .await;
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/login")
    );
    assert_eq!(app.status_with(&page).await, 401);
    // Signed out, the page sends the browser to sign in.
    let res = browser
        .get(format!("{}/account", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/login"),
        "{}",
        res.status()
    );
}

#[tokio::test]
async fn a_storm_of_parallel_guesses_costs_a_few_hashes_only() {
    let app = TestApp::spawn(&[("LOGIN_FAILURES_PER_ACCOUNT", "3")]).await;
    app.signup("ana").await;
    let before = app.state.hasher.runs();
    let guesses = (0..60).map(|n| {
        let app = &app;
        async move {
            app.login_from(&format!("198.51.100.{n}"), "ana", "guess-guess")
                .await
                .0
        }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    // Three failures pass, the fourth locks; guesses waiting in line for
    // the hasher when it locked are refused without a hash.
    let permits = std::thread::available_parallelism().map_or(1, usize::from) as u64;
    let hashed = app.state.hasher.runs() - before;
    assert!(hashed <= 4 + permits, "{hashed} hashes for 60 guesses");
    assert!(refused >= 60 - 4 - permits as usize, "{statuses:?}");
}
