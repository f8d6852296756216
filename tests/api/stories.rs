//! The day at the reception desk that docs/api.md walks through with curl: a receptionist
//! registers a walk-in group with a complaint, a head assigns it, the handler finds it in
//! `assignee_id=me`; a denunciation recorded the same day reaches the auditor with its denouncer
//! redacted.

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::helpers::TestApp;

fn register(app: &TestApp, desk: &str, name: &str, id_number: &str) -> i64 {
    let body = json!({ "full_name": name, "id_number": id_number, "address": "Thôn An Phú, xã Tịnh Khê", "phone": "0905123456" });
    app.post("/api/v1/citizens", Some(desk), &body).ok(201)["id"].as_i64().unwrap()
}

#[test]
fn a_walk_in_group_is_registered_assigned_and_found_and_a_denouncer_stays_secret() {
    let app = TestApp::spawn();
    let (_, desk) = app.signed_in(Role::Receptionist);
    let (_, head) = app.signed_in(Role::Head);
    let (handler, handler_token) = app.signed_in(Role::Handler);
    let (_, auditor) = app.signed_in(Role::Auditor);

    let speaker = register(&app, &desk, "Nguyễn Văn An", "051088000111");
    let member = register(&app, &desk, "Trần Thị Bình", "051090000222");
    let visit = app
        .post(
            "/api/v1/visits",
            Some(&desk),
            &json!({
                "received_at": "2026-11-24T01:30:00Z",
                "mode": "regular",
                "citizen_id": speaker,
                "group_size": 7,
                "representative_ids": [member],
                "summary": "Đoàn 7 hộ dân khiếu nại việc bồi thường khi thu hồi đất",
                "outcome": "case_opened",
                "new_case": {
                    "kind": "complaint",
                    "field": "land_housing",
                    "locality": "Xã Tịnh Khê",
                    "title": "Khiếu nại mức bồi thường thu hồi đất",
                    "summary": "Các hộ dân khiếu nại Quyết định bồi thường số 45/QĐ-UBND",
                    "respondent": "UBND huyện Sơn Tịnh",
                },
            }),
        )
        .ok(201);
    assert_eq!(visit["register_no"], 1);
    let case = visit["cases"][0].clone();
    assert_eq!(case["flags"]["mass"], true);
    assert_eq!(case["source"], "walk_in");

    let id = case["id"].as_i64().unwrap();
    let current = app.get(&format!("/api/v1/cases/{id}"), Some(&head));
    let etag = current.header("etag").unwrap();
    let assigned = app.send(
        app.client
            .post(app.url(&format!("/api/v1/cases/{id}/assignment")))
            .bearer_auth(&head)
            .header("If-Match", etag)
            .json(&json!({ "assignee_id": handler.id })),
    );
    assert_eq!(assigned.ok(200)["assignee"]["id"], handler.id);

    let mine = app.get("/api/v1/cases?assignee_id=me", Some(&handler_token)).ok(200);
    let codes: Vec<&Value> = mine["items"].as_array().unwrap().iter().map(|c| &c["code"]).collect();
    assert_eq!(codes, [&case["code"]]);

    let denouncer = register(&app, &desk, "Lê Thị Tố Giác", "051095000333");
    let denunciation = app
        .post(
            "/api/v1/cases",
            Some(&desk),
            &json!({
                "kind": "denunciation", "field": "corruption", "title": "Tố cáo cán bộ địa chính",
                "summary": "Tố cáo cán bộ địa chính xã nhận tiền", "source": "walk_in",
                "received_at": "2026-11-24T03:00:00Z",
                "people": [{ "citizen_id": denouncer, "role": "denouncer" }],
                "respondent": "Cán bộ địa chính xã Tịnh Khê",
            }),
        )
        .ok(201);
    let seen = app.get(&format!("/api/v1/cases/{}", denunciation["id"]), Some(&auditor)).ok(200);
    assert_eq!(seen["people"], json!([{ "role": "denouncer", "redacted": true, "alias": "Người tố cáo 1" }]));
    let text = seen.to_string();
    for secret in ["Lê Thị Tố Giác", "051095000333", "0905123456"] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
}
