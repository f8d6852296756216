//! The HTTP conventions every endpoint shares: security and caching headers, request ids,
//! problem documents, body handling, health and metrics, the vocabularies, the OpenAPI document,
//! the list shape, and that no secret leaks.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;
use tiepdan::domain::vocab::Role;

use crate::helpers::{JWT_SECRET, Response, TestApp};

fn delete(app: &TestApp, path: &str) -> Response {
    app.send(app.client.delete(app.url(path)))
}

fn login_body() -> Vec<u8> {
    serde_json::to_vec(&json!({ "username": "nobody", "password": "not a real password" })).unwrap()
}

#[test]
fn every_response_is_nosniff_with_a_request_id_and_api_answers_are_not_cached() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Handler);
    let responses: Vec<(&str, Response, u16)> = vec![
        ("/healthz", app.get("/healthz", None), 200),
        ("/readyz", app.get("/readyz", None), 200),
        ("/metrics", app.get("/metrics", None), 200),
        ("/nowhere", app.get("/nowhere", None), 404),
        ("/api/v1/meta", app.get("/api/v1/meta", None), 200),
        ("/api/v1/me", app.get("/api/v1/me", Some(&token)), 200),
        ("/api/v1/me", app.get("/api/v1/me", None), 401),
        ("/api/v1/users", app.get("/api/v1/users", Some(&token)), 403),
        ("/api/v1/nowhere", app.get("/api/v1/nowhere", None), 404),
        ("/api/v1/me", delete(&app, "/api/v1/me"), 405),
        ("/api/v1/auth/login", app.post("/api/v1/auth/login", None, &json!({ "username": "x" })), 422),
        ("/api/v1/auth/login", app.post_raw("/api/v1/auth/login", None, "application/json", b"{".to_vec()), 400),
        ("/api/v1/auth/login", app.post_raw("/api/v1/auth/login", None, "text/plain", login_body()), 415),
    ];
    for (path, response, status) in responses {
        assert_eq!(response.status, status, "{path}: {}", response.text);
        assert_eq!(response.header("x-content-type-options").as_deref(), Some("nosniff"), "{path} {status}");
        assert_eq!(
            response.header("strict-transport-security").as_deref(),
            Some("max-age=31536000; includeSubDomains"),
            "{path} {status}"
        );
        assert!(response.header("x-request-id").is_some_and(|id| !id.is_empty()), "{path} {status}");
        if path.starts_with("/api/v1/") {
            assert_eq!(response.header("cache-control").as_deref(), Some("no-store"), "{path} {status}");
        }
    }
}

#[test]
fn a_valid_request_id_is_echoed_and_any_other_is_replaced() {
    let app = TestApp::spawn();
    let with_id = |id: &str| app.send(app.client.get(app.url("/healthz")).header("x-request-id", id));
    assert_eq!(with_id("abc-123").header("x-request-id").as_deref(), Some("abc-123"));
    let unknown = app.send(app.client.get(app.url("/api/v1/nowhere")).header("x-request-id", "abc-123"));
    assert_eq!(unknown.header("x-request-id").as_deref(), Some("abc-123"));

    let too_long = "a".repeat(65);
    for bad in ["has spaces", "semi;colon", too_long.as_str()] {
        let echoed = with_id(bad).header("x-request-id").unwrap();
        assert_ne!(echoed, bad);
        assert!(!echoed.is_empty());
    }
    let first = app.get("/healthz", None).header("x-request-id").unwrap();
    let second = app.get("/healthz", None).header("x-request-id").unwrap();
    assert_ne!(first, second, "generated ids differ");
}

#[test]
fn errors_are_problem_documents() {
    let app = TestApp::spawn();
    let unauthorized = app.get("/api/v1/me", None);
    unauthorized.problem(401, "unauthorized");
    assert_eq!(unauthorized.header("www-authenticate").as_deref(), Some("Bearer"));
    app.get("/api/v1/me", Some("not.a.token")).problem(401, "unauthorized");

    let missing = app.post("/api/v1/auth/login", None, &json!({ "username": "x" })).problem(422, "validation_failed");
    assert_eq!(missing["title"], "Unprocessable Entity");
    assert_eq!(missing["errors"], json!([{ "field": "password", "message": "is required" }]));
    let wrong_type = app.post("/api/v1/auth/login", None, &json!({ "username": "x", "password": 7 }));
    assert_eq!(wrong_type.problem(422, "validation_failed")["errors"][0]["field"], "password");
    let not_an_object = app.post("/api/v1/auth/login", None, &json!("x"));
    assert_eq!(not_an_object.problem(422, "validation_failed")["errors"][0]["field"], "(body)");
}

