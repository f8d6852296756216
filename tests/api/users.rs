//! Account administration: admin-only access, account creation and validation, paging,
//! updates and their effect on sessions, the last-admin guard, admin-set passwords, and the
//! audit trail they leave.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::helpers::{Response, TestApp};

const INITIAL_PASSWORD: &str = "mật khẩu ban đầu 2026";
const CHOSEN_PASSWORD: &str = "mật khẩu tự chọn 2026";

/// A valid `POST /users` body.
fn new_user(username: &str, role: &str) -> Value {
    json!({
        "username": username,
        "full_name": "Nguyễn Thị Lan",
        "email": format!("{username}@example.gov.vn"),
        "role": role,
        "password": INITIAL_PASSWORD,
    })
}

/// The `errors[].field` names of a 422 answer.
#[track_caller]
fn invalid_fields(response: &Response) -> Vec<String> {
    let problem = response.problem(422, "validation_failed");
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a 422 answer lists its errors: {problem}"))
        .iter()
        .map(|e| e["field"].as_str().expect("each error names its field").to_owned())
        .collect()
}

fn access_token(tokens: &Value) -> String {
    tokens["access_token"].as_str().expect("access token").to_owned()
}

fn user_id_by_username(app: &TestApp, token: &str, username: &str) -> i64 {
    let page = app.get("/api/v1/users?limit=200", Some(token)).ok(200);
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .and_then(|u| u["id"].as_i64())
        .unwrap_or_else(|| panic!("no user {username} in {page}"))
}

#[test]
fn only_admins_may_administer_accounts() {
    let app = TestApp::spawn();
    let target = app.create_user(Role::Handler);
    let user_path = format!("/api/v1/users/{}", target.id);
    let password_path = format!("{user_path}/password");
    let patch = json!({ "full_name": "Tên bị đổi" });
    let set_password = json!({ "new_password": "mật khẩu bị đặt lại" });

    for role in [Role::Receptionist, Role::Handler, Role::Head, Role::Auditor] {
        let (_, token) = app.signed_in(role);
        let token = Some(token.as_str());
        let created = new_user(&format!("by-{}", role.as_str()), "admin");
        app.get("/api/v1/users", token).problem(403, "forbidden");
        app.post("/api/v1/users", token, &created).problem(403, "forbidden");
        app.get(&user_path, token).problem(403, "forbidden");
        app.patch(&user_path, token, &patch).problem(403, "forbidden");
        app.post(&password_path, token, &set_password).problem(403, "forbidden");
    }

    app.get("/api/v1/users", None).problem(401, "unauthorized");
    app.post("/api/v1/users", None, &new_user("anonymous", "admin")).problem(401, "unauthorized");
    app.get(&user_path, None).problem(401, "unauthorized");
    app.patch(&user_path, None, &patch).problem(401, "unauthorized");
    app.post(&password_path, None, &set_password).problem(401, "unauthorized");

    // Nothing the refused requests asked for happened.
    let (_, admin) = app.signed_in(Role::Admin);
    let page = app.get("/api/v1/users?limit=200", Some(&admin)).ok(200);
    let usernames: Vec<&str> =
        page["items"].as_array().unwrap().iter().filter_map(|u| u["username"].as_str()).collect();
    assert!(!usernames.iter().any(|u| u.starts_with("by-") || *u == "anonymous"), "{usernames:?}");
    let unchanged = app.get(&user_path, Some(&admin)).ok(200);
    assert_ne!(unchanged["full_name"], "Tên bị đổi");
    app.login(&target);
}

