//! Sign-in, the first administrator, password changes, refresh rotation and login throttling.

use std::time::{Duration, Instant};

use serde_json::json;
use tiepdan::domain::vocab::Role;

use crate::helpers::TestApp;

#[test]
fn first_admin_must_change_the_generated_password_before_anything_else() {
    let app = TestApp::spawn();
    let admin = app.first_admin.clone().expect("an empty database gets a first admin");
    assert_eq!(admin.username, "admin");
    assert!(admin.password.chars().count() >= 12);

    let tokens = app.login_response(&admin.username, &admin.password).ok(200);
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert_eq!(tokens["password_change_required"], true);
    let access = tokens["access_token"].as_str().unwrap().to_owned();

    app.get("/api/v1/users", Some(&access)).problem(403, "password_change_required");
    app.get("/api/v1/audit", Some(&access)).problem(403, "password_change_required");
    let me = app.get("/api/v1/me", Some(&access)).ok(200);
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["password_change_required"], true);
    assert_eq!(me.as_object().unwrap().len(), 7, "{me}");

    let body = json!({ "current_password": admin.password, "new_password": "một mật khẩu mới đủ dài" });
    app.post("/api/v1/me/password", Some(&access), &body).ok(204);
    assert_eq!(app.get("/api/v1/me", Some(&access)).ok(200)["password_change_required"], false);
    app.get("/api/v1/users", Some(&access)).ok(200);

    app.login_response("admin", &admin.password).problem(401, "invalid_credentials");
    assert_eq!(app.login_response("admin", "một mật khẩu mới đủ dài").ok(200)["password_change_required"], false);
}

#[test]
fn a_restart_on_the_same_database_creates_no_second_admin() {
    let app = TestApp::spawn();
    assert!(app.first_admin.is_some());
    let again = tiepdan::service::users::ensure_first_admin(&app.ctx, tiepdan::time::now()).unwrap();
    assert!(again.is_none());
}

