//! Case records over HTTP: creation, codes, access by role, denouncer confidentiality, optimistic
//! locking, idempotent creation, the list and its filters, notes, intakes and the timeline.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::helpers::{Response, TestApp};

/// A citizen registered by `token`; returns the id.
pub fn citizen(app: &TestApp, token: &str, name: &str, id_number: &str, phone: &str) -> i64 {
    let body = json!({
        "full_name": name,
        "id_number": id_number,
        "address": "Số 5 đường Lê Lợi, phường Trần Phú, Quảng Ngãi",
        "phone": phone,
        "email": format!("{id_number}@example.vn"),
    });
    app.post("/api/v1/citizens", Some(token), &body).ok(201)["id"].as_i64().unwrap()
}

pub fn complaint(citizen_id: i64) -> Value {
    json!({
        "kind": "complaint",
        "field": "land_housing",
        "locality": "Phường Trần Phú",
        "title": "Khiếu nại quyết định thu hồi đất",
        "summary": "Ông khiếu nại Quyết định số 12/QĐ-UBND về thu hồi đất ở",
        "source": "walk_in",
        "received_at": "2026-11-20T02:00:00Z",
        "people": [{ "citizen_id": citizen_id, "role": "complainant" }],
        "respondent": "UBND phường Trần Phú",
    })
}

pub fn denunciation(citizen_id: i64) -> Value {
    json!({
        "kind": "denunciation",
        "field": "corruption",
        "title": "Tố cáo cán bộ địa chính nhận tiền",
        "summary": "Tố cáo ông X, cán bộ địa chính xã, nhận tiền để làm sổ đỏ",
        "source": "post",
        "received_at": "2026-11-21T02:00:00Z",
        "people": [{ "citizen_id": citizen_id, "role": "denouncer" }],
        "respondent": "Ông X, cán bộ địa chính xã Tịnh Hòa",
    })
}

fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    app.post("/api/v1/cases", Some(token), body).ok(201)
}

fn with_if_match(app: &TestApp, request: reqwest::blocking::RequestBuilder, version: &str) -> Response {
    app.send(request.header("If-Match", version))
}

/// `POST /cases/{id}/transitions` with the case's version in `If-Match`.
pub fn act(app: &TestApp, token: &str, case: &Value, command: Value) -> Response {
    let id = case["id"].as_i64().unwrap();
    let request = app.client.post(app.url(&format!("/api/v1/cases/{id}/transitions"))).bearer_auth(token);
    with_if_match(app, request.json(&command), &format!("\"{}\"", case["version"]))
}

/// Every page of `GET /cases?{query}`, following `next_cursor` to the end.
fn every_page(app: &TestApp, token: &str, query: &str) -> Vec<Response> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/cases?{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = app.get(&path, Some(token));
        cursor = page.ok(200)["next_cursor"].as_str().map(str::to_owned);
        pages.push(page);
        if cursor.is_none() {
            return pages;
        }
    }
}

fn assign(app: &TestApp, head: &str, case: &Value, assignee: i64) -> Value {
    let id = case["id"].as_i64().unwrap();
    let request = app.client.post(app.url(&format!("/api/v1/cases/{id}/assignment"))).bearer_auth(head);
    let version = format!("\"{}\"", case["version"]);
    with_if_match(app, request.json(&json!({ "assignee_id": assignee })), &version).ok(200)
}

fn patch(app: &TestApp, token: &str, id: i64, version: &str, body: &Value) -> Response {
    let request = app.client.patch(app.url(&format!("/api/v1/cases/{id}"))).bearer_auth(token).json(body);
    with_if_match(app, request, version)
}

#[test]
fn a_receptionist_records_a_complaint_with_its_clocks() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let an = citizen(&app, &desk, "Nguyễn Văn An", "079123456789", "0912345678");
    let response = app.post("/api/v1/cases", Some(&desk), &complaint(an));
    let case = response.ok(201);
    let id = case["id"].as_i64().unwrap();
    assert_eq!(response.header("location"), Some(format!("/api/v1/cases/{id}")));
    assert_eq!(response.header("etag"), Some("\"1\"".to_owned()));
    assert_eq!(case["code"], "KN-2026-000001");
    assert_eq!(case["status"], "received");
    assert_eq!(case["round"], 1);
    assert_eq!(case["version"], 1);
    assert_eq!(case["assignee"], Value::Null);
    assert_eq!(case["intakes"], 1);
    assert_eq!(case["people"][0]["full_name"], "Nguyễn Văn An");
    assert_eq!(case["people"][0]["role"], "complainant");
    // Received Friday 20 Nov 2026 (09:00 in Vietnam): processing 10 working days and complaint
    // acceptance 10 working days (rule set 2026-07: 7) from the next day.
    let clocks: Vec<_> = case["deadlines"].as_array().unwrap().iter().map(|d| d["clock"].as_str().unwrap()).collect();
    assert_eq!(clocks, ["processing", "acceptance"]);
    assert_eq!(case["deadlines"][0]["due_on"], "2026-12-04");
    assert_eq!(case["deadlines"][0]["unit"], "working");
    assert_eq!(case["deadlines"][1]["due_on"], "2026-12-01");
    assert_eq!(case["deadlines"][1]["term"], 7);
    assert_eq!(case["due_on"], "2026-12-01");
    for flag in [
        "complex",
        "very_complex",
        "remote_area",
        "multi_site",
        "central_list",
        "mass",
        "repeat",
        "prolonged",
        "filed_late",
    ] {
        assert_eq!(case["flags"][flag], false, "{flag}");
    }
    // Receptionists take no workflow action.
    assert_eq!(case["allowed_actions"], json!([]));

    let read = app.get(&format!("/api/v1/cases/{id}"), Some(&desk));
    assert_eq!(read.header("etag"), Some("\"1\"".to_owned()));
    assert_eq!(read.ok(200)["code"], "KN-2026-000001");
    let second = create(&app, &desk, &complaint(an));
    assert_eq!(second["code"], "KN-2026-000002");
    let petition = create(
        &app,
        &desk,
        &json!({
            "kind": "feedback", "field": "policy", "title": "Phản ánh chậm chi trả trợ cấp", "summary": "…",
            "source": "online", "received_at": "2026-11-22T02:00:00Z",
            "people": [{ "citizen_id": an, "role": "petitioner" }], "respondent": "Phòng Lao động",
        }),
    );
    assert_eq!(petition["code"], "KNPA-2026-000001");
    let clocks: Vec<_> = petition["deadlines"].as_array().unwrap().iter().map(|d| d["clock"].clone()).collect();
    assert_eq!(clocks, [json!("processing")]);
}