#[test]
fn a_created_account_must_change_its_password_before_anything_else() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);

    let response = app.post("/api/v1/users", Some(&admin), &new_user("lan.nt", "admin"));
    let created = response.ok(201);
    let id = created["id"].as_i64().expect("numeric id");
    assert_eq!(response.header("location").as_deref(), Some(format!("/api/v1/users/{id}").as_str()));
    let keys: BTreeSet<&str> = created.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "id",
        "username",
        "full_name",
        "email",
        "role",
        "active",
        "password_change_required",
        "created_at",
        "updated_at",
    ]
    .into();
    assert_eq!(keys, expected);
    assert_eq!(created["username"], "lan.nt");
    assert_eq!(created["full_name"], "Nguyễn Thị Lan");
    assert_eq!(created["email"], "lan.nt@example.gov.vn");
    assert_eq!(created["role"], "admin");
    assert_eq!(created["active"], true);
    assert_eq!(created["password_change_required"], true);
    for timestamp in ["created_at", "updated_at"] {
        let text = created[timestamp].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(text).is_ok(), "{timestamp}: {text}");
    }
    assert!(!response.text.contains(INITIAL_PASSWORD), "{}", response.text);
    assert!(!response.text.contains("argon2"), "{}", response.text);
    assert_eq!(app.get(&format!("/api/v1/users/{id}"), Some(&admin)).ok(200), created);

    let tokens = app.login_response("lan.nt", INITIAL_PASSWORD).ok(200);
    assert_eq!(tokens["password_change_required"], true);
    let token = access_token(&tokens);
    app.get("/api/v1/users", Some(&token)).problem(403, "password_change_required");
    let me = app.get("/api/v1/me", Some(&token)).ok(200);
    assert_eq!(me["id"], id);
    assert_eq!(me["password_change_required"], true);

    let change = json!({ "current_password": INITIAL_PASSWORD, "new_password": CHOSEN_PASSWORD });
    app.post("/api/v1/me/password", Some(&token), &change).ok(204);
    app.get("/api/v1/users", Some(&token)).ok(200);
    assert_eq!(app.get("/api/v1/me", Some(&token)).ok(200)["password_change_required"], false);
    assert_eq!(app.get(&format!("/api/v1/users/{id}"), Some(&admin)).ok(200)["password_change_required"], false);
    assert_eq!(app.login_response("lan.nt", CHOSEN_PASSWORD).ok(200)["password_change_required"], false);
}

#[test]
fn each_invalid_account_field_is_named() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("uppercase username", json!({ "username": "Lan.NT" }), "username"),
        ("short username", json!({ "username": "ab" }), "username"),
        ("empty full name", json!({ "full_name": "" }), "full_name"),
        ("blank full name", json!({ "full_name": "   " }), "full_name"),
        ("malformed email", json!({ "email": "lan.nt-at-example" }), "email"),
        ("unknown role", json!({ "role": "boss" }), "role"),
        ("11-character password", json!({ "password": "mậtkhẩu1234" }), "password"),
        ("129-character password", json!({ "password": "ư".repeat(129) }), "password"),
        ("unknown field", json!({ "status": "active" }), "status"),
    ];
    for (label, change, field) in cases {
        let mut body = new_user("lan.nt", "handler");
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let response = app.post("/api/v1/users", Some(&admin), &body);
        assert_eq!(invalid_fields(&response), [field], "{label}");
    }
    let mut missing_name = new_user("lan.nt", "handler");
    missing_name.as_object_mut().unwrap().remove("full_name");
    assert_eq!(invalid_fields(&app.post("/api/v1/users", Some(&admin), &missing_name)), ["full_name"]);

    // Every field problem is reported at once.
    let all_bad = json!({ "username": "X", "full_name": "", "email": "nope", "role": "handler", "password": "short" });
    let fields: BTreeSet<String> =
        invalid_fields(&app.post("/api/v1/users", Some(&admin), &all_bad)).into_iter().collect();
    assert_eq!(fields, ["email", "full_name", "password", "username"].map(String::from).into());

    // None of the refused requests created the account.
    app.get("/api/v1/users?limit=200", Some(&admin)).ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .for_each(|u| assert_ne!(u["username"], "lan.nt"));
}

#[test]
fn passwords_of_12_to_128_characters_are_accepted() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let twelve = "twelve chars";
    let vietnamese: String = "mật khẩu dài ".chars().cycle().take(128).collect();
    assert_eq!(twelve.chars().count(), 12);
    assert_eq!(vietnamese.chars().count(), 128);
    assert!(vietnamese.len() > 128, "more bytes than characters");

    for (username, password) in [("short.pw", twelve), ("long.pw", vietnamese.as_str())] {
        let mut body = new_user(username, "handler");
        body["password"] = json!(password);
        app.post("/api/v1/users", Some(&admin), &body).ok(201);
        assert_eq!(app.login_response(username, password).ok(200)["password_change_required"], true);
    }
}