#[test]
fn unknown_user_and_wrong_password_answer_alike() {
    let app = TestApp::spawn();
    let user = app.create_user(Role::Handler);
    let wrong = app.login_response(&user.username, "not the password at all");
    let unknown = app.login_response("nobody-here", "not the password at all");
    let deactivated = {
        let other = app.create_user(Role::Handler);
        tiepdan::persistence::users::update(
            &mut app.ctx.db.connection().unwrap(),
            other.id,
            &tiepdan::persistence::users::UserChanges { active: Some(false), ..Default::default() },
            tiepdan::time::now(),
        )
        .unwrap();
        app.login_response(&other.username, &other.password)
    };
    // A name no account can have (a NUL, which PostgreSQL would refuse to compare) likewise.
    let impossible = app.login_response("admin\u{0}", "not the password at all");
    for response in [&wrong, &unknown, &deactivated, &impossible] {
        response.problem(401, "invalid_credentials");
    }
    assert_eq!(wrong.text, unknown.text);
    assert_eq!(wrong.text, deactivated.text);
    assert_eq!(wrong.text, impossible.text);
    // Around the name, whitespace (a tab or a line break too) is trimmed as before.
    app.login_response(&format!("\t{}\r\n", user.username), &user.password).ok(200);
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[test]
fn an_unknown_username_costs_a_real_password_verification() {
    let app = TestApp::spawn();
    let users: Vec<_> = (0..2).map(|_| app.create_user(Role::Receptionist)).collect();
    let time = |username: &str| {
        let started = Instant::now();
        app.login_response(username, "a wrong password, long enough").problem(401, "invalid_credentials");
        started.elapsed()
    };
    // Four attempts per existing user stay below the throttling limit.
    let wrong: Vec<_> = (0..8).map(|i| time(&users[i % 2].username)).collect();
    let unknown: Vec<_> = (0..8).map(|i| time(&format!("ghost{i}"))).collect();
    let (wrong, unknown) = (median(wrong), median(unknown));
    // Without the dummy verification an unknown user would answer some thirty times faster; a
    // factor of three leaves room for a loaded machine while still catching that.
    assert!(unknown * 3 >= wrong, "unknown {unknown:?} vs wrong password {wrong:?}");
    assert!(wrong * 3 >= unknown, "unknown {unknown:?} vs wrong password {wrong:?}");
}

#[test]
fn five_failures_throttle_that_username_only() {
    let app = TestApp::spawn();
    let victim = app.create_user(Role::Head);
    let bystander = app.create_user(Role::Head);
    for _ in 0..5 {
        app.login_response(&victim.username, "wrong password guess").problem(401, "invalid_credentials");
    }
    let refused = app.login_response(&victim.username, &victim.password);
    refused.problem(429, "too_many_login_attempts");
    let retry_after: u64 = refused.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    // Usernames are compared case-insensitively, so changing case does not escape the limit.
    app.login_response(&victim.username.to_uppercase(), &victim.password).problem(429, "too_many_login_attempts");
    app.login(&bystander);
    // Unknown usernames are throttled the same way.
    for _ in 0..5 {
        app.login_response("ghost", "wrong password guess").problem(401, "invalid_credentials");
    }
    app.login_response("ghost", "wrong password guess").problem(429, "too_many_login_attempts");
}

#[test]
fn login_failures_and_successes_are_audited_without_passwords() {
    let app = TestApp::spawn();
    let (head, head_token) = app.signed_in(Role::Head);
    app.login_response(&head.username, "definitely wrong pw").problem(401, "invalid_credentials");
    let audit = app.get("/api/v1/audit", Some(&head_token)).ok(200);
    let types: Vec<_> =
        audit["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()).collect();
    assert!(types.contains(&"login_failed".to_owned()), "{types:?}");
    assert!(types.contains(&"login_succeeded".to_owned()), "{types:?}");
    let text = audit.to_string();
    assert!(!text.contains("definitely wrong pw"));
    assert!(!text.contains(&head.password));
    let failed = app.get("/api/v1/audit?type=login_failed", Some(&head_token)).ok(200);
    let entry = &failed["items"][0];
    assert_eq!(entry["details"]["username"], head.username);
    assert_eq!(entry["ip"], "127.0.0.1");
}

#[test]
fn changing_the_password_ends_the_other_sessions_and_keeps_this_one() {
    let app = TestApp::spawn();
    let user = app.create_user(Role::Handler);
    let first = app.login(&user)["access_token"].as_str().unwrap().to_owned();
    let second = app.login(&user);
    let second_access = second["access_token"].as_str().unwrap().to_owned();

    let body = json!({ "current_password": user.password, "new_password": "another password entirely" });
    app.post("/api/v1/me/password", Some(&first), &body).ok(204);
    app.get("/api/v1/me", Some(&first)).ok(200);
    app.get("/api/v1/me", Some(&second_access)).problem(401, "unauthorized");
    app.post("/api/v1/auth/refresh", None, &json!({ "refresh_token": second["refresh_token"] }))
        .problem(401, "invalid_token");
}

#[test]
fn password_changes_are_validated() {
    let app = TestApp::spawn();
    let (user, token) = app.signed_in(Role::Auditor);
    let change = |current: &str, new: &str| {
        app.post("/api/v1/me/password", Some(&token), &json!({ "current_password": current, "new_password": new }))
    };
    let wrong = change("not my password!", "a perfectly fine new one").problem(422, "current_password_incorrect");
    assert_eq!(wrong["errors"][0]["field"], "current_password");
    let short = change(&user.password, "too short").problem(422, "validation_failed");
    assert_eq!(short["errors"][0]["field"], "new_password");
    let long = change(&user.password, &"x".repeat(129)).problem(422, "validation_failed");
    assert_eq!(long["errors"][0]["field"], "new_password");
    let same = change(&user.password, &user.password).problem(422, "validation_failed");
    assert_eq!(same["errors"][0]["field"], "new_password");
    let missing = app.post("/api/v1/me/password", Some(&token), &json!({ "new_password": "abcdefghijklmn" }));
    assert_eq!(missing.problem(422, "validation_failed")["errors"][0]["field"], "current_password");
    // Wrong current passwords count towards throttling like failed logins.
    for _ in 0..4 {
        change("not my password!", "a perfectly fine new one").problem(422, "current_password_incorrect");
    }
    change(&user.password, "a perfectly fine new one").problem(429, "too_many_login_attempts");
}

#[test]
fn refresh_tokens_rotate_and_a_reused_one_ends_the_session() {
    let app = TestApp::spawn();
    let user = app.create_user(Role::Receptionist);
    let first = app.login(&user);
    let refresh =
        |token: &serde_json::Value| app.post("/api/v1/auth/refresh", None, &json!({ "refresh_token": token }));

    let second = refresh(&first["refresh_token"]).ok(200);
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(second["token_type"], "Bearer");
    let access = second["access_token"].as_str().unwrap().to_owned();
    app.get("/api/v1/me", Some(&access)).ok(200);

    // The first refresh token is spent: presenting it again revokes the whole session.
    refresh(&first["refresh_token"]).problem(401, "refresh_token_reused");
    app.get("/api/v1/me", Some(&access)).problem(401, "unauthorized");
    refresh(&second["refresh_token"]).problem(401, "invalid_token");

    // Another session of the same user is untouched.
    app.login(&user);
    refresh(&json!("not a token")).problem(401, "invalid_token");
    let missing = app.post("/api/v1/auth/refresh", None, &json!({}));
    assert_eq!(missing.problem(422, "validation_failed")["errors"][0]["field"], "refresh_token");
}

#[test]
fn logout_revokes_the_session() {
    let app = TestApp::spawn();
    let user = app.create_user(Role::Head);
    let tokens = app.login(&user);
    let access = tokens["access_token"].as_str().unwrap();
    app.post_empty("/api/v1/auth/logout", Some(access)).ok(204);
    app.get("/api/v1/me", Some(access)).problem(401, "unauthorized");
    app.post("/api/v1/auth/refresh", None, &json!({ "refresh_token": tokens["refresh_token"] }))
        .problem(401, "invalid_token");
    app.post_empty("/api/v1/auth/logout", None).problem(401, "unauthorized");
}

/// A request that finds no idle connection (on SQLite the session is then not read on the
/// worker) waits for one, and its session is checked all the same.
#[test]
fn a_request_finding_every_connection_busy_waits_and_is_still_checked() {
    let app = TestApp::spawn();
    let user = app.create_user(Role::Head);
    let kept = app.login(&user)["access_token"].as_str().unwrap().to_owned();
    let ended = app.login(&user)["access_token"].as_str().unwrap().to_owned();
    app.post_empty("/api/v1/auth/logout", Some(&ended)).ok(204);

    for (token, status) in [(&kept, 200), (&ended, 401)] {
        // Every connection of the test pool (4) taken, given back a moment later.
        let held: Vec<_> = (0..4).map(|_| app.ctx.db.connection().unwrap()).collect();
        let giver = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(held);
        });
        let asked = Instant::now();
        let answer = app.get("/api/v1/me", Some(token));
        assert!(
            asked.elapsed() >= Duration::from_millis(250),
            "answered in {:?} without a connection",
            asked.elapsed()
        );
        giver.join().unwrap();
        if status == 200 {
            assert_eq!(answer.ok(200)["id"], user.id);
        } else {
            answer.problem(401, "unauthorized");
        }
    }
}