#[test]
fn malformed_json_is_a_bad_request() {
    let app = TestApp::spawn();
    for body in ["{", "not json", "{\"username\": }", "{\"username\":\"x\",\"password\":\"y\"} trailing", ""] {
        let response = app.post_raw("/api/v1/auth/login", None, "application/json", body.as_bytes().to_vec());
        response.problem(400, "malformed_json");
    }
}

#[test]
fn bodies_must_be_declared_as_json() {
    let app = TestApp::spawn();
    let plain = app.post_raw("/api/v1/auth/login", None, "text/plain", login_body());
    plain.problem(415, "unsupported_media_type");
    let form = app.post_raw("/api/v1/auth/login", None, "application/x-www-form-urlencoded", b"username=x".to_vec());
    form.problem(415, "unsupported_media_type");
    let undeclared = app.send(app.client.post(app.url("/api/v1/auth/login")).body(login_body()));
    undeclared.problem(415, "unsupported_media_type");

    // The same bytes declared as JSON reach the handler.
    let declared = app.post_raw("/api/v1/auth/login", None, "application/json; charset=utf-8", login_body());
    declared.problem(401, "invalid_credentials");
}

#[test]
fn a_body_over_the_configured_limit_is_refused() {
    let app = TestApp::spawn_with(&[("TIEPDAN_MAX_BODY_BYTES", "2048")]);
    let padded = |bytes: usize| {
        let body = serde_json::to_vec(&json!({ "username": "x".repeat(bytes), "password": "not a real password" }));
        body.unwrap()
    };
    let large = padded(4096);
    assert!(large.len() > 4096);
    app.post_raw("/api/v1/auth/login", None, "application/json", large.clone()).problem(413, "payload_too_large");

    // Without a declared length the limit still holds while the body streams in.
    let streamed = reqwest::blocking::Body::new(std::io::Cursor::new(large));
    let request = app.client.post(app.url("/api/v1/auth/login")).header("content-type", "application/json");
    app.send(request.body(streamed)).problem(413, "payload_too_large");

    // Just under the limit, the request is served.
    let small = padded(1900);
    assert!(small.len() <= 2048);
    app.post_raw("/api/v1/auth/login", None, "application/json", small).problem(401, "invalid_credentials");
}

#[test]
fn unknown_routes_are_not_found_and_wrong_methods_not_allowed() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Admin);
    app.get("/api/v1/nowhere", Some(&token)).problem(404, "not_found");
    app.get("/api/v2/me", Some(&token)).problem(404, "not_found");
    app.get("/nowhere", None).problem(404, "not_found");
    app.post("/api/v1/me/nowhere", Some(&token), &json!({})).problem(404, "not_found");

    // Refused with the methods the resource has.
    let allowed = |response: Response| {
        response.problem(405, "method_not_allowed");
        let allow = response.header("allow").unwrap_or_default();
        let mut methods: Vec<&str> = allow.split(',').map(str::trim).collect();
        methods.sort_unstable();
        methods.join(", ")
    };
    assert_eq!(allowed(delete(&app, "/api/v1/me")), "GET");
    assert_eq!(allowed(app.send(app.client.delete(app.url("/api/v1/me")).bearer_auth(&token))), "GET");
    assert_eq!(allowed(app.get("/api/v1/auth/login", None)), "POST");
    assert_eq!(allowed(app.post("/healthz", None, &json!({}))), "GET");
    assert_eq!(allowed(app.patch("/api/v1/users", Some(&token), &json!({}))), "GET, POST");
}