#[test]
fn a_taken_username_is_a_conflict() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let existing = app.create_user(Role::Handler);
    let response = app.post("/api/v1/users", Some(&admin), &new_user(&existing.username, "head"));
    response.problem(409, "username_taken");

    app.post("/api/v1/users", Some(&admin), &new_user("lan.nt", "head")).ok(201);
    app.post("/api/v1/users", Some(&admin), &new_user("lan.nt", "auditor")).problem(409, "username_taken");
    app.post("/api/v1/users", Some(&admin), &new_user("admin", "admin")).problem(409, "username_taken");
}

#[test]
fn the_user_list_pages_through_every_account_once_in_id_order() {
    let app = TestApp::spawn();
    let (admin_user, admin) = app.signed_in(Role::Admin);
    let mut expected: BTreeSet<String> = [Role::Receptionist, Role::Handler, Role::Head, Role::Auditor, Role::Handler]
        .into_iter()
        .map(|role| app.create_user(role).username)
        .collect();
    expected.insert(admin_user.username.clone());
    expected.insert("admin".to_owned());

    let mut seen: Vec<(i64, String)> = Vec::new();
    let mut path = "/api/v1/users?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let page = app.get(&path, Some(&admin)).ok(200);
        pages += 1;
        assert!(pages <= expected.len(), "the cursor never ends");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        seen.extend(items.iter().map(|u| (u["id"].as_i64().unwrap(), u["username"].as_str().unwrap().to_owned())));
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                assert_eq!(items.len(), 2, "only the last page may be short");
                path = format!("/api/v1/users?limit=2&cursor={cursor}");
            }
            None => {
                assert!(page["next_cursor"].is_null(), "{page}");
                break;
            }
        }
    }
    assert_eq!(pages, expected.len().div_ceil(2));
    let ids: Vec<i64> = seen.iter().map(|(id, _)| *id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "strictly increasing ids, so no account twice");
    let usernames: BTreeSet<String> = seen.into_iter().map(|(_, name)| name).collect();
    assert_eq!(usernames, expected);

    let whole = app.get("/api/v1/users", Some(&admin)).ok(200);
    assert_eq!(whole["items"].as_array().unwrap().len(), expected.len());
    assert!(whole["next_cursor"].is_null());
    app.get("/api/v1/users?limit=200", Some(&admin)).ok(200);
}

#[test]
fn user_list_parameters_are_checked() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    for query in ["limit=0", "limit=201", "limit=-1", "limit=two"] {
        assert_eq!(invalid_fields(&app.get(&format!("/api/v1/users?{query}"), Some(&admin))), ["limit"], "{query}");
    }
    for cursor in ["garbage!", "bm90IGEgY3Vyc29y", "%7B%7D"] {
        let response = app.get(&format!("/api/v1/users?cursor={cursor}"), Some(&admin));
        assert_eq!(invalid_fields(&response), ["cursor"], "{cursor}");
    }
    assert_eq!(invalid_fields(&app.get("/api/v1/users?page=2", Some(&admin))), ["page"]);
}

#[test]
fn patching_changes_name_and_email_and_null_clears_the_email() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let user = app.create_user(Role::Handler);
    let path = format!("/api/v1/users/{}", user.id);
    let before = app.get(&path, Some(&admin)).ok(200);

    let body = json!({ "full_name": "Trần Văn Bình", "email": "binh.tv@example.gov.vn" });
    let updated = app.patch(&path, Some(&admin), &body).ok(200);
    assert_eq!(updated["id"], user.id);
    assert_eq!(updated["full_name"], "Trần Văn Bình");
    assert_eq!(updated["email"], "binh.tv@example.gov.vn");
    assert_eq!(updated["role"], before["role"]);
    assert_eq!(updated["active"], true);
    assert_eq!(updated["created_at"], before["created_at"]);
    assert_eq!(app.get(&path, Some(&admin)).ok(200), updated);

    // An absent email stays; an explicit null clears it.
    let renamed = app.patch(&path, Some(&admin), &json!({ "full_name": "Trần Bình" })).ok(200);
    assert_eq!(renamed["email"], "binh.tv@example.gov.vn");
    let cleared = app.patch(&path, Some(&admin), &json!({ "email": null })).ok(200);
    assert!(cleared["email"].is_null(), "{cleared}");
    assert_eq!(cleared["full_name"], "Trần Bình");
    assert!(app.get(&path, Some(&admin)).ok(200)["email"].is_null());

    assert_eq!(invalid_fields(&app.patch(&path, Some(&admin), &json!({ "full_name": " " }))), ["full_name"]);
    assert_eq!(invalid_fields(&app.patch(&path, Some(&admin), &json!({ "email": "nope" }))), ["email"]);
    assert_eq!(invalid_fields(&app.patch(&path, Some(&admin), &json!({ "role": "boss" }))), ["role"]);
    assert_eq!(invalid_fields(&app.patch(&path, Some(&admin), &json!({ "username": "x.y" }))), ["username"]);
    assert_eq!(app.get(&path, Some(&admin)).ok(200)["full_name"], "Trần Bình");
}

