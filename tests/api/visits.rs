//! The reception register over HTTP: each outcome of a visit, register numbers (gapless under
//! concurrency, restarting each Vietnam year), repeat visits on existing cases, validation,
//! who may record and read, denouncer confidentiality, idempotent creation, filters and paging.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::helpers::{Response, TestApp};

const VISITS: &str = "/api/v1/visits";
const RECEIVED_AT: &str = "2026-11-20T02:00:00Z";

/// A citizen registered by `token`; returns the id.
fn citizen(app: &TestApp, token: &str, name: &str) -> i64 {
    let body = json!({ "full_name": name, "address": "Thôn 3, xã Tịnh Khê, Quảng Ngãi" });
    app.post("/api/v1/citizens", Some(token), &body).ok(201)["id"].as_i64().expect("citizen id")
}

/// A visit guided to the competent body: the outcome that touches no case.
fn guided(citizen_id: i64) -> Value {
    json!({
        "received_at": RECEIVED_AT,
        "mode": "regular",
        "citizen_id": citizen_id,
        "summary": "Hỏi về thủ tục cấp giấy chứng nhận quyền sử dụng đất",
        "outcome": "guided",
        "target_body": "UBND huyện Sơn Tịnh",
        "document_no": "12/HD-BTCD",
    })
}

fn new_complaint() -> Value {
    json!({
        "kind": "complaint",
        "field": "land_housing",
        "title": "Khiếu nại về bồi thường khi thu hồi đất",
        "summary": "Các hộ dân khiếu nại mức bồi thường theo Quyết định 45/QĐ-UBND",
        "respondent": "UBND xã Tịnh Khê",
    })
}

fn case_body(citizen_id: i64, kind: &str) -> Value {
    let (role, field) = match kind {
        "denunciation" => ("denouncer", "corruption"),
        "petition" => ("petitioner", "policy"),
        _ => ("complainant", "land_housing"),
    };
    json!({
        "kind": kind,
        "field": field,
        "title": "Đơn về việc cấp đất tái định cư",
        "summary": "Công dân trình bày việc cấp đất tái định cư chưa đúng",
        "source": "post",
        "received_at": "2026-11-02T02:00:00Z",
        "people": [{ "citizen_id": citizen_id, "role": role }],
        "respondent": "UBND huyện Sơn Tịnh",
    })
}

fn create_case(app: &TestApp, token: &str, body: &Value) -> i64 {
    app.post("/api/v1/cases", Some(token), body).ok(201)["id"].as_i64().expect("case id")
}

fn with(mut body: Value, changes: Value) -> Value {
    for (name, value) in changes.as_object().expect("changes are an object") {
        if value.is_null() {
            body.as_object_mut().unwrap().remove(name);
        } else {
            body[name] = value.clone();
        }
    }
    body
}

fn id_of(value: &Value) -> i64 {
    value["id"].as_i64().unwrap_or_else(|| panic!("numeric id in {value}"))
}