#[test]
fn stored_hashes_use_argon2id_and_weaker_ones_are_upgraded_at_login() {
    use argon2::password_hash::CustomizedPasswordHasher as _;
    let app = TestApp::spawn();
    let user = app.create_user(Role::Handler);
    let mut conn = app.ctx.db.connection().unwrap();
    let stored = tiepdan::persistence::users::get(&mut conn, user.id).unwrap().password_hash;
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");

    let weak = argon2::Argon2::default()
        .hash_password_customized(
            user.password.as_bytes(),
            b"0123456789abcdef",
            None,
            None,
            argon2::Params::new(4096, 1, 1, None).unwrap(),
        )
        .unwrap()
        .to_string();
    tiepdan::persistence::users::upgrade_password_hash(&mut conn, user.id, &weak).unwrap();
    app.login(&user);
    let upgraded = tiepdan::persistence::users::get(&mut conn, user.id).unwrap().password_hash;
    assert!(upgraded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{upgraded}");
    app.login(&user);
}

#[test]
fn credentials_beyond_any_valid_length_are_refused_without_hashing() {
    let app = TestApp::spawn();
    let user = app.create_user(Role::Handler);
    app.login_response(&user.username, &"p".repeat(10_000)).problem(401, "invalid_credentials");
    app.login_response(&"u".repeat(10_000), "whatever password").problem(401, "invalid_credentials");
    let missing = app.post("/api/v1/auth/login", None, &json!({ "username": "x" }));
    assert_eq!(missing.problem(422, "validation_failed")["errors"][0]["field"], "password");
}

#[test]
fn the_cli_path_creates_accounts_without_a_forced_change_unless_asked() {
    let app = TestApp::spawn();
    let request = |username: &str, must_change: bool| tiepdan::service::users::CreateUser {
        username: username.into(),
        full_name: "Trần Thị Bình".into(),
        email: None,
        role: Role::Receptionist,
        password: "mật khẩu đủ dài 12".into(),
        must_change_password: must_change,
    };
    let now = tiepdan::time::now();
    tiepdan::service::users::create(&app.ctx, None, &request("binh.tt", false), now).unwrap();
    tiepdan::service::users::create(&app.ctx, None, &request("binh2", true), now).unwrap();
    assert_eq!(app.login_response("binh.tt", "mật khẩu đủ dài 12").ok(200)["password_change_required"], false);
    assert_eq!(app.login_response("binh2", "mật khẩu đủ dài 12").ok(200)["password_change_required"], true);
    let taken = tiepdan::service::users::create(&app.ctx, None, &request("binh.tt", false), now).unwrap_err();
    assert!(taken.to_string().contains("already taken"), "{taken}");
}