#[test]
fn a_role_change_ends_the_users_sessions() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let (user, token) = app.signed_in(Role::Handler);
    app.get("/api/v1/me", Some(&token)).ok(200);

    let updated = app.patch(&format!("/api/v1/users/{}", user.id), Some(&admin), &json!({ "role": "head" })).ok(200);
    assert_eq!(updated["role"], "head");
    app.get("/api/v1/me", Some(&token)).problem(401, "unauthorized");

    let fresh = access_token(&app.login(&user));
    assert_eq!(app.get("/api/v1/me", Some(&fresh)).ok(200)["role"], "head");
    // Heads may read the audit log, handlers may not: the new role is in force.
    app.get("/api/v1/audit", Some(&fresh)).ok(200);

    // Changing only the name keeps the sessions.
    app.patch(&format!("/api/v1/users/{}", user.id), Some(&admin), &json!({ "full_name": "Lê Văn Cường" })).ok(200);
    assert_eq!(app.get("/api/v1/me", Some(&fresh)).ok(200)["full_name"], "Lê Văn Cường");
}

#[test]
fn deactivation_ends_sessions_and_refuses_login_like_a_wrong_password() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let (user, token) = app.signed_in(Role::Receptionist);
    let path = format!("/api/v1/users/{}", user.id);

    let deactivated = app.patch(&path, Some(&admin), &json!({ "active": false })).ok(200);
    assert_eq!(deactivated["active"], false);
    app.get("/api/v1/me", Some(&token)).problem(401, "unauthorized");

    let refused = app.login_response(&user.username, &user.password).problem(401, "invalid_credentials");
    let wrong = app.login_response(&user.username, "certainly not the password").problem(401, "invalid_credentials");
    assert_eq!(refused, wrong);

    let reactivated = app.patch(&path, Some(&admin), &json!({ "active": true })).ok(200);
    assert_eq!(reactivated["active"], true);
    let fresh = access_token(&app.login(&user));
    assert_eq!(app.get("/api/v1/me", Some(&fresh)).ok(200)["id"], user.id);
    // The session ended by deactivation stays ended.
    app.get("/api/v1/me", Some(&token)).problem(401, "unauthorized");
}

#[test]
fn the_last_active_admin_can_be_neither_demoted_nor_deactivated() {
    let app = TestApp::spawn();
    let (me, admin) = app.signed_in(Role::Admin);
    let own_path = format!("/api/v1/users/{}", me.id);

    // The generated first admin is a second admin, so it may go; once inactive it no longer counts.
    let first_admin = user_id_by_username(&app, &admin, "admin");
    app.patch(&format!("/api/v1/users/{first_admin}"), Some(&admin), &json!({ "active": false })).ok(200);

    app.patch(&own_path, Some(&admin), &json!({ "role": "handler" })).problem(409, "last_admin");
    app.patch(&own_path, Some(&admin), &json!({ "active": false })).problem(409, "last_admin");
    app.patch(&own_path, Some(&admin), &json!({ "role": "auditor", "active": false })).problem(409, "last_admin");
    let unchanged = app.get(&own_path, Some(&admin)).ok(200);
    assert_eq!((&unchanged["role"], &unchanged["active"]), (&json!("admin"), &json!(true)));
    // Saying what already holds is no loss.
    app.patch(&own_path, Some(&admin), &json!({ "role": "admin", "active": true })).ok(200);

    let second = app.create_user(Role::Admin);
    let demoted = app.patch(&format!("/api/v1/users/{}", second.id), Some(&admin), &json!({ "role": "handler" }));
    assert_eq!(demoted.ok(200)["role"], "handler");
    app.patch(&own_path, Some(&admin), &json!({ "active": false })).problem(409, "last_admin");

    let third = app.create_user(Role::Admin);
    let third_token = access_token(&app.login(&third));
    assert_eq!(app.patch(&own_path, Some(&third_token), &json!({ "active": false })).ok(200)["active"], false);
    app.get("/api/v1/me", Some(&admin)).problem(401, "unauthorized");
}