#[test]
fn who_sees_and_changes_which_case() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let (_, other_desk) = app.signed_in(Role::Receptionist);
    let (handler, handler_token) = app.signed_in(Role::Handler);
    let (_, other_handler) = app.signed_in(Role::Handler);
    let (_, head) = app.signed_in(Role::Head);
    let (_, auditor) = app.signed_in(Role::Auditor);
    let (_, admin) = app.signed_in(Role::Admin);
    let an = citizen(&app, &desk, "Nguyễn Văn An", "079123456789", "0912345678");
    let case = create(&app, &desk, &complaint(an));
    let id = case["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}");

    // Unassigned: every handler sees it in the queue; the other receptionist does not.
    for token in [&desk, &handler_token, &other_handler, &head, &auditor, &admin] {
        app.get(&path, Some(token)).ok(200);
    }
    app.get(&path, Some(&other_desk)).problem(404, "not_found");
    // A queue case is seen but not worked until assigned.
    patch(&app, &handler_token, id, "\"1\"", &json!({ "title": "x y z" })).problem(403, "forbidden");

    let assigned = assign(&app, &head, &case, handler.id);
    assert_eq!(assigned["assignee"]["id"], handler.id);
    assert_eq!(assigned["version"], 2);
    assert!(assigned["allowed_actions"].as_array().unwrap().contains(&json!("accept")));
    // Now only the assignee among handlers sees it.
    app.get(&path, Some(&other_handler)).problem(404, "not_found");
    let mine = app.get("/api/v1/cases?assignee_id=me", Some(&handler_token)).ok(200);
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine["items"][0]["id"], id);
    let handler_view = app.get(&path, Some(&handler_token)).ok(200);
    for action in ["file", "guide", "transfer"] {
        assert!(handler_view["allowed_actions"].as_array().unwrap().contains(&json!(action)), "{action}");
    }
    assert!(!handler_view["allowed_actions"].as_array().unwrap().contains(&json!("accept")), "accept is the head's");

    // Auditors and admins read only; the creating receptionist edits while received.
    patch(&app, &auditor, id, "\"2\"", &json!({ "title": "Sửa" })).problem(403, "forbidden");
    patch(&app, &admin, id, "\"2\"", &json!({ "title": "Sửa" })).problem(403, "forbidden");
    let edited = patch(&app, &desk, id, "\"2\"", &json!({ "title": "Khiếu nại việc thu hồi đất" })).ok(200);
    assert_eq!(edited["title"], "Khiếu nại việc thu hồi đất");
    assert_eq!(edited["version"], 3);
    let edited =
        patch(&app, &handler_token, id, "\"3\"", &json!({ "locality": null, "flags": { "remote_area": true } }));
    let edited = edited.ok(200);
    assert_eq!(edited["locality"], Value::Null);
    assert_eq!(edited["flags"]["remote_area"], true);

    // Only heads assign; the assignee must be an active handler or head.
    let request = app.client.post(app.url(&format!("{path}/assignment"))).bearer_auth(&handler_token);
    with_if_match(&app, request.json(&json!({ "assignee_id": handler.id })), "\"4\"").problem(403, "forbidden");
    let request = app.client.post(app.url(&format!("{path}/assignment"))).bearer_auth(&head);
    let refused = with_if_match(&app, request.json(&json!({ "assignee_id": 1 })), "\"4\"");
    assert_eq!(refused.problem(422, "validation_failed")["errors"][0]["field"], "assignee_id");

    // Notes: receptionists, handlers and heads who see the case; auditors are read-only.
    let note = app.post(&format!("{path}/notes"), Some(&desk), &json!({ "text": "Công dân bổ sung giấy tờ" })).ok(201);
    assert_eq!(note["type"], "note");
    assert_eq!(note["data"]["text"], "Công dân bổ sung giấy tờ");
    app.post(&format!("{path}/notes"), Some(&auditor), &json!({ "text": "x" })).problem(403, "forbidden");
    let empty = app.post(&format!("{path}/notes"), Some(&head), &json!({ "text": "  " }));
    assert_eq!(empty.problem(422, "validation_failed")["errors"][0]["field"], "text");

    let timeline = app.get(&format!("{path}/timeline"), Some(&auditor)).ok(200);
    let types: Vec<_> = timeline["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["created", "assigned", "edited", "edited", "note"]);
    let edit = &timeline["items"][2];
    assert_eq!(edit["data"]["changes"]["title"]["old"], "Khiếu nại quyết định thu hồi đất");
    assert_eq!(edit["data"]["changes"]["title"]["new"], "Khiếu nại việc thu hồi đất");
    assert_eq!(timeline["items"][1]["data"]["to"]["id"], handler.id);
    assert!(timeline["items"].as_array().unwrap().iter().all(|e| e["case_code"] == "KN-2026-000001"));
    app.get("/api/v1/cases/999999", Some(&head)).problem(404, "not_found");
}