/// The `errors[].field` names of a 422 answer.
#[track_caller]
fn invalid_fields(response: &Response) -> Vec<String> {
    let problem = response.problem(422, "validation_failed");
    problem["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect()
}

fn post_with_key(app: &TestApp, token: &str, key: &str, body: &Value) -> Response {
    app.send(app.client.post(app.url(VISITS)).bearer_auth(token).header("Idempotency-Key", key).json(body))
}

/// Every visit of a listing, following the cursor, with `limit` per page.
fn list_all(app: &TestApp, token: &str, query: &[(&str, &str)], limit: u32) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request = app.client.get(app.url(VISITS)).bearer_auth(token).query(query);
        request = request.query(&[("limit", limit.to_string())]);
        if let Some(c) = &cursor {
            request = request.query(&[("cursor", c)]);
        }
        let page = app.send(request).ok(200);
        let batch = page["items"].as_array().unwrap();
        assert!(batch.len() <= limit as usize);
        items.extend(batch.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
}

#[test]
fn a_walk_in_group_complaint_opens_a_mass_case_with_the_group_on_it() {
    let app = TestApp::spawn();
    let (desk_user, desk) = app.signed_in(Role::Receptionist);
    let speaker = citizen(&app, &desk, "Trần Thị Bình");
    let first = citizen(&app, &desk, "Lê Văn Cường");
    let second = citizen(&app, &desk, "Phạm Thị Dung");
    let body = json!({
        "received_at": RECEIVED_AT,
        "mode": "regular",
        "citizen_id": speaker,
        "group_size": 6,
        "representative_ids": [first, second],
        "summary": "Đoàn 6 hộ dân khiếu nại mức bồi thường",
        "handled_before_by": "UBND xã Tịnh Khê",
        "outcome": "case_opened",
        "new_case": new_complaint(),
    });
    let response = app.post(VISITS, Some(&desk), &body);
    let visit = response.ok(201);
    let id = id_of(&visit);
    assert_eq!(response.header("location"), Some(format!("{VISITS}/{id}")));
    assert_eq!(visit["register_no"], 1);
    assert_eq!(visit["year"], 2026);
    assert_eq!(visit["received_at"], RECEIVED_AT);
    assert_eq!(visit["mode"], "regular");
    assert_eq!(visit["officer"]["id"], desk_user.id);
    assert!(visit["officer"]["full_name"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(visit["citizen_id"], speaker);
    assert_eq!(visit["group_size"], 6);
    assert_eq!(visit["delegation"], true);
    assert_eq!(visit["representative_ids"], json!([first, second]));
    assert_eq!(visit["identity_redacted"], false);
    assert_eq!(visit["handled_before_by"], "UBND xã Tịnh Khê");
    assert_eq!(visit["content_kinds"], json!(["complaint"]));
    assert_eq!(visit["outcome"], "case_opened");
    assert_eq!(visit["document_no"], Value::Null);
    assert_eq!(visit["refusal_ground"], Value::Null);

    let cases = visit["cases"].as_array().expect("the opened case");
    assert_eq!(cases.len(), 1);
    let case = &cases[0];
    assert_eq!(visit["case_ids"], json!([case["id"]]));
    assert_eq!(case["code"], "KN-2026-000001");
    assert_eq!(case["source"], "walk_in");
    assert_eq!(case["received_at"], RECEIVED_AT);
    assert_eq!(case["group_size"], 6);
    assert_eq!(case["flags"]["mass"], true);
    assert_eq!(case["intakes"], 1);
    let people: Vec<(i64, &str)> = case["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["citizen_id"].as_i64().unwrap(), p["role"].as_str().unwrap()))
        .collect();
    assert_eq!(people, [(speaker, "complainant"), (first, "representative"), (second, "representative")]);

    // The case's intake is this visit.
    let case_id = case["id"].as_i64().unwrap();
    let intakes = app.get(&format!("/api/v1/cases/{case_id}/intakes"), Some(&desk)).ok(200);
    assert_eq!(intakes["items"][0]["visit_id"], id);
    assert_eq!(intakes["items"][0]["channel"], "visit");

    // Read back: the same row, without the case bodies.
    let read = app.get(&format!("{VISITS}/{id}"), Some(&desk)).ok(200);
    assert!(read.get("cases").is_none(), "{read}");
    let mut created = visit.clone();
    created.as_object_mut().unwrap().remove("cases");
    assert_eq!(read, created);

    // The speaker may be named among the group's representatives: kept so, and on the case
    // once, as the complainant.
    let mut again = body.clone();
    again["representative_ids"] = json!([first, speaker]);
    let visit = app.post(VISITS, Some(&desk), &again).ok(201);
    let mut named = vec![speaker, first];
    named.sort_unstable();
    assert_eq!(visit["representative_ids"], json!(named));
    let people: Vec<(i64, &str)> = visit["cases"][0]["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["citizen_id"].as_i64().unwrap(), p["role"].as_str().unwrap()))
        .collect();
    assert_eq!(people, [(speaker, "complainant"), (first, "representative")]);
}

#[test]
fn twenty_simultaneous_visits_take_the_numbers_one_to_twenty() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let citizen_id = citizen(&app, &desk, "Võ Văn Em");
    // Half of them open a case too, taking a case number inside the same transaction.
    let bodies: Vec<Value> = (0..20)
        .map(|i| {
            if i % 2 == 0 {
                guided(citizen_id)
            } else {
                with(
                    guided(citizen_id),
                    json!({ "outcome": "case_opened", "target_body": null, "document_no": null, "new_case": new_complaint() }),
                )
            }
        })
        .collect();
    let visits: Vec<Value> = std::thread::scope(|scope| {
        let workers: Vec<_> =
            bodies.iter().map(|body| scope.spawn(|| app.post(VISITS, Some(&desk), body).ok(201))).collect();
        workers.into_iter().map(|w| w.join().expect("worker")).collect()
    });
    let numbers: BTreeSet<i64> = visits.iter().map(|v| v["register_no"].as_i64().unwrap()).collect();
    assert_eq!(numbers, (1..=20).collect(), "{visits:?}");
    let codes: BTreeSet<String> =
        visits.iter().filter_map(|v| v["cases"][0]["code"].as_str().map(str::to_owned)).collect();
    assert_eq!(codes, (1..=10).map(|n| format!("KN-2026-{n:06}")).collect());
    // Nothing was lost: the next one is 21.
    assert_eq!(app.post(VISITS, Some(&desk), &bodies[0]).ok(201)["register_no"], 21);
}

#[test]
fn the_register_restarts_each_year_in_vietnam_time() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let citizen_id = citizen(&app, &desk, "Đặng Thị Giang");
    let at = |received_at: &str| {
        let visit =
            app.post(VISITS, Some(&desk), &with(guided(citizen_id), json!({ "received_at": received_at }))).ok(201);
        (visit["year"].as_i64().unwrap(), visit["register_no"].as_i64().unwrap())
    };
    // 23:30 on 31 December 2025 in Vietnam.
    assert_eq!(at("2025-12-31T16:30:00Z"), (2025, 1));
    // 00:30 on 1 January 2026 in Vietnam, still 2025 in UTC.
    assert_eq!(at("2025-12-31T17:30:00Z"), (2026, 1));
    assert_eq!(at("2026-03-02T02:00:00Z"), (2026, 2));
    assert_eq!(at("2025-06-01T02:00:00Z"), (2025, 2));
}

#[test]
fn a_visit_about_existing_cases_adds_an_intake_to_each() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let citizen_id = citizen(&app, &desk, "Huỳnh Văn Hải");
    let complaint = create_case(&app, &desk, &case_body(citizen_id, "complaint"));
    let petition = create_case(&app, &desk, &case_body(citizen_id, "petition"));
    let body = json!({
        "received_at": RECEIVED_AT,
        "mode": "periodic_head",
        "citizen_id": citizen_id,
        "summary": "Công dân đến hỏi kết quả giải quyết",
        "outcome": "linked_existing",
        "case_ids": [petition, complaint],
    });
    let visit = app.post(VISITS, Some(&desk), &body).ok(201);
    let visit_id = id_of(&visit);
    assert_eq!(visit["case_ids"], json!([petition, complaint]));
    assert_eq!(visit["content_kinds"], json!(["petition", "complaint"]));
    assert!(visit.get("cases").is_none(), "{visit}");

    for case_id in [complaint, petition] {
        let case = app.get(&format!("/api/v1/cases/{case_id}"), Some(&desk)).ok(200);
        assert_eq!(case["intakes"], 2);
        assert_eq!(case["flags"]["repeat"], true);
        let timeline = app.get(&format!("/api/v1/cases/{case_id}/timeline"), Some(&desk)).ok(200);
        let intake = timeline["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["type"] == "intake")
            .unwrap_or_else(|| panic!("an intake event in {timeline}"));
        assert_eq!(intake["data"]["visit_id"], visit_id);
        assert_eq!(intake["data"]["channel"], "visit");
    }
    assert_eq!(app.get(&format!("{VISITS}/{visit_id}"), Some(&desk)).ok(200)["case_ids"], json!([petition, complaint]));
}

#[test]
fn guidance_transfer_and_refusal_store_their_data_and_open_no_case() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let citizen_id = citizen(&app, &head, "Ngô Thị Kim");

    let visit = app.post(VISITS, Some(&head), &guided(citizen_id)).ok(201);
    assert_eq!(visit["outcome"], "guided");
    assert_eq!(visit["target_body"], "UBND huyện Sơn Tịnh");
    assert_eq!(visit["document_no"], "12/HD-BTCD");
    assert_eq!(visit["refusal_ground"], Value::Null);
    assert_eq!(visit["content_kinds"], json!([]));

    let transferred = with(
        guided(citizen_id),
        json!({
            "outcome": "transferred",
            "mode": "adhoc",
            "target_body": "Thanh tra tỉnh",
            "document_no": "34/PC-BTCD",
            "content_kinds": ["denunciation", "feedback"],
        }),
    );
    let visit = app.post(VISITS, Some(&head), &transferred).ok(201);
    assert_eq!((visit["outcome"].as_str(), visit["mode"].as_str()), (Some("transferred"), Some("adhoc")));
    assert_eq!(
        (visit["target_body"].as_str(), visit["document_no"].as_str()),
        (Some("Thanh tra tỉnh"), Some("34/PC-BTCD"))
    );
    assert_eq!(visit["content_kinds"], json!(["denunciation", "feedback"]));

    let refused = with(
        guided(citizen_id),
        json!({ "outcome": "refused", "refusal_ground": 3, "target_body": null, "document_no": "05/TB-BTCD" }),
    );
    let visit = app.post(VISITS, Some(&head), &refused).ok(201);
    assert_eq!(visit["outcome"], "refused");
    assert_eq!(visit["refusal_ground"], 3);
    assert_eq!(visit["document_no"], "05/TB-BTCD");
    assert_eq!(visit["target_body"], Value::Null);
    let read = app.get(&format!("{VISITS}/{}", id_of(&visit)), Some(&head)).ok(200);
    assert_eq!((read["refusal_ground"].as_i64(), read["case_ids"].clone()), (Some(3), json!([])));
    // The ground as `/meta` lists it, as text.
    let as_text = app.post(VISITS, Some(&head), &with(refused, json!({ "refusal_ground": " 4" }))).ok(201);
    assert_eq!(as_text["refusal_ground"], 4);

    for visit in list_all(&app, &head, &[], 50) {
        assert_eq!(visit["case_ids"], json!([]));
    }
    assert_eq!(app.get("/api/v1/cases", Some(&head)).ok(200)["items"], json!([]));
}

#[test]
fn every_invalid_visit_is_refused_naming_its_fields() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let (_, other_desk) = app.signed_in(Role::Receptionist);
    let citizen_id = citizen(&app, &desk, "Lý Văn Long");
    let member = citizen(&app, &desk, "Lý Thị Mai");
    let own_case = create_case(&app, &desk, &case_body(citizen_id, "complaint"));
    // Receptionists see only the cases they recorded.
    let foreign_case = create_case(&app, &other_desk, &case_body(citizen_id, "complaint"));
    let base = guided(citizen_id);
    let linked = with(base.clone(), json!({ "outcome": "linked_existing", "target_body": null, "document_no": null }));
    let opened = with(base.clone(), json!({ "outcome": "case_opened", "target_body": null, "document_no": null }));
    let refused = with(base.clone(), json!({ "outcome": "refused", "target_body": null, "document_no": null }));

    let cases: Vec<(Value, Vec<&str>)> = vec![
        (opened.clone(), vec!["new_case"]),
        (linked.clone(), vec!["case_ids"]),
        (with(base.clone(), json!({ "target_body": null, "document_no": null })), vec!["target_body", "document_no"]),
        (with(base.clone(), json!({ "outcome": "transferred", "document_no": "  " })), vec!["document_no"]),
        (refused.clone(), vec!["refusal_ground"]),
        (with(refused.clone(), json!({ "refusal_ground": 5 })), vec!["refusal_ground"]),
        (with(refused.clone(), json!({ "refusal_ground": 0 })), vec!["refusal_ground"]),
        (with(refused.clone(), json!({ "refusal_ground": "0" })), vec!["refusal_ground"]),
        (with(refused.clone(), json!({ "refusal_ground": "bốn" })), vec!["refusal_ground"]),
        (with(refused.clone(), json!({ "refusal_ground": 1.5 })), vec!["refusal_ground"]),
        (with(refused.clone(), json!({ "refusal_ground": 4_294_967_296_u64 })), vec!["refusal_ground"]),
        (with(base.clone(), json!({ "refusal_ground": 1 })), vec!["refusal_ground"]),
        (with(refused.clone(), json!({ "refusal_ground": 2, "target_body": "UBND xã" })), vec!["target_body"]),
        (with(base.clone(), json!({ "case_ids": [own_case] })), vec!["case_ids"]),
        (with(base.clone(), json!({ "new_case": new_complaint() })), vec!["new_case"]),
        (with(linked.clone(), json!({ "case_ids": [own_case], "document_no": "1/HD" })), vec!["document_no"]),
        (with(opened.clone(), json!({ "new_case": new_complaint(), "case_ids": [own_case] })), vec!["case_ids"]),
        (with(linked.clone(), json!({ "case_ids": [own_case, 999_999] })), vec!["case_ids[1]"]),
        (with(linked.clone(), json!({ "case_ids": [foreign_case] })), vec!["case_ids[0]"]),
        (with(linked.clone(), json!({ "case_ids": [own_case, own_case] })), vec!["case_ids[1]"]),
        (with(base.clone(), json!({ "received_at": "2099-01-01T00:00:00Z" })), vec!["received_at"]),
        (with(base.clone(), json!({ "mode": "nightly" })), vec!["mode"]),
        (with(base.clone(), json!({ "outcome": "ignored" })), vec!["outcome"]),
        (with(base.clone(), json!({ "citizen_id": 999_999 })), vec!["citizen_id"]),
        (with(base.clone(), json!({ "group_size": 0 })), vec!["group_size"]),
        (with(base.clone(), json!({ "representative_ids": [member] })), vec!["representative_ids"]),
        (
            with(base.clone(), json!({ "group_size": 5, "representative_ids": [member, 999_999] })),
            vec!["representative_ids[1]"],
        ),
        (with(base.clone(), json!({ "summary": " " })), vec!["summary"]),
        (with(base.clone(), json!({ "handled_before_by": "x".repeat(501) })), vec!["handled_before_by"]),
        (with(base.clone(), json!({ "content_kinds": ["complaint", "complaint"] })), vec!["content_kinds[1]"]),
        (with(base.clone(), json!({ "colour": "red" })), vec!["colour"]),
        (
            with(
                opened.clone(),
                json!({ "new_case": with(new_complaint(), json!({ "title": "", "field": "corruption" })) }),
            ),
            vec!["new_case.field", "new_case.title"],
        ),
        (
            with(opened.clone(), json!({ "new_case": with(new_complaint(), json!({ "source": "post" })) })),
            vec!["new_case.source"],
        ),
        (
            with(
                opened.clone(),
                json!({ "new_case": with(new_complaint(), json!({ "people": [{ "citizen_id": 999_999, "role": "complainant" }] })) }),
            ),
            vec!["new_case.people[0].citizen_id"],
        ),
    ];
    for (body, expected) in cases {
        let response = app.post(VISITS, Some(&desk), &body);
        assert_eq!(invalid_fields(&response), expected, "{body}");
    }
    // Nothing was recorded, and no register number was spent.
    assert_eq!(app.post(VISITS, Some(&desk), &base).ok(201)["register_no"], 1);
    let own = app.get(&format!("/api/v1/cases/{own_case}"), Some(&desk)).ok(200);
    assert_eq!(own["intakes"], 1);
}

#[test]
fn auditors_and_admins_read_the_register_but_may_not_record() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let (_, handler) = app.signed_in(Role::Handler);
    let citizen_id = citizen(&app, &desk, "Mai Văn Nam");
    let visit = app.post(VISITS, Some(&desk), &guided(citizen_id)).ok(201);
    let id = id_of(&visit);
    app.post(VISITS, Some(&handler), &guided(citizen_id)).ok(201);
    for role in [Role::Auditor, Role::Admin] {
        let (_, token) = app.signed_in(role);
        assert_eq!(app.get(&format!("{VISITS}/{id}"), Some(&token)).ok(200), visit);
        assert_eq!(list_all(&app, &token, &[], 50).len(), 2);
        app.post(VISITS, Some(&token), &guided(citizen_id)).problem(403, "forbidden");
    }
    app.get(&format!("{VISITS}/999999"), Some(&desk)).problem(404, "not_found");
    assert_eq!(app.get(VISITS, None).status, 401);
}