#[test]
fn unknown_and_non_numeric_user_ids_are_not_found() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let admin = Some(admin.as_str());
    app.get("/api/v1/users/999999", admin).problem(404, "not_found");
    app.patch("/api/v1/users/999999", admin, &json!({ "full_name": "Không ai" })).problem(404, "not_found");
    app.post("/api/v1/users/999999/password", admin, &json!({ "new_password": "mật khẩu không dùng" }))
        .problem(404, "not_found");
    app.get("/api/v1/users/abc", admin).problem(404, "not_found");
    app.patch("/api/v1/users/abc", admin, &json!({ "full_name": "Không ai" })).problem(404, "not_found");
    app.post("/api/v1/users/abc/password", admin, &json!({ "new_password": "mật khẩu không dùng" }))
        .problem(404, "not_found");
    app.get("/api/v1/users/99999999999999999999", admin).problem(404, "not_found");
}

#[test]
fn an_admin_set_password_ends_sessions_and_must_be_changed() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let (user, token) = app.signed_in(Role::Handler);
    let refresh_token = app.login(&user)["refresh_token"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/users/{}/password", user.id);

    assert_eq!(
        invalid_fields(&app.post(&path, Some(&admin), &json!({ "new_password": "mậtkhẩu1234" }))),
        ["new_password"]
    );
    assert_eq!(invalid_fields(&app.post(&path, Some(&admin), &json!({ "password": INITIAL_PASSWORD }))), ["password"]);
    app.get("/api/v1/me", Some(&token)).ok(200);

    let response = app.post(&path, Some(&admin), &json!({ "new_password": INITIAL_PASSWORD }));
    assert_eq!(response.ok(204), Value::Null);
    app.get("/api/v1/me", Some(&token)).problem(401, "unauthorized");
    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({ "refresh_token": refresh_token }));
    assert_eq!(refreshed.status, 401, "{}", refreshed.text);

    app.login_response(&user.username, &user.password).problem(401, "invalid_credentials");
    let tokens = app.login_response(&user.username, INITIAL_PASSWORD).ok(200);
    assert_eq!(tokens["password_change_required"], true);
    let fresh = access_token(&tokens);
    app.get("/api/v1/audit", Some(&fresh)).problem(403, "password_change_required");
    let shown = app.get(&format!("/api/v1/users/{}", user.id), Some(&admin)).ok(200);
    assert_eq!(shown["password_change_required"], true);
}

/// Every entry of the audit log, newest first.
fn audit_entries(app: &TestApp, token: &str, query: &str) -> (Vec<Value>, String) {
    let response = app.get(&format!("/api/v1/audit?limit=200{query}"), Some(token));
    let page = response.ok(200);
    assert!(page["next_cursor"].is_null(), "the test's log fits one page");
    (page["items"].as_array().unwrap().clone(), response.text)
}