#[test]
fn a_denouncer_is_known_only_to_the_assigned_handler_and_heads() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let (handler, handler_token) = app.signed_in(Role::Handler);
    let (_, queue_handler) = app.signed_in(Role::Handler);
    let (head_user, head) = app.signed_in(Role::Head);
    let (_, auditor) = app.signed_in(Role::Auditor);
    let (_, admin) = app.signed_in(Role::Admin);
    let name = "Trần Thị Bí Mật";
    let id_number = "001987654321";
    let phone = "0987654321";
    let email = format!("{id_number}@example.vn");
    let secret_citizen = citizen(&app, &desk, name, id_number, phone);
    let secrets = [name.to_owned(), id_number.to_owned(), phone.to_owned(), email.clone()];
    let leaks = |text: &str| secrets.iter().filter(|s| text.contains(s.as_str())).cloned().collect::<Vec<_>>();

    // The recording receptionist sees the person once, in the answer to the create call.
    let created = create(&app, &desk, &denunciation(secret_citizen));
    assert_eq!(created["people"][0]["full_name"], name);
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}");

    let redacted_for = |token: &str| {
        let text = app.get(&path, Some(token)).ok(200).to_string();
        assert!(leaks(&text).is_empty(), "leaked {:?}", leaks(&text));
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["people"], json!([{ "role": "denouncer", "redacted": true, "alias": "Người tố cáo 1" }]));
    };
    for token in [&desk, &queue_handler, &auditor, &admin] {
        redacted_for(token);
    }
    let assigned = assign(&app, &head, &created, handler.id);
    assert_eq!(assigned["people"][0]["full_name"], name, "heads see the denouncer");
    let by_handler = app.get(&path, Some(&handler_token)).ok(200);
    assert_eq!(by_handler["people"][0]["id_number"], id_number);
    for token in [&desk, &auditor, &admin] {
        redacted_for(token);
    }

    // Lists, the timeline, the citizen's cases and citizen search reveal nothing either.
    for token in [&desk, &auditor, &admin] {
        for list_path in [
            "/api/v1/cases".to_owned(),
            "/api/v1/cases?kind=denunciation".to_owned(),
            format!("{path}/timeline"),
            format!("{path}/timeline?include_related=true"),
            format!("{path}/intakes"),
        ] {
            let text = app.get(&list_path, Some(token)).ok(200).to_string();
            assert!(leaks(&text).is_empty(), "{list_path} leaked {:?}", leaks(&text));
        }
        let theirs = app.get(&format!("/api/v1/citizens/{secret_citizen}/cases"), Some(token)).ok(200);
        assert_eq!(theirs["items"], json!([]), "the citizen's part in a denunciation stays hidden");
    }
    let theirs = app.get(&format!("/api/v1/citizens/{secret_citizen}/cases"), Some(&head)).ok(200);
    assert_eq!(theirs["items"][0]["id"], id);
    let listed = app.get("/api/v1/cases?kind=denunciation", Some(&auditor)).ok(200);
    assert_eq!(listed["items"][0]["people"][0]["alias"], "Người tố cáo 1");

    // A page of the list that shows the denouncer writes one entry for the one case it shows.
    let disclosed = |app: &TestApp| {
        let path = format!("/api/v1/audit?type=identity_disclosed&actor_id={}&limit=200", head_user.id);
        app.get(&path, Some(&head)).ok(200)["items"].as_array().unwrap().clone()
    };
    let before = disclosed(&app);
    let listed = app.get("/api/v1/cases?kind=denunciation", Some(&head)).ok(200);
    assert_eq!(listed["items"][0]["people"][0]["full_name"], name);
    let after = disclosed(&app);
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert_eq!(after[0]["object_id"], id, "the newest entry is the page's");
    assert_eq!(after[0]["details"]["case_code"], created["code"]);
    assert!(after[0]["id"].as_i64() > before.first().and_then(|e| e["id"].as_i64()));

    // Every disclosure is audited, and the audit log itself carries no identity.
    let audit = app.get("/api/v1/audit?type=identity_disclosed", Some(&head)).ok(200);
    let disclosures = audit["items"].as_array().unwrap();
    assert!(disclosures.len() >= 3, "{audit}");
    assert!(disclosures.iter().all(|e| e["object_id"] == id));
    assert!(disclosures.iter().any(|e| e["actor_id"] == handler.id));
    assert!(leaks(&app.get("/api/v1/audit", Some(&head)).ok(200).to_string()).is_empty());
    // Errors carry no identity either.
    let refused = patch(&app, &auditor, id, "\"2\"", &json!({ "title": "x" }));
    assert!(leaks(&refused.text).is_empty());
}