#[test]
fn who_came_about_a_denunciation_is_shown_only_to_those_who_may_know() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let (_, head) = app.signed_in(Role::Head);
    let (_, auditor) = app.signed_in(Role::Auditor);
    let denouncer = citizen(&app, &desk, "Tô Văn Phúc");
    let new_case = json!({
        "kind": "denunciation",
        "field": "corruption",
        "title": "Tố cáo cán bộ nhận tiền",
        "summary": "Tố cáo cán bộ địa chính xã nhận tiền để làm sổ đỏ",
        "respondent": "Ông X, cán bộ địa chính xã",
    });
    let body = with(
        guided(denouncer),
        json!({ "outcome": "case_opened", "target_body": null, "document_no": null, "new_case": new_case }),
    );
    let visit = app.post(VISITS, Some(&desk), &body).ok(201);
    let id = id_of(&visit);
    // The officer who recorded it sees the people in this answer only.
    assert_eq!(visit["citizen_id"], denouncer);
    assert_eq!(visit["cases"][0]["people"][0]["citizen_id"], denouncer);
    assert_eq!(visit["cases"][0]["people"][0]["role"], "denouncer");

    for token in [&desk, &auditor] {
        let read = app.get(&format!("{VISITS}/{id}"), Some(token)).ok(200);
        assert_eq!((read["citizen_id"].clone(), read["identity_redacted"].clone()), (Value::Null, json!(true)));
        assert_eq!(read["content_kinds"], json!(["denunciation"]));
        let listed = list_all(&app, token, &[], 50);
        assert_eq!(listed[0]["citizen_id"], Value::Null);
    }
    let read = app.get(&format!("{VISITS}/{id}"), Some(&head)).ok(200);
    assert_eq!((read["citizen_id"].as_i64(), read["identity_redacted"].clone()), (Some(denouncer), json!(false)));
    let audit = app.get("/api/v1/audit?type=identity_disclosed", Some(&head)).ok(200);
    assert!(
        audit["items"].as_array().unwrap().iter().any(|e| e["object_type"] == "visit" && e["object_id"] == id),
        "{audit}"
    );
}

