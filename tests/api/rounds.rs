//! Letters split into one case per content, and second rounds: eligibility, inheritance, clocks
//! and the filing window.

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::cases::{citizen, complaint, denunciation};
use crate::helpers::{Response, TestApp};

fn with_version(app: &TestApp, token: &str, path: &str, version: Option<&str>, body: &Value) -> Response {
    let mut request = app.client.post(app.url(path)).bearer_auth(token).json(body);
    if let Some(version) = version {
        request = request.header("If-Match", version);
    }
    app.send(request)
}

fn version_of(case: &Value) -> String {
    format!("\"{}\"", case["version"])
}

fn act(app: &TestApp, token: &str, case: &Value, command: Value) -> Value {
    let path = format!("/api/v1/cases/{}/transitions", case["id"]);
    with_version(app, token, &path, Some(&version_of(case)), &command).ok(200)
}

fn assign(app: &TestApp, head: &str, case: &Value, handler: i64) -> Value {
    let path = format!("/api/v1/cases/{}/assignment", case["id"]);
    with_version(app, head, &path, Some(&version_of(case)), &json!({ "assignee_id": handler })).ok(200)
}

fn split(app: &TestApp, token: &str, case: &Value, version: Option<&str>, parts: Value) -> Response {
    let path = format!("/api/v1/cases/{}/split", case["id"]);
    with_version(app, token, &path, version, &json!({ "parts": parts }))
}

fn follow_up(app: &TestApp, token: &str, parent: &Value, received_at: &str) -> Response {
    let body = json!({
        "received_at": received_at,
        "summary": "Không đồng ý với quyết định giải quyết lần đầu",
        "source": "post",
    });
    app.post(&format!("/api/v1/cases/{}/follow-ups", parent["id"]), Some(token), &body)
}

fn get(app: &TestApp, token: &str, case: &Value) -> Value {
    app.get(&format!("/api/v1/cases/{}", case["id"]), Some(token)).ok(200)
}

fn clock_names(case: &Value) -> Vec<&str> {
    case["deadlines"].as_array().unwrap().iter().map(|d| d["clock"].as_str().unwrap()).collect()
}

