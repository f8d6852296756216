//! Dialogues of complaints over HTTP: scheduling, rescheduling, the minutes and cancellation,
//! the decide guard they satisfy, access, optimistic locking and the calendar.

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::cases::{act, citizen, complaint, denunciation};
use crate::helpers::{Response, TestApp};

fn assign(app: &TestApp, head: &str, case: &Value, handler: i64) -> Value {
    let id = case["id"].as_i64().unwrap();
    let request = app
        .client
        .post(app.url(&format!("/api/v1/cases/{id}/assignment")))
        .bearer_auth(head)
        .header("If-Match", format!("\"{}\"", case["version"]))
        .json(&json!({ "assignee_id": handler }));
    app.send(request).ok(200)
}

fn schedule(app: &TestApp, token: &str, case: &Value, body: &Value) -> Response {
    app.post(&format!("/api/v1/cases/{}/dialogues", case["id"]), Some(token), body)
}

fn patch(app: &TestApp, token: &str, dialogue: &Value, body: &Value) -> Response {
    let request = app
        .client
        .patch(app.url(&format!("/api/v1/dialogues/{}", dialogue["id"])))
        .bearer_auth(token)
        .header("If-Match", format!("\"{}\"", dialogue["version"]))
        .json(body);
    app.send(request)
}

fn timeline(app: &TestApp, token: &str, case: &Value) -> Vec<Value> {
    app.get(&format!("/api/v1/cases/{}/timeline", case["id"]), Some(token)).ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_str().unwrap().starts_with("dialogue_"))
        .cloned()
        .collect()
}

struct Desk {
    app: TestApp,
    head: String,
    handler: String,
    handler_id: i64,
    citizen: i64,
}

fn desk() -> Desk {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let (handler_user, handler) = app.signed_in(Role::Handler);
    let citizen = citizen(&app, &head, "Nguyễn Thị Hoa", "079200000001", "0966666666");
    Desk { app, head, handler, handler_id: handler_user.id, citizen }
}

/// A complaint of `round` accepted by the head and assigned to the desk's handler.
fn accepted_complaint(d: &Desk, round: i32) -> Value {
    let app = &d.app;
    let mut body = complaint(d.citizen);
    if round == 2 {
        let first = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
        body["round"] = json!(2);
        body["parent_id"] = first["id"].clone();
    }
    let case = app.post("/api/v1/cases", Some(&d.head), &body).ok(201);
    let accept = json!({ "action": "accept", "decision_no": "15/QĐ-TCD", "accepted_on": "2026-11-25" });
    let case = act(app, &d.head, &case, accept).ok(200);
    assign(app, &d.head, &case, d.handler_id)
}

fn invitation(citizen: i64) -> Value {
    json!({
        "scheduled_at": "2026-11-27T02:00:00Z",
        "location": "Phòng tiếp công dân, số 52 Hùng Vương",
        "chair": "Ông Trần Văn Bình, Phó Chủ tịch UBND tỉnh",
        "participants": [
            { "name": "Nguyễn Thị Hoa", "role": "complainant", "citizen_id": citizen, "email": "hoa@example.vn" },
            { "name": "UBND phường Trần Phú", "role": "respondent" },
            { "name": "Ông Lê Văn Cường", "role": "related_party", "email": "cuong@example.vn" },
        ],
    })
}

fn minutes_of_session() -> Value {
    json!({
        "status": "held",
        "held_at": "2026-11-27T02:30:00Z",
        "minutes": {
            "opinions": "Bà Hoa giữ nguyên yêu cầu bồi thường theo giá thị trường",
            "result": "Thống nhất diện tích thu hồi; chưa thống nhất mức bồi thường",
            "agreed": "Diện tích đất thu hồi 120 m²",
            "disagreed": "Đơn giá bồi thường",
        },
        "participants": [
            { "name": "Nguyễn Thị Hoa", "role": "complainant", "attended": true, "signed": true },
            { "name": "UBND phường Trần Phú", "role": "respondent", "attended": true, "signed": false,
              "refusal_reason": "Không đồng ý với nội dung ghi nhận ý kiến" },
            { "name": "Ông Lê Văn Cường", "role": "related_party", "attended": false,
              "absence_reason": "Đi công tác, có giấy báo" },
        ],
    })
}