#[test]
fn account_administration_is_audited_without_any_password() {
    let app = TestApp::spawn();
    let (admin_user, admin) = app.signed_in(Role::Admin);
    const SET_PASSWORD: &str = "mật khẩu do quản trị đặt";
    const WRONG_PASSWORD: &str = "đoán sai mật khẩu này";

    let id = app.post("/api/v1/users", Some(&admin), &new_user("lan.nt", "handler")).ok(201)["id"].as_i64().unwrap();
    let path = format!("/api/v1/users/{id}");
    app.patch(&path, Some(&admin), &json!({ "full_name": "Nguyễn Lan", "role": "head", "email": null })).ok(200);
    app.post(&format!("{path}/password"), Some(&admin), &json!({ "new_password": SET_PASSWORD })).ok(204);
    app.login_response("lan.nt", WRONG_PASSWORD).problem(401, "invalid_credentials");
    let change = json!({ "current_password": SET_PASSWORD, "new_password": CHOSEN_PASSWORD });
    let own = access_token(&app.login_response("lan.nt", SET_PASSWORD).ok(200));
    app.post("/api/v1/me/password", Some(&own), &change).ok(204);

    let (entries, text) = audit_entries(&app, &admin, "");
    for secret in [INITIAL_PASSWORD, SET_PASSWORD, WRONG_PASSWORD, CHOSEN_PASSWORD] {
        assert!(!text.contains(secret), "the audit log shows a password: {text}");
    }
    assert!(!text.contains("argon2"), "{text}");
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");

    let about_user =
        |kind: &str| entries.iter().filter(|e| e["type"] == kind && e["object_id"] == id).cloned().collect::<Vec<_>>();
    let created = about_user("user_created");
    assert_eq!(created.len(), 1, "{text}");
    assert_eq!(created[0]["actor_id"], admin_user.id);
    assert_eq!(created[0]["object_type"], "user");
    assert_eq!(created[0]["details"]["username"], "lan.nt");
    assert_eq!(created[0]["details"]["role"], "handler");
    assert!(chrono::DateTime::parse_from_rfc3339(created[0]["at"].as_str().unwrap()).is_ok());

    let updated = about_user("user_updated");
    assert_eq!(updated.len(), 1, "{text}");
    let details = &updated[0]["details"];
    assert_eq!(updated[0]["actor_id"], admin_user.id);
    assert_eq!(details["full_name"], json!({ "old": "Nguyễn Thị Lan", "new": "Nguyễn Lan" }));
    assert_eq!(details["role"], json!({ "old": "handler", "new": "head" }));
    assert_eq!(details["email"], json!({ "old": "lan.nt@example.gov.vn", "new": null }));
    assert!(details.get("active").is_none(), "unchanged fields are not listed: {details}");

    let set = about_user("password_set");
    assert_eq!(set.len(), 1, "{text}");
    assert_eq!(set[0]["actor_id"], admin_user.id);
    assert_eq!(about_user("password_changed").len(), 1, "{text}");
    assert_eq!(about_user("login_failed").len(), 1, "{text}");

    let (failures, _) = audit_entries(&app, &admin, "&type=login_failed");
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0]["object_id"], id);
    assert_eq!(failures[0]["details"]["username"], "lan.nt");

    let (by_admin, _) = audit_entries(&app, &admin, &format!("&actor_id={}", admin_user.id));
    assert!(!by_admin.is_empty());
    assert!(by_admin.iter().all(|e| e["actor_id"] == admin_user.id), "{by_admin:?}");
    let (long_ago, _) = audit_entries(&app, &admin, "&from=2000-01-01&to=2000-01-31");
    assert!(long_ago.is_empty(), "{long_ago:?}");
}

#[test]
fn heads_and_auditors_may_read_the_audit_log_and_no_one_else_but_admins() {
    let app = TestApp::spawn();
    for role in [Role::Admin, Role::Head, Role::Auditor] {
        let (_, token) = app.signed_in(role);
        let page = app.get("/api/v1/audit", Some(&token)).ok(200);
        assert!(!page["items"].as_array().unwrap().is_empty(), "{role}: {page}");
    }
    for role in [Role::Receptionist, Role::Handler] {
        let (_, token) = app.signed_in(role);
        app.get("/api/v1/audit", Some(&token)).problem(403, "forbidden");
    }
    app.get("/api/v1/audit", None).problem(401, "unauthorized");
}

#[test]
fn audit_filters_are_checked() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    let reversed = app.get("/api/v1/audit?from=2026-01-02&to=2026-01-01", Some(&admin));
    assert_eq!(invalid_fields(&reversed), ["to"]);
    app.get("/api/v1/audit?from=2026-01-01&to=2026-01-01", Some(&admin)).ok(200);
    assert_eq!(invalid_fields(&app.get("/api/v1/audit?from=01/02/2026", Some(&admin))), ["from"]);
    assert_eq!(invalid_fields(&app.get("/api/v1/audit?limit=201", Some(&admin))), ["limit"]);
    assert_eq!(invalid_fields(&app.get("/api/v1/audit?cursor=nope!", Some(&admin))), ["cursor"]);
}