fn roles(case: &Value) -> Vec<(i64, &str)> {
    case["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["citizen_id"].as_i64().unwrap(), p["role"].as_str().unwrap()))
        .collect()
}

fn mixed_parts() -> Value {
    json!([
        {
            "kind": "complaint",
            "field": "land_housing",
            "title": "Khiếu nại quyết định thu hồi đất",
            "summary": "Khiếu nại Quyết định số 12/QĐ-UBND về thu hồi đất ở",
        },
        {
            "kind": "petition",
            "field": "policy",
            "title": "Kiến nghị hỗ trợ tái định cư",
            "summary": "Kiến nghị bố trí đất tái định cư cho các hộ bị thu hồi",
        },
    ])
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
    let citizen = citizen(&app, &head, "Trần Văn Bình", "079200000002", "0977777777");
    Desk { app, head, handler, handler_id: handler_user.id, citizen }
}

/// A first-round case received on 3 Aug 2026 and assigned to the desk's handler.
fn first_round(d: &Desk, mut body: Value) -> Value {
    body["received_at"] = json!("2026-08-03T02:00:00Z");
    let case = d.app.post("/api/v1/cases", Some(&d.head), &body).ok(201);
    assign(&d.app, &d.head, &case, d.handler_id)
}

fn accept(d: &Desk, case: &Value) -> Value {
    act(&d.app, &d.head, case, json!({ "action": "accept", "decision_no": "15/QĐ-TCD", "accepted_on": "2026-08-05" }))
}

/// Accepted 5 Aug, decided 1 Oct 2026.
fn decided(d: &Desk, body: Value) -> Value {
    decided_with(d, body, "correct")
}

fn decided_with(d: &Desk, body: Value, outcome: &str) -> Value {
    let case = accept(d, &first_round(d, body));
    let decide = json!({
        "action": "decide",
        "decision_no": "30/QĐ-UBND",
        "decided_on": "2026-10-01",
        "outcome": outcome,
        "dialogue_not_needed_reason": "Yêu cầu và kết quả xác minh thống nhất",
    });
    let decided = act(&d.app, &d.head, &case, decide);
    assert_eq!(decided["status"], "decided");
    decided
}

#[test]
fn a_mixed_letter_is_split_into_a_complaint_and_a_petition() {
    let d = desk();
    let app = &d.app;
    let son = citizen(app, &d.head, "Trần Văn Sơn", "079200000003", "0988888888");
    let mut letter = complaint(d.citizen);
    letter["people"] = json!([
        { "citizen_id": d.citizen, "role": "complainant" },
        { "citizen_id": son, "role": "representative" },
    ]);
    letter["group_size"] = json!(6);
    letter["flags"] = json!({ "remote_area": true });
    let original = app.post("/api/v1/cases", Some(&d.head), &letter).ok(201);
    let original = assign(app, &d.head, &original, d.handler_id);

    let response = split(app, &d.handler, &original, Some(&version_of(&original)), mixed_parts());
    let body = response.ok(201);
    let parts = body["cases"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    let (complaint_part, petition_part) = (&parts[0], &parts[1]);
    assert!(complaint_part["code"].as_str().unwrap().starts_with("KN-2026-"), "{complaint_part}");
    assert!(petition_part["code"].as_str().unwrap().starts_with("KNPA-2026-"), "{petition_part}");
    assert_eq!(roles(complaint_part), [(d.citizen, "complainant"), (son, "representative")]);
    assert_eq!(roles(petition_part), [(d.citizen, "petitioner"), (son, "representative")]);
    for (part, kind, field) in [(complaint_part, "complaint", "land_housing"), (petition_part, "petition", "policy")] {
        assert_eq!(part["kind"], kind);
        assert_eq!(part["field"], field);
        assert_eq!(part["status"], "received");
        assert_eq!(part["round"], 1);
        assert_eq!(part["parent_id"], Value::Null, "a split part is no second round");
        assert_eq!(part["received_at"], original["received_at"]);
        assert_eq!(part["source"], original["source"]);
        assert_eq!(part["locality"], original["locality"]);
        assert_eq!(part["respondent"], original["respondent"]);
        assert_eq!(part["group_size"], 6);
        assert_eq!(part["flags"]["remote_area"], true);
        assert_eq!(part["flags"]["mass"], true);
        assert_eq!(part["intakes"], 1);
    }
    assert_eq!(clock_names(complaint_part), ["processing", "acceptance"]);
    assert_eq!(clock_names(petition_part), ["processing"]);
    let intakes = app.get(&format!("/api/v1/cases/{}/intakes", petition_part["id"]), Some(&d.head)).ok(200);
    assert_eq!(intakes["items"].as_array().unwrap().len(), 1);
    assert_eq!(intakes["items"][0]["received_at"], original["received_at"]);

    // The letter is filed, with a `split` event naming its parts.
    let filed = get(app, &d.head, &original);
    assert_eq!(filed["status"], "filed");
    assert_eq!(filed["version"], original["version"].as_i64().unwrap() + 1);
    assert!(filed["deadlines"].as_array().unwrap().is_empty());
    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", original["id"]), Some(&d.head)).ok(200);
    let last = timeline["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&last["type"], &last["from_status"], &last["to_status"]),
        (&json!("split"), &json!("received"), &json!("filed"))
    );
    assert_eq!(last["data"]["parts"], json!([complaint_part["code"], petition_part["code"]]));

    // A part's related timeline shows the letter's history under the letter's code, and its
    // sibling's creation.
    let path = format!("/api/v1/cases/{}/timeline?include_related=true", petition_part["id"]);
    let related = app.get(&path, Some(&d.handler)).ok(200);
    let tagged: Vec<(&str, &str)> = related["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["case_code"].as_str().unwrap(), e["type"].as_str().unwrap()))
        .collect();
    let letter_code = original["code"].as_str().unwrap();
    for event in ["created", "assigned", "split"] {
        assert!(tagged.contains(&(letter_code, event)), "{event} of the letter missing: {tagged:?}");
    }
    assert!(tagged.contains(&(complaint_part["code"].as_str().unwrap(), "created")), "{tagged:?}");
    let created = related["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["case_id"] == petition_part["id"] && e["type"] == "created")
        .unwrap();
    assert_eq!(created["data"]["split_from"], original["id"]);
}

#[test]
fn a_split_needs_the_right_person_the_right_moment_and_the_current_version() {
    let d = desk();
    let app = &d.app;
    let (_, other_handler) = app.signed_in(Role::Handler);

    // An unassigned letter is in every handler's queue, but only its handler may split it.
    let mut letter = complaint(d.citizen);
    letter["received_at"] = json!("2026-08-03T02:00:00Z");
    let queued = app.post("/api/v1/cases", Some(&d.head), &letter).ok(201);
    split(app, &other_handler, &queued, Some(&version_of(&queued)), mixed_parts()).problem(403, "forbidden");

    let letter = assign(app, &d.head, &queued, d.handler_id);
    split(app, &d.handler, &letter, None, mixed_parts()).problem(428, "precondition_required");
    let stale = split(app, &d.handler, &letter, Some("\"1\""), mixed_parts()).problem(412, "precondition_failed");
    assert_eq!(stale["current_version"], letter["version"]);
    let one_part = json!([mixed_parts()[0].clone()]);
    let problem =
        split(app, &d.handler, &letter, Some(&version_of(&letter)), one_part).problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "parts");
    let mut bad = mixed_parts();
    bad[1]["field"] = json!("corruption");
    bad[1]["title"] = json!("  ");
    let problem = split(app, &d.handler, &letter, Some(&version_of(&letter)), bad).problem(422, "validation_failed");
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["parts[1].field", "parts[1].title"]);

    // Once accepted, the letter is one case for good.
    let accepted = accept(&d, &letter);
    split(app, &d.head, &accepted, Some(&version_of(&accepted)), mixed_parts()).problem(409, "split_not_allowed");
    // Nothing was created by the refusals.
    let list = app.get("/api/v1/cases", Some(&d.head)).ok(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[test]
fn a_second_round_complaint_inherits_the_matter_but_not_the_handler() {
    let d = desk();
    let app = &d.app;
    let first = decided(&d, complaint(d.citizen));

    // Decided Thursday 1 Oct 2026: day 30 is Saturday 31 Oct, so the window ends Monday 2 Nov.
    let second = follow_up(app, &d.handler, &first, "2026-11-02T03:00:00Z").ok(201);
    assert_eq!(second["kind"], "complaint");
    assert_eq!(second["round"], 2);
    assert_eq!(second["parent_id"], first["id"]);
    assert!(second["code"].as_str().unwrap().starts_with("KN-2026-"));
    assert_eq!(second["title"], format!("Lần 2: {}", first["title"].as_str().unwrap()));
    assert_eq!(second["summary"], "Không đồng ý với quyết định giải quyết lần đầu");
    assert_eq!(second["source"], "post");
    assert_eq!(second["field"], first["field"]);
    assert_eq!(second["locality"], first["locality"]);
    assert_eq!(second["respondent"], first["respondent"]);
    assert_eq!(roles(&second), roles(&first));
    assert_eq!(second["assignee"], Value::Null);
    assert_eq!(second["status"], "received");
    assert_eq!(clock_names(&second), ["processing", "acceptance"]);
    assert_eq!(second["flags"]["filed_late"], false);
    assert_eq!(second["flags"]["prolonged"], true, "an open second round is prolonged");

    // The first round was reached by a letter after its decision.
    let first_now = get(app, &d.head, &first);
    assert_eq!(first_now["flags"]["prolonged"], true);
    assert_eq!(first_now["version"], first["version"].as_i64().unwrap() + 1);
    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", first["id"]), Some(&d.head)).ok(200);
    let last = timeline["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "follow_up");
    assert_eq!(last["data"]["code"], second["code"]);

    // One day later the window has closed.
    let late = follow_up(app, &d.head, &first, "2026-11-03T03:00:00Z").ok(201);
    assert_eq!(late["flags"]["filed_late"], true);
    let filtered = app.get("/api/v1/cases?flag=filed_late", Some(&d.head)).ok(200);
    let ids: Vec<&Value> = filtered["items"].as_array().unwrap().iter().map(|c| &c["id"]).collect();
    assert_eq!(ids, [&late["id"]]);

    // A second round has no third.
    follow_up(app, &d.head, &second, "2026-11-04T03:00:00Z").problem(409, "follow_up_not_allowed");
}

#[test]
fn a_first_round_still_in_its_term_has_no_follow_up() {
    let d = desk();
    let app = &d.app;
    let received = first_round(&d, complaint(d.citizen));
    follow_up(app, &d.handler, &received, "2026-08-20T03:00:00Z").problem(409, "follow_up_not_allowed");

    // Accepted 5 Aug: the 30 days end Friday 4 Sep 2026. A letter on that day is too early.
    let accepted = accept(&d, &received);
    assert_eq!(accepted["due_on"], "2026-09-04");
    follow_up(app, &d.handler, &accepted, "2026-09-04T03:00:00Z").problem(409, "follow_up_not_allowed");
    // From the next day the complainant may go to the superior (Luật Khiếu nại Art 33.1); the
    // window runs from 4 Sep: 30 days end Sunday 4 Oct, so Monday 5 Oct.
    let second = follow_up(app, &d.handler, &accepted, "2026-10-05T03:00:00Z").ok(201);
    assert_eq!(second["round"], 2);
    assert_eq!(second["flags"]["filed_late"], false);
    let late = follow_up(app, &d.handler, &accepted, "2026-10-06T03:00:00Z").ok(201);
    assert_eq!(late["flags"]["filed_late"], true);
    // Undecided, the first round is not marked as reached after a decision.
    assert_eq!(get(app, &d.head, &accepted)["flags"]["prolonged"], false);

    // Petitions and feedback have no second round.
    let mut petition = complaint(d.citizen);
    petition["kind"] = json!("petition");
    petition["people"] = json!([{ "citizen_id": d.citizen, "role": "petitioner" }]);
    let petition = decided_with(&d, petition, "answered");
    follow_up(app, &d.head, &petition, "2026-10-05T03:00:00Z").problem(409, "follow_up_not_allowed");
}

#[test]
fn a_re_denunciation_runs_the_review_clock() {
    let d = desk();
    let app = &d.app;
    let first = decided(&d, denunciation(d.citizen));
    let second = follow_up(app, &d.head, &first, "2026-11-02T03:00:00Z").ok(201);
    assert_eq!(second["kind"], "denunciation");
    assert_eq!(second["round"], 2);
    assert!(second["code"].as_str().unwrap().starts_with("TC-2026-"));
    assert_eq!(second["title"], format!("Tố cáo tiếp: {}", first["title"].as_str().unwrap()));
    assert_eq!(second["field"], "corruption");
    assert_eq!(clock_names(&second), ["processing", "review"]);
    let review = second["deadlines"].as_array().unwrap().iter().find(|c| c["clock"] == "review").unwrap();
    assert_eq!((&review["term"], &review["unit"]), (&json!(20), &json!("calendar")));
    // Received Monday 2 Nov 2026 + 20 days = Sunday 22 Nov → Monday 23 Nov.
    assert_eq!(review["due_on"], "2026-11-23");
    assert_eq!(second["flags"]["filed_late"], false);
}

#[test]
fn a_receptionist_records_a_follow_up_on_a_case_they_created() {
    let d = desk();
    let app = &d.app;
    let (desk_user, receptionist) = app.signed_in(Role::Receptionist);
    let (_, other_receptionist) = app.signed_in(Role::Receptionist);
    let mut letter = complaint(d.citizen);
    letter["received_at"] = json!("2026-08-03T02:00:00Z");
    let case = app.post("/api/v1/cases", Some(&receptionist), &letter).ok(201);
    let case = accept(&d, &assign(app, &d.head, &case, d.handler_id));
    let decide = json!({
        "action": "decide", "decision_no": "31/QĐ-UBND", "decided_on": "2026-10-01", "outcome": "incorrect",
        "dialogue_not_needed_reason": "Yêu cầu và kết quả xác minh thống nhất",
    });
    let case = act(app, &d.head, &case, decide);

    follow_up(app, &other_receptionist, &case, "2026-10-20T03:00:00Z").problem(404, "not_found");
    let second = follow_up(app, &receptionist, &case, "2026-10-20T03:00:00Z").ok(201);
    assert_eq!(second["created_by"]["id"], desk_user.id);
    assert_eq!(second["assignee"], Value::Null);
    // The receptionist sees the case they recorded, and no one else's.
    app.get(&format!("/api/v1/cases/{}", second["id"]), Some(&receptionist)).ok(200);
    app.get(&format!("/api/v1/cases/{}", second["id"]), Some(&other_receptionist)).problem(404, "not_found");
}