fn decide(app: &TestApp, head: &str, case: &Value, reason: Option<&str>) -> Response {
    // A second-round decision upholds, amends or annuls the first one (Luật Khiếu nại Art 40).
    let outcome = if case["round"] == 2 { "upheld" } else { "partly_correct" };
    let mut command =
        json!({ "action": "decide", "decision_no": "30/QĐ-UBND", "decided_on": "2026-11-28", "outcome": outcome });
    if let Some(reason) = reason {
        command["dialogue_not_needed_reason"] = json!(reason);
    }
    act(app, head, case, command)
}

fn current(app: &TestApp, token: &str, case: &Value) -> Value {
    app.get(&format!("/api/v1/cases/{}", case["id"]), Some(token)).ok(200)
}

#[test]
fn a_second_round_complaint_is_decided_only_after_a_held_dialogue() {
    let d = desk();
    let app = &d.app;
    let case = accepted_complaint(&d, 2);
    assert_eq!(case["round"], 2);
    // Round 2 always holds a dialogue (Luật Khiếu nại Art 39), whatever reason is given.
    decide(app, &d.head, &case, None).problem(409, "dialogue_required");
    decide(app, &d.head, &case, Some("Thống nhất")).problem(409, "dialogue_required");

    // A scheduled or cancelled dialogue does not count.
    let cancelled = schedule(app, &d.handler, &case, &invitation(d.citizen)).ok(201);
    patch(app, &d.handler, &cancelled, &json!({ "status": "cancelled", "reason": "Người khiếu nại xin dời" })).ok(200);
    let dialogue = schedule(app, &d.handler, &case, &invitation(d.citizen)).ok(201);
    decide(app, &d.head, &case, None).problem(409, "dialogue_required");

    patch(app, &d.handler, &dialogue, &minutes_of_session()).ok(200);
    // Recording a dialogue leaves the case's version alone.
    let case = current(app, &d.head, &case);
    let decided = decide(app, &d.head, &case, None).ok(200);
    assert_eq!(decided["status"], "decided");
}

#[test]
fn a_first_round_complaint_decides_with_a_held_dialogue_and_no_reason() {
    let d = desk();
    let app = &d.app;
    let case = accepted_complaint(&d, 1);
    decide(app, &d.head, &case, None).problem(409, "dialogue_required");
    let dialogue = schedule(app, &d.head, &case, &invitation(d.citizen)).ok(201);
    patch(app, &d.head, &dialogue, &minutes_of_session()).ok(200);
    let decided = decide(app, &d.head, &case, None).ok(200);
    assert_eq!(decided["status"], "decided");
}

