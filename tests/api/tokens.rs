//! Bearer tokens: each way a token can be wrong is refused with 401 (RFC 8725).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::helpers::{JWT_SECRET, TestApp};

fn sign(claims: &Value, key: &[u8], algorithm: Algorithm) -> String {
    let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
    let header = Header { typ: Some("JWT".into()), ..Header::new(algorithm) };
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(key).unwrap()).unwrap()
}

fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A signed-in user's real access token claims, to vary one at a time.
fn real_claims(app: &TestApp, role: Role) -> (Value, String, Value) {
    let user = app.create_user(role);
    let tokens = app.login(&user);
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    (payload(&access), access, tokens)
}

#[test]
fn tokens_carry_the_pinned_claims() {
    let app = TestApp::spawn();
    let (claims, access, tokens) = real_claims(&app, Role::Handler);
    assert_eq!(claims["iss"], "tiepdan");
    assert_eq!(claims["aud"], "tiepdan-api");
    assert_eq!(claims["typ"], "access");
    assert!(claims["sid"].as_str().is_some_and(|s| s.len() >= 32));
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 900);
    assert!(claims["nbf"].as_i64().unwrap() <= now());
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(access.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!(header["alg"], "HS256");
    let refresh = payload(tokens["refresh_token"].as_str().unwrap());
    assert_eq!(refresh["aud"], "tiepdan-refresh");
    assert_eq!(refresh["typ"], "refresh");
    assert_eq!(refresh["sid"], claims["sid"]);
}

#[test]
fn every_malformed_or_foreign_token_is_refused() {
    let app = TestApp::spawn();
    let (claims, _, tokens) = real_claims(&app, Role::Handler);
    let me = |token: &str| app.get("/api/v1/me", Some(token));
    let with = |changes: Value| {
        let mut c = claims.clone();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    };

    // The forging itself is sound: the unchanged claims, re-signed, are accepted.
    me(&sign(&claims, JWT_SECRET.as_bytes(), Algorithm::HS256)).ok(200);

    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let refused = [
        ("alg none", unsigned),
        ("wrong key", sign(&claims, b"some-other-secret-some-other-secret!!", Algorithm::HS256)),
        ("HS512 with the right key", sign(&claims, JWT_SECRET.as_bytes(), Algorithm::HS512)),
        ("wrong issuer", sign(&with(json!({ "iss": "someone-else" })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("wrong audience", sign(&with(json!({ "aud": "other-api" })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("refresh audience", sign(&with(json!({ "aud": "tiepdan-refresh" })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("missing audience", sign(&with(json!({ "aud": null })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("expired", sign(&with(json!({ "exp": now() - 120 })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("missing expiry", sign(&with(json!({ "exp": null })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("not yet valid", sign(&with(json!({ "nbf": now() + 600 })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("missing nbf", sign(&with(json!({ "nbf": null })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("refresh type", sign(&with(json!({ "typ": "refresh" })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("other subject", sign(&with(json!({ "sub": "1" })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("unknown session", sign(&with(json!({ "sid": "0".repeat(32) })), JWT_SECRET.as_bytes(), Algorithm::HS256)),
        ("refresh token as access", tokens["refresh_token"].as_str().unwrap().to_owned()),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (case, token) in refused {
        let response = me(&token);
        assert_eq!(response.status, 401, "{case}: {}", response.text);
        response.problem(401, "unauthorized");
        assert_eq!(response.header("www-authenticate").as_deref(), Some("Bearer"), "{case}");
    }
}

#[test]
fn only_the_authorization_header_carries_a_token() {
    let app = TestApp::spawn();
    let (_, access, _) = real_claims(&app, Role::Head);
    app.get(&format!("/api/v1/me?access_token={access}"), None).problem(401, "unauthorized");
    let basic = app.send(app.client.get(app.url("/api/v1/me")).header("authorization", format!("Basic {access}")));
    basic.problem(401, "unauthorized");
    let lowercase = app.send(app.client.get(app.url("/api/v1/me")).header("authorization", format!("bearer {access}")));
    lowercase.ok(200);
}

#[test]
fn a_deactivated_users_tokens_stop_working_at_once() {
    let app = TestApp::spawn();
    let (_, admin_token) = app.signed_in(Role::Admin);
    let (user, access) = app.signed_in(Role::Handler);
    app.get("/api/v1/me", Some(&access)).ok(200);
    app.patch(&format!("/api/v1/users/{}", user.id), Some(&admin_token), &json!({ "active": false })).ok(200);
    app.get("/api/v1/me", Some(&access)).problem(401, "unauthorized");
    // Even a token for a new session (forged with the right key) is refused for an inactive user.
    let mut claims = payload(&access);
    claims["sid"] = json!("f".repeat(32));
    app.get("/api/v1/me", Some(&sign(&claims, JWT_SECRET.as_bytes(), Algorithm::HS256))).problem(401, "unauthorized");
}

#[test]
fn a_role_change_takes_effect_on_the_next_request() {
    let app = TestApp::spawn();
    let (_, admin_token) = app.signed_in(Role::Admin);
    let (user, access) = app.signed_in(Role::Admin);
    app.get("/api/v1/users", Some(&access)).ok(200);
    app.patch(&format!("/api/v1/users/{}", user.id), Some(&admin_token), &json!({ "role": "auditor" })).ok(200);
    app.get("/api/v1/users", Some(&access)).problem(401, "unauthorized");
    let fresh = app.login(&user)["access_token"].as_str().unwrap().to_owned();
    app.get("/api/v1/users", Some(&fresh)).problem(403, "forbidden");
    assert_eq!(app.get("/api/v1/me", Some(&fresh)).ok(200)["role"], "auditor");
}