#[test]
fn health_and_readiness_need_no_token() {
    let app = TestApp::spawn();
    let health = app.get("/healthz", None);
    assert_eq!(health.ok(200), json!({ "status": "ok" }));
    assert!(health.header("content-type").is_some_and(|t| t.starts_with("application/json")));
    assert_eq!(app.get("/readyz", None).ok(200), json!({ "status": "ok" }));
}

#[test]
fn metrics_count_requests_by_route_and_report_the_pool() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Handler);
    app.get("/api/v1/me", Some(&token)).ok(200);
    app.get("/api/v1/me", None).problem(401, "unauthorized");

    let response = app.get("/metrics", None);
    assert_eq!(response.status, 200);
    assert!(response.header("content-type").is_some_and(|t| t.starts_with("text/plain")));
    let text = &response.text;
    let request_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("tiepdan_http_requests_total{")).collect();
    let counted = |status: &str| {
        request_lines
            .iter()
            .any(|l| l.contains(r#"route="/api/v1/me""#) && l.contains(&format!(r#"status="{status}""#)))
    };
    assert!(counted("200") && counted("401"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("tiepdan_db_pool_connections ")), "{text}");
    assert!(text.contains("tiepdan_http_request_duration_seconds_bucket"), "{text}");
    // Routes are labelled by pattern, so an id in a path cannot grow the label set.
    app.get("/api/v1/users/12345", Some(&token)).problem(403, "forbidden");
    let after = app.get("/metrics", None).text;
    assert!(after.contains(r#"route="/api/v1/users/{id}""#), "{after}");
    assert!(!after.contains("12345"), "{after}");
}

#[test]
fn meta_lists_every_vocabulary_with_vietnamese_labels() {
    let app = TestApp::spawn();
    let meta = app.get("/api/v1/meta", None).ok(200);
    let terms = |name: &str| -> BTreeMap<String, String> {
        meta[name]
            .as_array()
            .unwrap_or_else(|| panic!("{name} missing from {meta}"))
            .iter()
            .map(|t| (t["value"].as_str().unwrap().to_owned(), t["label"].as_str().unwrap().to_owned()))
            .collect()
    };
    let kinds = terms("kinds");
    assert_eq!(kinds.len(), 4);
    assert_eq!(kinds["complaint"], "Khiếu nại");
    assert_eq!(kinds["denunciation"], "Tố cáo");
    assert_eq!(kinds["petition"], "Kiến nghị");
    assert_eq!(kinds["feedback"], "Phản ánh");
    assert_eq!(terms("statuses").len(), 11);
    assert_eq!(terms("actions").len(), 14);
    let roles = terms("roles");
    assert_eq!(
        roles.keys().map(String::as_str).collect::<Vec<_>>(),
        ["admin", "auditor", "handler", "head", "receptionist"]
    );
    assert_eq!(roles["receptionist"], "Cán bộ tiếp công dân");
    for name in ["fields", "outcomes", "person_roles", "sources", "genders"] {
        assert!(!terms(name).is_empty(), "{name}");
    }
    // Grounds are one list like the others, each ground with its purpose.
    let grounds = meta["grounds"].as_array().expect("grounds is a list");
    let of = |purpose: &str| -> Vec<&str> {
        grounds.iter().filter(|g| g["purpose"] == purpose).map(|g| g["value"].as_str().unwrap()).collect()
    };
    assert_eq!(of("file"), ["ineligible", "duplicate", "already_resolved", "anonymous"]);
    assert_eq!(of("visit_refusal"), ["1", "2", "3", "4"]);
    for purpose in ["reject_complaint", "reject_denunciation", "reject_petition", "suspension", "termination"] {
        assert!(!of(purpose).is_empty(), "grounds for {purpose}");
    }
    assert!(of("reject_complaint").contains(&"unlawful_representative"));
    assert!(grounds.iter().all(|g| g["label"].as_str().is_some_and(|l| !l.trim().is_empty())), "{grounds:?}");
    let every_label =
        ["kinds", "statuses", "actions", "roles", "outcomes"].into_iter().flat_map(|n| terms(n).into_values());
    for label in every_label {
        assert!(!label.trim().is_empty());
    }
}

/// The methods each route of the server answers, as the OpenAPI document must list them.
pub(crate) const ROUTES: &[(&str, &[&str])] = &[
    ("/healthz", &["get"]),
    ("/readyz", &["get"]),
    ("/metrics", &["get"]),
    ("/api/v1/meta", &["get"]),
    ("/api/v1/openapi.json", &["get"]),
    ("/api/v1/auth/login", &["post"]),
    ("/api/v1/auth/refresh", &["post"]),
    ("/api/v1/auth/logout", &["post"]),
    ("/api/v1/me", &["get"]),
    ("/api/v1/me/password", &["post"]),
    ("/api/v1/users", &["get", "post"]),
    ("/api/v1/users/{id}", &["get", "patch"]),
    ("/api/v1/users/{id}/password", &["post"]),
    ("/api/v1/audit", &["get"]),
    ("/api/v1/notifications", &["get"]),
    ("/api/v1/citizens", &["get", "post"]),
    ("/api/v1/citizens/{id}", &["get", "patch"]),
    ("/api/v1/citizens/{id}/cases", &["get"]),
    ("/api/v1/cases", &["get", "post"]),
    ("/api/v1/cases/{id}", &["get", "patch"]),
    ("/api/v1/cases/{id}/assignment", &["post"]),
    ("/api/v1/cases/{id}/notes", &["post"]),
    ("/api/v1/cases/{id}/timeline", &["get"]),
    ("/api/v1/cases/{id}/intakes", &["get", "post"]),
    ("/api/v1/cases/{id}/transitions", &["post"]),
    ("/api/v1/cases/{id}/split", &["post"]),
    ("/api/v1/cases/{id}/follow-ups", &["post"]),
    ("/api/v1/cases/{id}/deadlines/explain", &["get"]),
    ("/api/v1/calendar/{year}", &["get", "put"]),
    ("/api/v1/calendar/add", &["get"]),
    ("/api/v1/cases/{id}/dialogues", &["post"]),
    ("/api/v1/dialogues", &["get"]),
    ("/api/v1/dialogues/{id}", &["get", "patch"]),
    ("/api/v1/visits", &["get", "post"]),
    ("/api/v1/visits/{id}", &["get"]),
    ("/api/v1/reports/backlog", &["get"]),
    ("/api/v1/reports/prolonged", &["get"]),
    ("/api/v1/reports/period", &["get"]),
];

const PUBLIC_ROUTES: &[&str] = &[
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/v1/meta",
    "/api/v1/openapi.json",
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
];

const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[test]
fn the_openapi_document_describes_every_route() {
    let app = TestApp::spawn();
    let response = app.get("/api/v1/openapi.json", None);
    let doc = response.ok(200);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
    assert!(doc["info"]["title"].as_str().is_some_and(|t| !t.is_empty()));
    let schemas = doc["components"]["schemas"].as_object().expect("component schemas");
    assert!(schemas.contains_key("Problem"), "{:?}", schemas.keys());
    let bearer = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!((&bearer["type"], &bearer["scheme"]), (&json!("http"), &json!("bearer")), "{bearer}");

    let paths = doc["paths"].as_object().expect("paths");
    for (path, methods) in ROUTES {
        let item = paths.get(*path).unwrap_or_else(|| panic!("{path} is not documented"));
        let documented: BTreeSet<&str> =
            item.as_object().unwrap().keys().map(String::as_str).filter(|k| HTTP_METHODS.contains(k)).collect();
        assert_eq!(documented, methods.iter().copied().collect(), "{path}");
        for method in *methods {
            let operation = &item[*method];
            let responses = operation["responses"].as_object().unwrap_or_else(|| panic!("{method} {path}"));
            assert!(!responses.is_empty(), "{method} {path} documents no response");
            let secured = operation["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            assert_eq!(secured, !PUBLIC_ROUTES.contains(path), "{method} {path}: bearer security");
            if let Some(body) = operation.get("requestBody") {
                let reference = body["content"]["application/json"]["schema"]["$ref"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path}: request body without a schema: {body}"));
                let name = reference.strip_prefix("#/components/schemas/").expect("a component reference");
                assert!(schemas.contains_key(name), "{method} {path}: {reference} is not a component");
            }
        }
    }
    for (path, method) in [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/me/password", "post"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "patch"),
        ("/api/v1/users/{id}/password", "post"),
        ("/api/v1/citizens", "post"),
        ("/api/v1/citizens/{id}", "patch"),
        ("/api/v1/cases", "post"),
        ("/api/v1/cases/{id}", "patch"),
        ("/api/v1/cases/{id}/assignment", "post"),
        ("/api/v1/cases/{id}/notes", "post"),
        ("/api/v1/cases/{id}/intakes", "post"),
        ("/api/v1/cases/{id}/transitions", "post"),
        ("/api/v1/cases/{id}/split", "post"),
        ("/api/v1/cases/{id}/follow-ups", "post"),
        ("/api/v1/calendar/{year}", "put"),
        ("/api/v1/visits", "post"),
        ("/api/v1/cases/{id}/dialogues", "post"),
        ("/api/v1/dialogues/{id}", "patch"),
    ] {
        assert!(paths[path][method].get("requestBody").is_some(), "{method} {path} documents no request body");
    }
    let undocumented_routes: Vec<&String> =
        paths.keys().filter(|p| !ROUTES.iter().any(|(route, _)| route == p)).collect();
    assert!(undocumented_routes.is_empty(), "documented paths the server lacks: {undocumented_routes:?}");
}

#[test]
fn lists_answer_items_and_next_cursor_only() {
    let app = TestApp::spawn();
    let (_, admin) = app.signed_in(Role::Admin);
    for path in [
        "/api/v1/users",
        "/api/v1/users?limit=1",
        "/api/v1/audit",
        "/api/v1/audit?limit=1",
        "/api/v1/citizens",
        "/api/v1/cases",
    ] {
        let page = app.get(path, Some(&admin)).ok(200);
        let keys: Vec<&str> = page.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.iter().copied().collect::<BTreeSet<_>>(), BTreeSet::from(["items", "next_cursor"]), "{path}");
        assert!(page["items"].is_array(), "{path}");
        let has_more = path.ends_with("limit=1");
        assert_eq!(page["next_cursor"].is_string(), has_more, "{path}: {page}");
        assert!(has_more || page["next_cursor"].is_null(), "{path}: {page}");
    }
}

#[test]
fn the_signing_secret_never_appears_in_responses() {
    let app = TestApp::spawn();
    let (user, token) = app.signed_in(Role::Admin);
    let tokens = app.login_response(&user.username, &user.password);
    let responses = [
        app.get("/metrics", None),
        app.get("/api/v1/meta", None),
        app.get("/api/v1/openapi.json", None),
        app.get("/api/v1/me", Some(&token)),
        app.get("/api/v1/audit?limit=200", Some(&token)),
        tokens,
    ];
    for response in responses {
        assert_eq!(response.status, 200, "{}", response.text);
        assert!(!response.text.contains(JWT_SECRET), "the secret leaked: {}", response.text);
    }
}

#[test]
fn public_documents_need_no_token_and_the_rest_does() {
    let app = TestApp::spawn();
    for path in ["/healthz", "/readyz", "/metrics", "/api/v1/meta", "/api/v1/openapi.json"] {
        assert_eq!(app.get(path, None).status, 200, "{path}");
    }
    for path in ["/api/v1/me", "/api/v1/users", "/api/v1/users/1", "/api/v1/audit"] {
        app.get(path, None).problem(401, "unauthorized");
    }
    app.get("/api/v1/me", Some("eyJhbGciOiJIUzI1NiJ9.e30.forged")).problem(401, "unauthorized");
    app.post_empty("/api/v1/auth/logout", None).problem(401, "unauthorized");
}

#[test]
fn dates_at_the_ends_of_the_calendar_are_refused_never_failed_on() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let (_, admin) = app.signed_in(Role::Admin);
    let citizen = crate::cases::citizen(&app, &head, "Lê Thị Hoa", "079300000777", "0905000777");
    let field_of = |response: Response| response.problem(422, "validation_failed")["errors"][0]["field"].clone();

    // Date filters name the years 1900 to 9999: chrono reads further than the databases compare.
    for (path, field) in [
        ("/api/v1/visits?from=-262143-01-01", "from"),
        ("/api/v1/dialogues?to=%2B262142-12-31", "to"),
        ("/api/v1/cases?due_before=-262143-01-01", "due_before"),
        ("/api/v1/cases?received_from=1899-12-31", "received_from"),
        ("/api/v1/cases?received_to=%2B10000-01-01", "received_to"),
    ] {
        assert_eq!(field_of(app.get(path, Some(&head))), field, "{path}");
    }
    assert_eq!(field_of(app.get("/api/v1/audit?from=-262143-01-01", Some(&admin))), "from");
    app.get("/api/v1/visits?from=1900-01-01&to=9999-12-31", Some(&head)).ok(200);

    // A receipt before 2000 is refused, as one in the future is.
    let mut old = crate::cases::complaint(citizen);
    old["received_at"] = json!("1999-12-31T16:59:59Z");
    assert_eq!(field_of(app.post("/api/v1/cases", Some(&head), &old)), "received_at");

    // A date on a step more than a year ahead is refused, not counted on.
    let case = app.post("/api/v1/cases", Some(&head), &crate::cases::denunciation(citizen)).ok(201);
    for far in ["9999-12-31", "+262142-12-31"] {
        let accept = json!({ "action": "accept", "decision_no": "01/QĐ", "accepted_on": far });
        assert_eq!(field_of(crate::cases::act(&app, &head, &case, accept)), "accepted_on");
    }
    let accept = json!({ "action": "accept", "decision_no": "01/QĐ", "accepted_on": "2026-11-25" });
    let case = crate::cases::act(&app, &head, &case, accept).ok(200);
    let suspend = json!({ "action": "suspend", "ground": "awaiting_other_body", "document_no": "02/QĐ",
                          "effective_on": "2026-11-26" });
    let case = crate::cases::act(&app, &head, &case, suspend).ok(200);
    let resume = json!({ "action": "resume", "document_no": "03/QĐ", "effective_on": "9999-12-31" });
    assert_eq!(field_of(crate::cases::act(&app, &head, &case, resume)), "effective_on");
}

#[test]
fn control_characters_in_a_query_string_are_refused_naming_the_parameter() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let (_, admin) = app.signed_in(Role::Admin);
    let field_of = |response: Response| response.problem(422, "validation_failed")["errors"][0]["field"].clone();
    for (path, token, field) in [
        ("/api/v1/cases?q=a%00b", &head, "q"),
        ("/api/v1/cases?status=received&locality=Tr%E1%BA%A7n%01Ph%C3%BA", &head, "locality"),
        ("/api/v1/citizens?q=%00", &head, "q"),
        ("/api/v1/audit?type=login%00failed", &admin, "type"),
    ] {
        assert_eq!(field_of(app.get(path, Some(token))), field, "{path}");
    }
    // The same searches without them are answered.
    app.get("/api/v1/cases?q=ab&locality=Tr%E1%BA%A7n%20Ph%C3%BA", Some(&head)).ok(200);
    app.get("/api/v1/citizens?q=Nguy%E1%BB%85n", Some(&head)).ok(200);
}

/// A fault of the server answers 500 with a problem that names nothing inside (no SQL, table or
/// driver message), and the request id to quote in its header; the cause goes to the log only.
#[test]
fn a_fault_is_a_500_problem_that_shows_no_internals() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let citizen = crate::cases::citizen(&app, &head, "Nguyễn Văn An", "079123456789", "0912345678");
    app.post("/api/v1/cases", Some(&head), &crate::cases::complaint(citizen)).ok(201);
    // What only a damaged database does: a table every case view reads is gone.
    app.ctx
        .db
        .write(|conn| {
            diesel::sql_query("DROP TABLE case_suspensions").execute(conn).map_err(tiepdan::persistence::DbError::from)
        })
        .unwrap();
    let response =
        app.send(app.client.get(app.url("/api/v1/cases")).bearer_auth(&head).header("x-request-id", "fault-1"));
    let problem = response.problem(500, "internal_error");
    assert_eq!(response.header("x-request-id").as_deref(), Some("fault-1"));
    let text = response.text.to_lowercase();
    for internal in ["case_suspensions", "sql", "table", "diesel", "database error", "no such", "does not exist"] {
        assert!(!text.contains(internal), "{internal}: {problem}");
    }
}