#[test]
fn a_dialogue_is_scheduled_rescheduled_and_recorded_with_its_timeline() {
    let d = desk();
    let app = &d.app;
    let case = accepted_complaint(&d, 2);

    let response = schedule(app, &d.handler, &case, &invitation(d.citizen));
    let dialogue = response.ok(201);
    let id = dialogue["id"].as_i64().unwrap();
    assert_eq!(response.header("location"), Some(format!("/api/v1/dialogues/{id}")));
    assert_eq!(response.header("etag"), Some("\"1\"".to_owned()));
    let keys: Vec<&str> = dialogue.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "id",
        "case_id",
        "case_code",
        "status",
        "scheduled_at",
        "location",
        "chair",
        "participants",
        "held_at",
        "minutes",
        "cancel_reason",
        "version",
        "created_at",
        "updated_at",
    ] {
        assert!(keys.contains(&key), "{key} missing: {dialogue}");
    }
    assert_eq!(dialogue["case_id"], case["id"]);
    assert_eq!(dialogue["case_code"], case["code"]);
    assert_eq!(dialogue["status"], "scheduled");
    assert_eq!(dialogue["scheduled_at"], "2026-11-27T02:00:00Z");
    assert_eq!(dialogue["minutes"], Value::Null);
    assert_eq!(dialogue["participants"][0]["citizen_id"], d.citizen);
    assert_eq!(dialogue["participants"][0]["email"], "hoa@example.vn");
    assert_eq!(dialogue["participants"][0]["attended"], Value::Null);
    assert_eq!(dialogue["participants"][1]["role"], "respondent");

    // Reschedule: a new time and place; the rest stays.
    let moved = json!({ "scheduled_at": "2026-11-27T01:00:00Z", "location": "Hội trường UBND phường Trần Phú" });
    let response = patch(app, &d.handler, &dialogue, &moved);
    let dialogue = response.ok(200);
    assert_eq!(response.header("etag"), Some("\"2\"".to_owned()));
    assert_eq!(dialogue["version"], 2);
    assert_eq!(dialogue["scheduled_at"], "2026-11-27T01:00:00Z");
    assert_eq!(dialogue["location"], "Hội trường UBND phường Trần Phú");
    assert_eq!(dialogue["chair"], "Ông Trần Văn Bình, Phó Chủ tịch UBND tỉnh");
    assert_eq!(dialogue["participants"].as_array().unwrap().len(), 3);

    // The session: one signed, one refused to sign with the reason, one absent with the reason.
    let held = patch(app, &d.handler, &dialogue, &minutes_of_session()).ok(200);
    assert_eq!(held["status"], "held");
    assert_eq!(held["held_at"], "2026-11-27T02:30:00Z");
    assert_eq!(held["minutes"]["result"], "Thống nhất diện tích thu hồi; chưa thống nhất mức bồi thường");
    assert_eq!(held["minutes"]["agreed"], "Diện tích đất thu hồi 120 m²");
    let people = held["participants"].as_array().unwrap();
    assert_eq!((&people[0]["attended"], &people[0]["signed"]), (&json!(true), &json!(true)));
    assert_eq!(people[0]["citizen_id"], d.citizen, "the invitation's citizen stays with the person");
    assert_eq!(people[1]["signed"], false);
    assert_eq!(people[1]["refusal_reason"], "Không đồng ý với nội dung ghi nhận ý kiến");
    assert_eq!(people[2]["attended"], false);
    assert_eq!(people[2]["absence_reason"], "Đi công tác, có giấy báo");
    let fetched = app.get(&format!("/api/v1/dialogues/{id}"), Some(&d.head));
    assert_eq!(fetched.header("etag"), Some("\"3\"".to_owned()));
    assert_eq!(fetched.ok(200), held);

    // Held minutes are final.
    let again = patch(app, &d.handler, &held, &json!({ "status": "cancelled", "reason": "x" }));
    again.problem(409, "dialogue_closed");
    patch(app, &d.handler, &held, &json!({ "chair": "Bà Lan" })).problem(409, "dialogue_closed");

    let events = timeline(app, &d.head, &case);
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["dialogue_scheduled", "dialogue_rescheduled", "dialogue_held"]);
    for event in &events {
        assert_eq!(event["data"]["dialogue_id"], id);
        assert!(!event["data"].to_string().contains('@'), "no e-mail address in the timeline: {event}");
    }
    assert_eq!(events[0]["data"]["scheduled_at"], "2026-11-27T02:00:00Z");
    assert_eq!(events[0]["data"]["participants"][2]["name"], "Ông Lê Văn Cường");
    let changes = &events[1]["data"]["changes"];
    assert_eq!(changes["scheduled_at"]["old"], "2026-11-27T02:00:00Z");
    assert_eq!(changes["scheduled_at"]["new"], "2026-11-27T01:00:00Z");
    assert_eq!(changes["location"]["new"], "Hội trường UBND phường Trần Phú");
    assert!(changes.get("chair").is_none(), "{changes}");
    assert_eq!(events[2]["data"]["held_at"], "2026-11-27T02:30:00Z");
    assert_eq!(events[2]["data"]["participants"][1]["refusal_reason"], "Không đồng ý với nội dung ghi nhận ý kiến");
    assert_eq!(events[2]["data"]["participants"][2]["absence_reason"], "Đi công tác, có giấy báo");
}