#[test]
fn changes_need_the_current_version() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let an = citizen(&app, &head, "Lê Văn Cường", "079000000001", "0911111111");
    let case = create(&app, &head, &complaint(an));
    let id = case["id"].as_i64().unwrap();

    let missing = app.patch(&format!("/api/v1/cases/{id}"), Some(&head), &json!({ "title": "Mới" }));
    missing.problem(428, "precondition_required");
    let missing = app.post(&format!("/api/v1/cases/{id}/assignment"), Some(&head), &json!({ "assignee_id": null }));
    missing.problem(428, "precondition_required");
    let ok = patch(&app, &head, id, "\"1\"", &json!({ "title": "Mới" }));
    assert_eq!(ok.header("etag"), Some("\"2\"".to_owned()));
    let stale = patch(&app, &head, id, "\"1\"", &json!({ "title": "Cũ" })).problem(412, "precondition_failed");
    assert_eq!(stale["current_version"], 2);
    // If-Match compares strongly: a weak tag never matches (RFC 9110 §13.1.1).
    patch(&app, &head, id, "W/\"2\"", &json!({ "title": "Cũ" })).problem(412, "precondition_failed");
    patch(&app, &head, id, "2", &json!({ "title": "Cũ" })).ok(200);
    patch(&app, &head, id, "garbage", &json!({ "title": "Cũ" })).problem(412, "precondition_failed");
}

#[test]
fn twenty_parallel_patches_with_one_version_give_exactly_one_success() {
    let app = Arc::new(TestApp::spawn());
    let (_, head) = app.signed_in(Role::Head);
    let an = citizen(&app, &head, "Lê Văn Cường", "079000000001", "0911111111");
    let id = create(&app, &head, &complaint(an))["id"].as_i64().unwrap();
    let threads: Vec<_> = (0..20)
        .map(|i| {
            let (app, head) = (app.clone(), head.clone());
            std::thread::spawn(move || {
                patch(&app, &head, id, "\"1\"", &json!({ "title": format!("Tiêu đề {i}") })).status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 412).count(), 19, "{statuses:?}");
    let timeline = app.get(&format!("/api/v1/cases/{id}/timeline"), Some(&head)).ok(200);
    assert_eq!(timeline["items"].as_array().unwrap().len(), 2, "one creation, one edit");
}

#[test]
fn parallel_creations_get_consecutive_codes() {
    let app = Arc::new(TestApp::spawn());
    let (_, head) = app.signed_in(Role::Head);
    let an = citizen(&app, &head, "Lê Văn Cường", "079000000001", "0911111111");
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let (app, head) = (app.clone(), head.clone());
            std::thread::spawn(move || create(&app, &head, &complaint(an))["code"].as_str().unwrap().to_owned())
        })
        .collect();
    let mut codes: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    codes.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("KN-2026-{n:06}")).collect();
    assert_eq!(codes, expected);
}