#[test]
fn a_repeated_idempotency_key_replays_the_visit_without_a_second_number() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let citizen_id = citizen(&app, &desk, "Quách Thị Quyên");
    let body = guided(citizen_id);
    let first = post_with_key(&app, &desk, "visit-key-1", &body);
    let created = first.ok(201);
    let again = post_with_key(&app, &desk, "visit-key-1", &body);
    assert_eq!(again.status, 201);
    assert_eq!(again.text, first.text);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(created["register_no"], 1);

    let other = with(body.clone(), json!({ "summary": "Nội dung khác" }));
    post_with_key(&app, &desk, "visit-key-1", &other).problem(422, "idempotency_key_reused");
    assert_eq!(app.post(VISITS, Some(&desk), &body).ok(201)["register_no"], 2);
}

#[test]
fn one_key_sent_five_times_at_once_records_one_visit() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let citizen_id = citizen(&app, &desk, "Sầm Văn Sơn");
    let body = guided(citizen_id);
    let answers: Vec<(u16, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..5)
            .map(|_| {
                scope.spawn(|| {
                    let response = post_with_key(&app, &desk, "same-visit", &body);
                    (response.status, response.text)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker")).collect()
    });
    for (status, text) in &answers {
        assert_eq!(*status, 201, "{text}");
        assert_eq!(text, &answers[0].1);
    }
    assert_eq!(list_all(&app, &desk, &[], 50).len(), 1);
    assert_eq!(app.post(VISITS, Some(&desk), &body).ok(201)["register_no"], 2);
}

#[test]
fn the_register_lists_newest_first_with_filters_and_pages() {
    let app = TestApp::spawn();
    let (first_user, first) = app.signed_in(Role::Receptionist);
    let (second_user, second) = app.signed_in(Role::Handler);
    let citizen_id = citizen(&app, &first, "Tạ Văn Tâm");
    let record = |token: &str, received_at: &str, mode: &str| {
        let body = with(guided(citizen_id), json!({ "received_at": received_at, "mode": mode }));
        id_of(&app.post(VISITS, Some(token), &body).ok(201))
    };
    // 19 November 2026, 23:30 in Vietnam.
    let late_19th = record(&first, "2026-11-19T16:30:00Z", "regular");
    // 20 November 2026, 00:30 in Vietnam.
    let early_20th = record(&second, "2026-11-19T17:30:00Z", "adhoc");
    let noon_20th = record(&first, "2026-11-20T05:00:00Z", "periodic_head");
    let same_time = record(&second, "2026-11-20T05:00:00Z", "regular");
    let on_21st = record(&first, "2026-11-21T02:00:00Z", "regular");

    let ids = |items: Vec<Value>| items.iter().map(id_of).collect::<Vec<_>>();
    // Newest first; the later id first among equal times; the same on every page size.
    let everything = vec![on_21st, same_time, noon_20th, early_20th, late_19th];
    for limit in [1, 2, 50] {
        assert_eq!(ids(list_all(&app, &first, &[], limit)), everything, "limit {limit}");
    }
    assert_eq!(
        ids(list_all(&app, &first, &[("from", "2026-11-20"), ("to", "2026-11-20")], 2)),
        [same_time, noon_20th, early_20th]
    );
    assert_eq!(ids(list_all(&app, &first, &[("to", "2026-11-19")], 50)), [late_19th]);
    assert_eq!(ids(list_all(&app, &first, &[("from", "2026-11-21")], 50)), [on_21st]);
    let by_second = second_user.id.to_string();
    assert_eq!(ids(list_all(&app, &first, &[("officer_id", by_second.as_str())], 50)), [same_time, early_20th]);
    let by_first = first_user.id.to_string();
    let filtered = [("officer_id", by_first.as_str()), ("mode", "regular")];
    assert_eq!(ids(list_all(&app, &first, &filtered, 1)), [on_21st, late_19th]);
    assert_eq!(ids(list_all(&app, &first, &[("mode", "periodic_delegated")], 50)), Vec::<i64>::new());

    let bad = |query: &str| invalid_fields(&app.get(&format!("{VISITS}?{query}"), Some(&first)));
    assert_eq!(bad("from=2026-11-21&to=2026-11-20"), ["to"]);
    assert_eq!(bad("mode=nightly"), ["mode"]);
    assert_eq!(bad("from=yesterday"), ["from"]);
    assert_eq!(bad("limit=201"), ["limit"]);
    assert_eq!(bad("cursor=garbage"), ["cursor"]);
    assert_eq!(bad("sort=received_at"), ["sort"]);
}

#[test]
fn the_case_a_visit_opens_may_give_its_own_group_and_forwarding_body() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let speaker = citizen(&app, &desk, "Đặng Văn Hải");
    let visit = |new_case: Value| {
        json!({
            "received_at": RECEIVED_AT, "mode": "regular", "citizen_id": speaker,
            "summary": "Ông Hải mang đơn của 7 hộ, do UBND huyện chuyển đến", "outcome": "case_opened",
            "new_case": new_case,
        })
    };
    let opened = app
        .post(
            VISITS,
            Some(&desk),
            &visit(with(new_complaint(), json!({ "group_size": 7, "forwarded_by": "UBND huyện Sơn Tịnh" }))),
        )
        .ok(201);
    let case = &opened["cases"][0];
    assert_eq!(opened["group_size"], 1, "the visit is one person");
    assert_eq!((&case["group_size"], &case["flags"]["mass"]), (&json!(7), &json!(true)));
    assert_eq!(case["forwarded_by"], "UBND huyện Sơn Tịnh");
    assert_eq!(case["source"], "walk_in");

    let refused = app.post(VISITS, Some(&desk), &visit(with(new_complaint(), json!({ "group_size": 0 }))));
    assert_eq!(refused.problem(422, "validation_failed")["errors"][0]["field"], "new_case.group_size");
}