#[test]
fn a_dialogue_is_cancelled_with_its_reason() {
    let d = desk();
    let app = &d.app;
    let case = accepted_complaint(&d, 1);
    let dialogue = schedule(app, &d.handler, &case, &invitation(d.citizen)).ok(201);
    let missing = patch(app, &d.handler, &dialogue, &json!({ "status": "cancelled" }));
    assert_eq!(missing.problem(422, "validation_failed")["errors"][0]["field"], "reason");
    let cancelled =
        patch(app, &d.handler, &dialogue, &json!({ "status": "cancelled", "reason": "Người khiếu nại ốm" })).ok(200);
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "Người khiếu nại ốm");
    patch(app, &d.handler, &cancelled, &minutes_of_session()).problem(409, "dialogue_closed");
    let events = timeline(app, &d.handler, &case);
    assert_eq!(events.last().unwrap()["type"], "dialogue_cancelled");
    assert_eq!(events.last().unwrap()["data"]["reason"], "Người khiếu nại ốm");
    assert_eq!(events.last().unwrap()["data"]["dialogue_id"], dialogue["id"]);
}

fn error_fields(response: &Response) -> Vec<String> {
    response.problem(422, "validation_failed")["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_validation_error_names_its_field() {
    let d = desk();
    let app = &d.app;
    let case = accepted_complaint(&d, 1);

    let mut bad = invitation(d.citizen);
    bad["location"] = json!("  ");
    bad["chair"] = json!("");
    bad["participants"] = json!([]);
    assert_eq!(error_fields(&schedule(app, &d.handler, &case, &bad)), ["location", "chair", "participants"]);
    let mut bad = invitation(d.citizen);
    bad["participants"][1]["email"] = json!("not-an-address");
    bad["participants"][2]["citizen_id"] = json!(999_999);
    let fields = error_fields(&schedule(app, &d.handler, &case, &bad));
    assert_eq!(fields, ["participants[1].email"]);
    let mut bad = invitation(d.citizen);
    bad["participants"][2]["citizen_id"] = json!(999_999);
    assert_eq!(error_fields(&schedule(app, &d.handler, &case, &bad)), ["participants[2].citizen_id"]);
    let mut bad = invitation(d.citizen);
    bad["participants"][0]["role"] = json!("judge");
    assert_eq!(error_fields(&schedule(app, &d.handler, &case, &bad)), ["participants[0].role"]);
    let mut bad = invitation(d.citizen);
    bad["participants"][0]["attended"] = json!(true);
    assert_eq!(error_fields(&schedule(app, &d.handler, &case, &bad)), ["participants[0].attended"]);
    let mut bad = invitation(d.citizen);
    bad.as_object_mut().unwrap().remove("scheduled_at");
    assert_eq!(error_fields(&schedule(app, &d.handler, &case, &bad)), ["scheduled_at"]);

    let dialogue = schedule(app, &d.handler, &case, &invitation(d.citizen)).ok(201);
    assert_eq!(error_fields(&patch(app, &d.handler, &dialogue, &json!({}))), ["(body)"]);
    assert_eq!(error_fields(&patch(app, &d.handler, &dialogue, &json!({ "status": "done" }))), ["status"]);
    assert_eq!(error_fields(&patch(app, &d.handler, &dialogue, &json!({ "venue": "x" }))), ["venue"]);
    let mut record = minutes_of_session();
    record["held_at"] = json!("2099-01-01T00:00:00Z");
    record["minutes"].as_object_mut().unwrap().remove("result");
    record["participants"][0]["signed"] = Value::Null;
    record["participants"][1].as_object_mut().unwrap().remove("refusal_reason");
    record["participants"][2]["absence_reason"] = json!("lý do ".repeat(400));
    assert_eq!(
        error_fields(&patch(app, &d.handler, &dialogue, &record)),
        [
            "held_at",
            "minutes.result",
            "participants[0].signed",
            "participants[1].refusal_reason",
            "participants[2].absence_reason"
        ]
    );
    let mut record = minutes_of_session();
    record["participants"].as_array_mut().unwrap().remove(1);
    let problem = patch(app, &d.handler, &dialogue, &record);
    assert_eq!(error_fields(&problem), ["participants"]);
    assert!(problem.text.contains("UBND phường Trần Phú"), "{}", problem.text);
    let mut record = minutes_of_session();
    record["reason"] = json!("x");
    assert_eq!(error_fields(&patch(app, &d.handler, &dialogue, &record)), ["reason"]);
    // Nothing was changed by the refused requests.
    let unchanged = app.get(&format!("/api/v1/dialogues/{}", dialogue["id"]), Some(&d.handler)).ok(200);
    assert_eq!(unchanged, dialogue);

    // An absence whose reason nobody gave is recorded as such (Art 30.6: absent without valid
    // reason).
    let mut record = minutes_of_session();
    record["participants"][2].as_object_mut().unwrap().remove("absence_reason");
    let held = patch(app, &d.handler, &dialogue, &record).ok(200);
    assert_eq!(
        (&held["participants"][2]["attended"], &held["participants"][2]["absence_reason"]),
        (&json!(false), &Value::Null)
    );
}

#[test]
fn a_change_sent_with_a_version_needs_the_current_one() {
    let d = desk();
    let app = &d.app;
    let case = accepted_complaint(&d, 1);
    let dialogue = schedule(app, &d.handler, &case, &invitation(d.citizen)).ok(201);
    let url = app.url(&format!("/api/v1/dialogues/{}", dialogue["id"]));
    let body = json!({ "location": "Phòng họp số 3" });
    patch(app, &d.handler, &dialogue, &body).ok(200);
    let stale = patch(app, &d.handler, &dialogue, &json!({ "location": "Phòng họp số 4" }));
    assert_eq!(stale.problem(412, "precondition_failed")["current_version"], 2);
    let garbage = app.send(app.client.patch(&url).bearer_auth(&d.handler).header("If-Match", "abc").json(&body));
    garbage.problem(412, "precondition_failed");
    // Without `If-Match` the change applies to the dialogue as it is.
    let unconditional = json!({ "location": "Phòng họp số 5" });
    let changed = app.send(app.client.patch(&url).bearer_auth(&d.handler).json(&unconditional)).ok(200);
    assert_eq!((&changed["location"], &changed["version"]), (&json!("Phòng họp số 5"), &json!(3)));
}

#[test]
fn access_follows_the_case() {
    let d = desk();
    let app = &d.app;
    let case = accepted_complaint(&d, 1);
    let dialogue = schedule(app, &d.handler, &case, &invitation(d.citizen)).ok(201);
    let path = format!("/api/v1/dialogues/{}", dialogue["id"]);

    // Another handler does not see a case assigned to a colleague.
    let (_, other) = app.signed_in(Role::Handler);
    schedule(app, &other, &case, &invitation(d.citizen)).problem(404, "not_found");
    app.get(&path, Some(&other)).problem(404, "not_found");
    patch(app, &other, &dialogue, &json!({ "chair": "x" })).problem(404, "not_found");
    // A case in the unassigned queue is seen by every handler, but managed by none of them.
    let queued = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let queued =
        act(app, &d.head, &queued, json!({ "action": "accept", "decision_no": "2", "accepted_on": "2026-11-25" }))
            .ok(200);
    schedule(app, &other, &queued, &invitation(d.citizen)).problem(403, "forbidden");
    let head_scheduled = schedule(app, &d.head, &queued, &invitation(d.citizen)).ok(201);
    app.get(&format!("/api/v1/dialogues/{}", head_scheduled["id"]), Some(&other)).ok(200);
    patch(app, &other, &head_scheduled, &json!({ "chair": "x" })).problem(403, "forbidden");

    // Auditors read, and only read.
    let (_, auditor) = app.signed_in(Role::Auditor);
    app.get(&path, Some(&auditor)).ok(200);
    schedule(app, &auditor, &case, &invitation(d.citizen)).problem(403, "forbidden");
    patch(app, &auditor, &dialogue, &json!({ "chair": "x" })).problem(403, "forbidden");
    // A receptionist who did not record the case does not know it.
    let (_, desk_officer) = app.signed_in(Role::Receptionist);
    app.get(&path, Some(&desk_officer)).problem(404, "not_found");
    app.get("/api/v1/dialogues/999999", Some(&d.head)).problem(404, "not_found");
    app.get(&path, None).problem(401, "unauthorized");
}

#[test]
fn the_calendar_filters_by_local_date_and_visibility() {
    let d = desk();
    let app = &d.app;
    let mine = accepted_complaint(&d, 1);
    let (colleague_user, colleague) = app.signed_in(Role::Handler);
    let theirs = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let theirs =
        act(app, &d.head, &theirs, json!({ "action": "accept", "decision_no": "3", "accepted_on": "2026-11-25" }))
            .ok(200);
    let theirs = assign(app, &d.head, &theirs, colleague_user.id);

    let at = |when: &str| {
        let mut body = invitation(d.citizen);
        body["scheduled_at"] = json!(when);
        body
    };
    // 17:30 UTC on 9 Dec is 00:30 on 10 Dec in Vietnam.
    let late_evening = schedule(app, &d.handler, &mine, &at("2026-12-09T17:30:00Z")).ok(201);
    let morning = schedule(app, &d.handler, &mine, &at("2026-12-10T02:00:00Z")).ok(201);
    let before = schedule(app, &d.handler, &mine, &at("2026-12-09T16:59:00Z")).ok(201);
    let colleagues = schedule(app, &colleague, &theirs, &at("2026-12-10T03:00:00Z")).ok(201);

    let ids =
        |page: &Value| -> Vec<Value> { page["items"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect() };
    let day = app.get("/api/v1/dialogues?from=2026-12-10&to=2026-12-10", Some(&d.head)).ok(200);
    assert_eq!(ids(&day), [late_evening["id"].clone(), morning["id"].clone(), colleagues["id"].clone()]);
    assert_eq!(day["next_cursor"], Value::Null);
    let day = app.get("/api/v1/dialogues?from=2026-12-10&to=2026-12-10", Some(&d.handler)).ok(200);
    assert_eq!(ids(&day), [late_evening["id"].clone(), morning["id"].clone()]);
    let day = app.get("/api/v1/dialogues?to=2026-12-09", Some(&colleague)).ok(200);
    assert!(ids(&day).is_empty());
    let all = app.get("/api/v1/dialogues", Some(&d.handler)).ok(200);
    assert_eq!(ids(&all), [before["id"].clone(), late_evening["id"].clone(), morning["id"].clone()]);

    // Pages of one, in the same order.
    let first = app.get("/api/v1/dialogues?from=2026-12-09&limit=2", Some(&d.head)).ok(200);
    assert_eq!(ids(&first), [before["id"].clone(), late_evening["id"].clone()]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app.get(&format!("/api/v1/dialogues?from=2026-12-09&limit=2&cursor={cursor}"), Some(&d.head)).ok(200);
    assert_eq!(ids(&second), [morning["id"].clone(), colleagues["id"].clone()]);
    assert_eq!(second["next_cursor"], Value::Null);

    let refused = app.get("/api/v1/dialogues?from=2026-12-10&to=2026-12-09", Some(&d.head));
    assert_eq!(error_fields(&refused), ["to"]);
    assert_eq!(error_fields(&app.get("/api/v1/dialogues?from=tomorrow", Some(&d.head))), ["from"]);
    assert_eq!(error_fields(&app.get("/api/v1/dialogues?limit=500", Some(&d.head))), ["limit"]);
}

#[test]
fn only_complaints_under_resolution_have_dialogues() {
    let d = desk();
    let app = &d.app;
    let case = app.post("/api/v1/cases", Some(&d.head), &denunciation(d.citizen)).ok(201);
    let case = act(app, &d.head, &case, json!({ "action": "accept", "decision_no": "4", "accepted_on": "2026-11-25" }))
        .ok(200);
    schedule(app, &d.head, &case, &invitation(d.citizen)).problem(409, "dialogue_not_applicable");

    let received = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    schedule(app, &d.head, &received, &invitation(d.citizen)).problem(409, "case_not_in_resolution");
    app.post("/api/v1/cases/999999/dialogues", Some(&d.head), &invitation(d.citizen)).problem(404, "not_found");
}