#[test]
fn an_idempotent_creation_happens_once() {
    let app = Arc::new(TestApp::spawn());
    let (_, desk) = app.signed_in(Role::Receptionist);
    let an = citizen(&app, &desk, "Phạm Thị Dung", "079000000002", "0922222222");
    let body = complaint(an);
    let send = |app: &TestApp, key: &str, body: &Value| {
        app.send(app.client.post(app.url("/api/v1/cases")).bearer_auth(&desk).header("Idempotency-Key", key).json(body))
    };
    let first = send(&app, "k-1", &body);
    let first_body = first.ok(201);
    let again = send(&app, "k-1", &body);
    assert_eq!(again.status, 201);
    assert_eq!(again.json(), first_body, "the first response is replayed");
    assert_eq!(again.header("location"), first.header("location"));
    let mut different = body.clone();
    different["title"] = json!("Một nội dung khác");
    let reused = send(&app, "k-1", &different);
    reused.problem(422, "idempotency_key_reused");

    let threads: Vec<_> = (0..8)
        .map(|_| {
            let app = app.clone();
            let body = body.clone();
            let desk = desk.clone();
            std::thread::spawn(move || {
                let r = app.send(
                    app.client
                        .post(app.url("/api/v1/cases"))
                        .bearer_auth(&desk)
                        .header("Idempotency-Key", "k-2")
                        .json(&body),
                );
                (r.status, r.json()["code"].clone())
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(results.iter().all(|(status, _)| *status == 201), "{results:?}");
    let codes: HashSet<_> = results.iter().map(|(_, code)| code.to_string()).collect();
    assert_eq!(codes.len(), 1, "one case for one key: {results:?}");
    let all = app.get("/api/v1/cases?limit=200", Some(&desk)).ok(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
}

#[test]
fn every_invalid_field_is_named() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let an = citizen(&app, &desk, "Phạm Thị Dung", "079000000002", "0922222222");
    let cases = [
        ("kind", json!("lawsuit"), "kind"),
        ("field", json!("space"), "field"),
        ("source", json!("pigeon"), "source"),
        ("title", json!("  "), "title"),
        ("summary", json!(""), "summary"),
        ("respondent", json!(""), "respondent"),
        ("received_at", json!("2999-01-01T00:00:00Z"), "received_at"),
        ("received_at", json!("yesterday"), "received_at"),
        ("group_size", json!(0), "group_size"),
        ("round", json!(3), "round"),
        ("round", json!(2), "parent_id"),
        ("parent_id", json!(987654), "parent_id"),
        ("people", json!([]), "people"),
        ("people", json!([{ "citizen_id": an, "role": "denouncer" }]), "people[0].role"),
        ("people", json!([{ "citizen_id": 987654, "role": "complainant" }]), "people[0].citizen_id"),
        ("people", json!([{ "citizen_id": an, "role": "boss" }]), "people[0].role"),
        ("people", json!([{ "citizen_id": an, "role": "complainant", "age": 3 }]), "people[0].age"),
        ("source", json!("forwarded"), "forwarded_by"),
        ("flags", json!({ "very_complex": true }), "flags.very_complex"),
        ("flags", json!({ "urgent": true }), "flags.urgent"),
        ("status", json!("closed"), "status"),
        ("field", json!("corruption"), "field"),
    ];
    for (member, value, field) in cases {
        let mut body = complaint(an);
        body[member] = value.clone();
        let problem = app.post("/api/v1/cases", Some(&desk), &body).problem(422, "validation_failed");
        let fields: Vec<_> =
            problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{member}={value}: {fields:?}");
    }
    let mut missing = complaint(an);
    missing.as_object_mut().unwrap().remove("respondent");
    let problem = app.post("/api/v1/cases", Some(&desk), &missing).problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "respondent");
    let (_, auditor) = app.signed_in(Role::Auditor);
    app.post("/api/v1/cases", Some(&auditor), &complaint(an)).problem(403, "forbidden");
    // Nothing half-written: the one valid case below is the first.
    assert_eq!(create(&app, &desk, &complaint(an))["code"], "KN-2026-000001");
}

#[test]
fn every_kind_and_source_can_be_recorded() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let an = citizen(&app, &head, "Võ Văn Em", "079000000003", "0933333333");
    for (kind, role) in [
        ("complaint", "complainant"),
        ("denunciation", "denouncer"),
        ("petition", "petitioner"),
        ("feedback", "petitioner"),
    ] {
        for source in ["walk_in", "post", "forwarded", "online"] {
            let mut body = complaint(an);
            body["kind"] = json!(kind);
            body["field"] = json!("other");
            body["source"] = json!(source);
            body["forwarded_by"] = json!("Đoàn đại biểu Quốc hội tỉnh");
            body["people"] =
                json!([{ "citizen_id": an, "role": role }, { "citizen_id": an, "role": "representative" }]);
            let case = create(&app, &head, &body);
            assert_eq!(case["kind"], kind);
            assert_eq!(case["source"], source);
        }
    }
}

#[test]
fn the_list_filters_sorts_and_pages() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let an = citizen(&app, &head, "Đỗ Văn Đức", "079000000004", "0944444444");
    let mut ids = Vec::new();
    for day in 1..=7 {
        let mut body = complaint(an);
        body["received_at"] = json!(format!("2026-10-{day:02}T02:00:00Z"));
        body["title"] = json!(format!("Khiếu nại số {day}"));
        if day % 2 == 0 {
            body["kind"] = json!("petition");
            body["people"] = json!([{ "citizen_id": an, "role": "petitioner" }]);
            body["locality"] = json!("Xã Tịnh Hòa");
            body["field"] = json!("policy");
        }
        if day == 3 {
            body["group_size"] = json!(12);
        }
        ids.push(create(&app, &head, &body)["id"].as_i64().unwrap());
    }
    let list = |query: &str| -> Vec<i64> {
        let body = app.get(&format!("/api/v1/cases?{query}"), Some(&head)).ok(200);
        body["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
    };
    let newest_first: Vec<i64> = ids.iter().rev().copied().collect();
    assert_eq!(list(""), newest_first);
    assert_eq!(list("sort=received_at"), ids);
    assert_eq!(list("kind=petition"), [ids[5], ids[3], ids[1]]);
    assert_eq!(list("locality=tinh%20hoa"), [ids[5], ids[3], ids[1]]);
    assert_eq!(list("locality=T%E1%BB%8ANH"), [ids[5], ids[3], ids[1]], "diacritics and case are ignored");
    assert_eq!(list("field=land_housing&kind=complaint"), [ids[6], ids[4], ids[2], ids[0]]);
    assert_eq!(list("q=khieu%20nai%20so%205"), [ids[4]]);
    assert_eq!(list("q=KN-2026-000002"), [ids[2]]);
    assert_eq!(list("flag=mass"), [ids[2]]);
    assert_eq!(list("received_from=2026-10-02&received_to=2026-10-03"), [ids[2], ids[1]]);
    assert_eq!(list("status=received&status=accepted&kind=petition&limit=1").len(), 1);
    assert!(list("status=closed").is_empty());
    // Received in early October, the processing clocks are long overdue by late November.
    assert_eq!(list("overdue=true").len(), 7);
    assert_eq!(list("flag=overdue").len(), 7);
    assert_eq!(list("due_before=2026-10-01"), Vec::<i64>::new());

    // Every page of every order: each case once, in order.
    for sort in ["received_at", "-received_at", "due_on", "-due_on"] {
        let seen: Vec<(i64, Value)> = every_page(&app, &head, &format!("sort={sort}&limit=2"))
            .iter()
            .flat_map(|page| page.json()["items"].as_array().unwrap().clone())
            .map(|c| (c["id"].as_i64().unwrap(), c["due_on"].clone()))
            .collect();
        let unique: HashSet<_> = seen.iter().map(|(id, _)| *id).collect();
        assert_eq!(unique.len(), 7, "{sort}: {seen:?}");
        assert_eq!(seen.len(), 7, "{sort}");
        if sort == "due_on" {
            let dues: Vec<_> = seen.iter().map(|(_, due)| due.as_str().unwrap().to_owned()).collect();
            let mut sorted = dues.clone();
            sorted.sort();
            assert_eq!(dues, sorted);
        }
    }

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("sort=title", "sort"),
        ("status=lost", "status"),
        ("flag=shiny", "flag"),
        ("assignee_id=someone", "assignee_id"),
        ("received_from=2026-10-05&received_to=2026-10-01", "received_to"),
        ("due_before=tomorrow", "due_before"),
        ("cursor=nonsense", "cursor"),
        ("colour=red", "colour"),
    ] {
        let problem = app.get(&format!("/api/v1/cases?{query}"), Some(&head)).problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
}

#[test]
fn the_due_order_lists_cases_without_a_running_clock_last_and_pages_across_them() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let an = citizen(&app, &head, "Lê Thị Hạnh", "079000000005", "0955555555");
    let mut cases = Vec::new();
    for day in 1..=6 {
        let mut body = complaint(an);
        body["received_at"] = json!(format!("2026-10-{day:02}T02:00:00Z"));
        cases.push(create(&app, &head, &body));
    }
    // Filed cases have no running clock, so no due date.
    for case in [&cases[1], &cases[4]] {
        let filed = act(&app, &head, case, json!({ "action": "file", "reason": "ineligible" })).ok(200);
        assert_eq!(filed["due_on"], Value::Null);
    }
    let ids: Vec<i64> = cases.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    // Received a day apart, the open cases fall due in the order they arrived.
    let dated = [ids[0], ids[2], ids[3], ids[5]];
    let undated = [ids[1], ids[4]];

    let mut cursors = Vec::new();
    for (sort, expected) in [
        ("due_on", [dated[0], dated[1], dated[2], dated[3], undated[0], undated[1]]),
        ("-due_on", [dated[3], dated[2], dated[1], dated[0], undated[1], undated[0]]),
    ] {
        let mut seen = Vec::new();
        for response in every_page(&app, &head, &format!("sort={sort}&limit=3")) {
            assert_eq!(response.header("content-type").as_deref(), Some("application/json; charset=utf-8"));
            let page = response.json();
            seen.extend(page["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()));
            cursors.extend(page["next_cursor"].as_str().map(str::to_owned));
        }
        assert_eq!(seen, expected, "{sort}");
        // A page that ends among the cases without a due date goes on from there.
        let page = app.get(&format!("/api/v1/cases?sort={sort}&limit=5"), Some(&head)).ok(200);
        let next = page["next_cursor"].as_str().unwrap();
        let rest = app.get(&format!("/api/v1/cases?sort={sort}&limit=5&cursor={next}"), Some(&head)).ok(200);
        assert_eq!(rest["items"].as_array().unwrap().len(), 1, "{sort}");
        assert_eq!(rest["items"][0]["id"], expected[5], "{sort}");
        assert_eq!(rest["next_cursor"], Value::Null, "{sort}");
    }

    // A cursor belongs to the order it came from.
    let problem = app
        .get(&format!("/api/v1/cases?sort=received_at&cursor={}", cursors[0]), Some(&head))
        .problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "cursor");
}

#[test]
fn a_new_letter_about_the_matter_makes_the_case_a_repeat() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let an = citizen(&app, &desk, "Hồ Thị Giang", "079000000005", "0955555555");
    let case = create(&app, &desk, &complaint(an));
    let id = case["id"].as_i64().unwrap();
    let body = json!({ "received_at": "2026-11-25T03:00:00Z", "channel": "post", "summary": "Đơn lần 2" });
    let updated = app.post(&format!("/api/v1/cases/{id}/intakes"), Some(&desk), &body).ok(201);
    assert_eq!(updated["intakes"], 2);
    assert_eq!(updated["flags"]["repeat"], true);
    let intakes = app.get(&format!("/api/v1/cases/{id}/intakes"), Some(&desk)).ok(200);
    let channels: Vec<_> = intakes["items"].as_array().unwrap().iter().map(|i| i["channel"].clone()).collect();
    assert_eq!(channels, [json!("letter"), json!("post")]);
    let repeat = app.get("/api/v1/cases?flag=repeat", Some(&desk)).ok(200);
    assert_eq!(repeat["items"][0]["id"], id);
    let timeline = app.get(&format!("/api/v1/cases/{id}/timeline"), Some(&desk)).ok(200);
    assert_eq!(timeline["items"][1]["type"], "intake");
    assert_eq!(timeline["items"][1]["data"]["summary"], "Đơn lần 2");
}

#[test]
fn every_field_mode_and_gender_is_accepted_and_read_back() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let mut citizens = Vec::new();
    for (i, gender) in ["male", "female", "other"].into_iter().enumerate() {
        let body = json!({ "full_name": format!("Công dân {i}"), "address": "Xã Nghĩa Kỳ", "gender": gender });
        let created = app.post("/api/v1/citizens", Some(&head), &body).ok(201);
        assert_eq!(created["gender"], gender);
        citizens.push(created["id"].as_i64().unwrap());
    }
    for field in ["policy", "land_housing", "civil_service", "judicial", "party_mass_org", "corruption", "other"] {
        let mut body = denunciation(citizens[0]);
        body["field"] = json!(field);
        let case = create(&app, &head, &body);
        assert_eq!(case["field"], field);
        assert_eq!(app.get(&format!("/api/v1/cases?field={field}"), Some(&head)).ok(200)["items"][0]["id"], case["id"]);
    }
    for mode in ["regular", "periodic_head", "periodic_delegated", "adhoc"] {
        let body = json!({
            "received_at": "2026-11-23T02:00:00Z", "mode": mode, "citizen_id": citizens[1],
            "summary": "Hỏi về thủ tục", "outcome": "guided", "target_body": "UBND xã", "document_no": "1/HD",
        });
        let visit = app.post("/api/v1/visits", Some(&head), &body).ok(201);
        assert_eq!(visit["mode"], mode);
        let listed = app.get(&format!("/api/v1/visits?mode={mode}"), Some(&head)).ok(200);
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{mode}");
    }
    let statuses = app.get("/api/v1/cases?status=received", Some(&head)).ok(200);
    assert_eq!(statuses["items"].as_array().unwrap().len(), 7);
}

#[test]
fn a_citizens_cases_come_newest_first_in_pages() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let an = citizen(&app, &head, "Võ Thị Lan", "079300000555", "0905000555");
    let mut ids = Vec::new();
    for day in ["2026-11-02", "2026-11-20", "2026-11-10"] {
        let mut body = complaint(an);
        body["received_at"] = json!(format!("{day}T02:00:00Z"));
        ids.push(create(&app, &head, &body)["id"].as_i64().unwrap());
    }
    let path = format!("/api/v1/citizens/{an}/cases");
    let first = app.get(&format!("{path}?limit=2"), Some(&head)).ok(200);
    let cursor = first["next_cursor"].as_str().expect("a second page").to_owned();
    let second = app.get(&format!("{path}?limit=2&cursor={cursor}"), Some(&head)).ok(200);
    assert!(second["next_cursor"].is_null(), "{second}");
    let listed: Vec<i64> = [&first, &second]
        .iter()
        .flat_map(|page| page["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(listed, [ids[1], ids[2], ids[0]], "20, 10, then 2 November");
    let whole = app.get(&path, Some(&head)).ok(200);
    assert_eq!(whole["items"].as_array().unwrap().len(), 3);
    assert!(whole["next_cursor"].is_null());

    // A cursor of the case list in due-date order is not one of this list.
    let by_due = app.get("/api/v1/cases?sort=due_on&limit=1", Some(&head)).ok(200);
    let foreign = by_due["next_cursor"].as_str().unwrap();
    let refused = app.get(&format!("{path}?cursor={foreign}"), Some(&head)).problem(422, "validation_failed");
    assert_eq!(refused["errors"][0]["field"], "cursor");
    app.get(&format!("{path}?limit=0"), Some(&head)).problem(422, "validation_failed");
}

/// Every route of one case, called by those who may not see it with a well-formed request (so
/// that only the case's scope can refuse it): the answer is the one for a case that does not
/// exist, and nothing changes. The routes come from the route table the OpenAPI test checks.
#[test]
fn a_case_out_of_scope_is_not_found_on_every_route_and_nothing_changes() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let (_, other_desk) = app.signed_in(Role::Receptionist);
    let (handler, _) = app.signed_in(Role::Handler);
    let (other, other_handler) = app.signed_in(Role::Handler);
    let (_, head) = app.signed_in(Role::Head);
    let an = citizen(&app, &desk, "Nguyễn Văn An", "079123456789", "0912345678");
    let case = assign(&app, &head, &create(&app, &desk, &complaint(an)), handler.id);
    let id = case["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}");
    let version = format!("\"{}\"", case["version"]);
    let part = |kind: &str, field: &str| json!({ "kind": kind, "field": field, "title": "Một phần của đơn", "summary": "Nội dung tách từ đơn gốc" });
    let requests: Vec<(&str, String, Option<Value>)> = vec![
        ("get", path.clone(), None),
        ("patch", path.clone(), Some(json!({ "title": "Sửa đơn của người khác" }))),
        ("post", format!("{path}/assignment"), Some(json!({ "assignee_id": other.id }))),
        ("post", format!("{path}/notes"), Some(json!({ "text": "Ghi chú" }))),
        ("get", format!("{path}/timeline"), None),
        ("get", format!("{path}/intakes"), None),
        (
            "post",
            format!("{path}/intakes"),
            Some(json!({ "received_at": "2026-11-21T02:00:00Z", "channel": "post", "summary": "Đơn bổ sung" })),
        ),
        ("post", format!("{path}/transitions"), Some(json!({ "action": "file", "reason": "anonymous" }))),
        (
            "post",
            format!("{path}/split"),
            Some(json!({ "parts": [part("complaint", "land_housing"), part("petition", "policy")] })),
        ),
        (
            "post",
            format!("{path}/follow-ups"),
            Some(json!({ "received_at": "2026-11-22T02:00:00Z", "summary": "Đơn lần hai", "source": "post" })),
        ),
        ("get", format!("{path}/deadlines/explain"), None),
        (
            "post",
            format!("{path}/dialogues"),
            Some(json!({
                "scheduled_at": "2026-11-27T02:00:00Z",
                "location": "Phòng tiếp công dân",
                "chair": "Ông Trần Văn Bình",
                "participants": [{ "name": "Nguyễn Văn An", "role": "complainant", "citizen_id": an }],
            })),
        ),
    ];
    let covered: HashSet<(String, String)> =
        requests.iter().map(|(method, p, _)| (method.to_string(), p.replace(&path, "/api/v1/cases/{id}"))).collect();
    let routes: HashSet<(String, String)> = crate::conventions::ROUTES
        .iter()
        .filter(|(route, _)| route.starts_with("/api/v1/cases/{id}"))
        .flat_map(|(route, methods)| methods.iter().map(|m| (m.to_string(), route.to_string())))
        .collect();
    assert_eq!(covered, routes, "every route of a case is called");

    let timeline = app.get(&format!("{path}/timeline"), Some(&head)).ok(200);
    for token in [&other_handler, &other_desk] {
        for (method, route, body) in &requests {
            let mut request = app
                .client
                .request(method.to_uppercase().parse().unwrap(), app.url(route))
                .bearer_auth(token)
                .header("If-Match", &version);
            if let Some(body) = body {
                request = request.json(body);
            }
            let missing = route.replace(&format!("/cases/{id}"), "/cases/999999");
            let mut unknown = app.client.request(method.to_uppercase().parse().unwrap(), app.url(&missing));
            unknown = unknown.bearer_auth(token).header("If-Match", &version);
            if let Some(body) = body {
                unknown = unknown.json(body);
            }
            let (answer, nothing) = (app.send(request), app.send(unknown));
            assert_eq!(
                (answer.status, answer.json()["code"].clone()),
                (nothing.status, nothing.json()["code"].clone()),
                "{method} {route}: {} against {}",
                answer.text,
                nothing.text
            );
            assert!([403, 404].contains(&answer.status), "{method} {route}: {}", answer.text);
        }
    }
    let after = app.get(&path, Some(&head)).ok(200);
    assert_eq!(after["version"], case["version"]);
    assert_eq!(after["title"], case["title"]);
    assert_eq!(app.get(&format!("{path}/timeline"), Some(&head)).ok(200), timeline);
    assert_eq!(app.get(&format!("{path}/intakes"), Some(&head)).ok(200)["items"].as_array().unwrap().len(), 1);
    let cases = app.get("/api/v1/cases?limit=200", Some(&head)).ok(200);
    assert_eq!(cases["items"].as_array().unwrap().len(), 1, "no follow-up or part was made");
}

/// What only the workflow, the head or the server sets cannot be sent as an edit.
#[test]
fn an_edit_cannot_set_what_the_workflow_or_the_server_sets() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let (handler, _) = app.signed_in(Role::Handler);
    let an = citizen(&app, &desk, "Nguyễn Văn An", "079123456789", "0912345678");
    let case = create(&app, &desk, &complaint(an));
    let id = case["id"].as_i64().unwrap();
    for (field, value) in [
        ("status", json!("closed")),
        ("assignee_id", json!(handler.id)),
        ("version", json!(9)),
        ("id", json!(id + 1)),
        ("code", json!("KN-2026-999999")),
        ("due_on", json!("2030-01-01")),
        ("kind", json!("denunciation")),
        ("people", json!([])),
        ("created_by", json!(handler.id)),
    ] {
        let refused = patch(&app, &desk, id, "\"1\"", &json!({ "title": "Tiêu đề mới", field: value }));
        let problem = refused.problem(422, "validation_failed");
        let named: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert!(named.contains(&field), "{field}: {problem}");
    }
    let unchanged = app.get(&format!("/api/v1/cases/{id}"), Some(&desk)).ok(200);
    assert_eq!((unchanged["version"].as_i64(), unchanged["title"].as_str()), (Some(1), case["title"].as_str()));
    assert_eq!(unchanged["status"], "received");
    assert_eq!(unchanged["assignee"], Value::Null);
}
