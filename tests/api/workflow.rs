//! The legal workflow over HTTP: transitions with their guards, due dates at every step, and the
//! holiday calendar that moves them.

use std::sync::Arc;

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::cases::{act, citizen, complaint, denunciation};
use crate::helpers::TestApp;

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

fn clocks(case: &Value) -> Vec<(String, Value)> {
    case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["clock"].as_str().unwrap().to_owned(), d["due_on"].clone()))
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

#[test]
fn a_first_round_complaint_from_receipt_to_closure() {
    let d = desk();
    let app = &d.app;
    let case = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let case = assign(app, &d.head, &case, d.handler_id);

    // The handler may not accept: that is the head's decision.
    let accept = json!({ "action": "accept", "decision_no": "15/QĐ-TCD", "accepted_on": "2026-11-25" });
    act(app, &d.handler, &case, accept.clone()).problem(403, "forbidden");
    // Accepted Wednesday 25 Nov 2026: 30 days of resolution, ending Friday 25 Dec 2026.
    let case = act(app, &d.head, &case, accept).ok(200);
    assert_eq!(case["status"], "accepted");
    assert_eq!(clocks(&case), [("resolution".to_owned(), json!("2026-12-25"))]);
    assert_eq!(case["deadlines"][0]["term"], 30);
    assert_eq!(case["deadlines"][0]["unit"], "calendar");

    let verify = json!({ "action": "start_verification", "verifier": "Tổ xác minh số 2", "document_no": "20/QĐ-TCD" });
    let case = act(app, &d.handler, &case, verify).ok(200);
    assert_eq!(case["status"], "verifying");

    // Round 1 needs a held dialogue or the reason why none was needed.
    let decide = json!({ "action": "decide", "decision_no": "30/QĐ-UBND", "decided_on": "2026-12-20", "outcome": "partly_correct" });
    act(app, &d.head, &case, decide.clone()).problem(409, "dialogue_required");
    let mut wrong_outcome = decide.clone();
    wrong_outcome["outcome"] = json!("upheld");
    wrong_outcome["dialogue_not_needed_reason"] = json!("Yêu cầu và kết quả xác minh thống nhất");
    let problem = act(app, &d.head, &case, wrong_outcome).problem(422, "invalid_outcome");
    assert_eq!(problem["errors"][0]["field"], "outcome");
    let mut decide = decide;
    decide["dialogue_not_needed_reason"] = json!("Yêu cầu và kết quả xác minh thống nhất");
    let case = act(app, &d.head, &case, decide).ok(200);
    assert_eq!(case["status"], "decided");
    assert_eq!(case["outcome"], "partly_correct");
    assert!(clocks(&case).is_empty(), "a decided case has no running clock");
    assert_eq!(case["due_on"], Value::Null);

    let refused =
        act(app, &d.head, &case, json!({ "action": "accept", "decision_no": "x", "accepted_on": "2026-12-21" }));
    let problem = refused.problem(409, "invalid_transition");
    assert_eq!(problem["allowed_actions"], json!(["close"]));
    // An action of the head's asked by the handler is refused for the role first.
    let refused =
        act(app, &d.handler, &case, json!({ "action": "accept", "decision_no": "x", "accepted_on": "2026-12-21" }));
    refused.problem(403, "forbidden");

    let case = act(app, &d.handler, &case, json!({ "action": "close", "summary": "Đã thi hành quyết định" })).ok(200);
    assert_eq!(case["status"], "closed");
    assert_eq!(case["allowed_actions"], json!([]));

    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", case["id"]), Some(&d.head)).ok(200);
    let steps: Vec<_> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_owned(), e["to_status"].clone()))
        .collect();
    assert_eq!(
        steps,
        [
            ("created".to_owned(), json!("received")),
            ("assigned".to_owned(), Value::Null),
            ("accept".to_owned(), json!("accepted")),
            ("start_verification".to_owned(), json!("verifying")),
            ("decide".to_owned(), json!("decided")),
            ("close".to_owned(), json!("closed")),
        ]
    );
    assert_eq!(timeline["items"][2]["data"]["decision_no"], "15/QĐ-TCD");
}

#[test]
fn a_denunciation_with_an_extension_and_a_suspension() {
    let d = desk();
    let app = &d.app;
    let case = app.post("/api/v1/cases", Some(&d.head), &denunciation(d.citizen)).ok(201);
    let case = assign(app, &d.head, &case, d.handler_id);
    let accept = json!({ "action": "accept", "decision_no": "16/QĐ-TCD", "accepted_on": "2026-11-23" });
    // Accepted Monday 23 Nov: 30 days → Wednesday 23 Dec 2026.
    let case = act(app, &d.head, &case, accept).ok(200);
    assert_eq!(clocks(&case), [("resolution".to_owned(), json!("2026-12-23"))]);

    // One extension of 30 days (not very complex): 60 days from 23 Nov → Friday 22 Jan 2027.
    let extend = json!({ "action": "extend", "reason": "Phải xác minh ở hai địa phương", "document_no": "01/QĐ-GH" });
    let case = act(app, &d.head, &case, extend.clone()).ok(200);
    assert_eq!(case["status"], "accepted");
    assert_eq!(clocks(&case), [("resolution".to_owned(), json!("2027-01-22"))]);
    assert_eq!(case["deadlines"][0]["term"], 60);
    act(app, &d.head, &case, extend).problem(409, "extension_limit_reached");

    // Suspended from Tuesday 1 Dec; the clock pauses.
    let suspend = json!({ "action": "suspend", "ground": "awaiting_expert_assessment", "document_no": "02/QĐ-TĐC", "effective_on": "2026-12-01" });
    let case = act(app, &d.head, &case, suspend).ok(200);
    assert_eq!(case["status"], "suspended");
    assert_eq!(case["deadlines"][0]["paused"], true);
    assert_eq!(case["deadlines"][0]["due_on"], Value::Null);
    assert_eq!(case["due_on"], Value::Null);
    // Resumed Friday 11 Dec: 1–10 Dec (10 days) do not count → Monday 1 Feb 2027.
    let resume = json!({ "action": "resume", "document_no": "03/QĐ-TĐC", "effective_on": "2026-12-11" });
    let case = act(app, &d.head, &case, resume).ok(200);
    assert_eq!(case["status"], "accepted");
    assert_eq!(clocks(&case), [("resolution".to_owned(), json!("2027-02-01"))]);
    assert_eq!(case["due_on"], "2027-02-01");
    let explained = app.get(&format!("/api/v1/cases/{}/deadlines/explain", case["id"]), Some(&d.head)).ok(200);
    let resolution = &explained["clocks"][0];
    assert_eq!(resolution["clock"], "resolution");
    assert_eq!(resolution["due_on"], "2027-02-01");
    assert_eq!(resolution["start"], "2026-11-23");
    assert_eq!(resolution["start_event"], "acceptance");
    assert_eq!(resolution["base_term"], 30);
    assert_eq!(resolution["term"], 60);
    assert_eq!(resolution["paused_days"], 10);
    assert_eq!(resolution["paused_spans"][0]["effective_on"], "2026-12-01");
    assert_eq!(resolution["paused_spans"][0]["resumed_on"], "2026-12-11");
    assert!(resolution["source"].as_str().unwrap().contains("Tố cáo"), "{resolution}");
    assert_eq!(resolution["rule_set"], "2026-07");
    assert!(resolution["rule"].as_str().is_some_and(|rule| !rule.is_empty()), "{resolution}");
    assert_eq!(resolution["unit"], "calendar");
    assert_eq!(resolution["extensions"], json!({ "effect": "added_days", "count": 1, "days_each": 30, "added": 30 }));
    assert_eq!(resolution["skipped"], json!([]), "Monday 1 February 2027 is a working day: nothing rolled over");
    assert_eq!(explained["rule_set"], "2026-07");
    let listed = app.get("/api/v1/cases?due_before=2027-02-01", Some(&d.head)).ok(200);
    assert_eq!(listed["items"][0]["id"], case["id"], "the stored due date follows");

    // A withdrawal that the law still requires to be resolved keeps the case where it is.
    let withdraw = json!({ "action": "withdraw", "document_no": "04/ĐRTC", "continue_despite_withdrawal": true });
    let case = act(app, &d.handler, &case, withdraw).ok(200);
    assert_eq!(case["status"], "accepted");
    let terminate = json!({ "action": "terminate", "ground": "withdrawn", "document_no": "05/QĐ-ĐC" });
    let case = act(app, &d.head, &case, terminate).ok(200);
    assert_eq!(case["status"], "terminated");
}

#[test]
fn guards_of_the_law_refuse_with_their_codes() {
    let d = desk();
    let app = &d.app;
    // A complaint received in 2026-11 runs under rule set 2026-07, which allows suspension; one
    // received in June 2026 runs under 2019, which does not.
    let mut old = complaint(d.citizen);
    old["received_at"] = json!("2026-06-15T02:00:00Z");
    let case = app.post("/api/v1/cases", Some(&d.head), &old).ok(201);
    let case = act(app, &d.head, &case, json!({ "action": "accept", "decision_no": "1", "accepted_on": "2026-06-20" }))
        .ok(200);
    let suspend =
        json!({ "action": "suspend", "ground": "force_majeure", "document_no": "2", "effective_on": "2026-06-25" });
    act(app, &d.head, &case, suspend.clone()).problem(409, "suspension_not_allowed");
    let recent = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let recent =
        act(app, &d.head, &recent, json!({ "action": "accept", "decision_no": "1", "accepted_on": "2026-11-23" }))
            .ok(200);
    let mut suspend_recent = suspend;
    suspend_recent["effective_on"] = json!("2026-11-25");
    act(app, &d.head, &recent, suspend_recent).ok(200);

    // A denunciation is transferred once, even through a linked case.
    let case = app.post("/api/v1/cases", Some(&d.head), &denunciation(d.citizen)).ok(201);
    let transfer = json!({ "action": "transfer", "target_body": "Thanh tra huyện", "document_no": "10/PC" });
    let transferred = act(app, &d.head, &case, transfer.clone()).ok(200);
    assert_eq!(transferred["status"], "transferred");
    assert_eq!(clocks(&transferred)[0].0, "reply");
    let mut again = denunciation(d.citizen);
    again["round"] = json!(2);
    again["parent_id"] = case["id"].clone();
    let second = app.post("/api/v1/cases", Some(&d.head), &again).ok(201);
    act(app, &d.head, &second, transfer).problem(409, "already_transferred");

    // Guidance is given once to the same citizen on the same matter.
    let first = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let guide = json!({ "action": "guide", "target_body": "TAND huyện", "document_no": "11/HD" });
    act(app, &d.head, &first, guide.clone()).ok(200);
    let mut follow = complaint(d.citizen);
    follow["round"] = json!(2);
    follow["parent_id"] = first["id"].clone();
    let follow = app.post("/api/v1/cases", Some(&d.head), &follow).ok(201);
    act(app, &d.head, &follow, guide).problem(409, "already_guided");
    // Reads offer only what a transition would accept.
    let read = app.get(&format!("/api/v1/cases/{}", follow["id"]), Some(&d.head)).ok(200);
    assert!(!read["allowed_actions"].as_array().unwrap().contains(&json!("guide")), "{}", read["allowed_actions"]);
    assert!(read["allowed_actions"].as_array().unwrap().contains(&json!("accept")));
    // A page of the list, whose histories are read for all its cases at once, offers each case
    // what the case's own read offers.
    let page = app.get("/api/v1/cases?limit=100", Some(&d.head)).ok(200);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    for item in items {
        let single = app.get(&format!("/api/v1/cases/{}", item["id"]), Some(&d.head)).ok(200);
        assert_eq!(item["allowed_actions"], single["allowed_actions"], "case {}", item["code"]);
    }
    let listed = |case: &Value| items.iter().find(|i| i["id"] == case["id"]).unwrap()["allowed_actions"].clone();
    assert!(!listed(&follow).as_array().unwrap().contains(&json!("guide")));
    assert!(!listed(&second).as_array().unwrap().contains(&json!("transfer")));
    assert!(listed(&recent).as_array().unwrap().contains(&json!("resume")));

    // Filing a duplicate names the case it duplicates; grounds must fit the kind.
    let dup = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    act(app, &d.head, &dup, json!({ "action": "file", "reason": "duplicate" })).problem(422, "duplicate_of_required");
    let reject = json!({ "action": "reject", "ground": "form_invalid", "reason": "…" });
    act(app, &d.head, &dup, reject).problem(422, "invalid_ground");
    let filed =
        act(app, &d.head, &dup, json!({ "action": "file", "reason": "duplicate", "duplicate_of": first["id"] }))
            .ok(200);
    assert_eq!(filed["status"], "filed");
    // Unknown actions and missing data name their fields.
    let problem = act(app, &d.head, &recent, json!({ "action": "fly" })).problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "action");
    let missing = act(app, &d.head, &recent, json!({ "action": "resume", "document_no": "x" }));
    assert_eq!(missing.problem(422, "validation_failed")["errors"][0]["field"], "effective_on");
    // Auditors and receptionists take no action.
    let (_, auditor) = app.signed_in(Role::Auditor);
    act(app, &auditor, &filed, json!({ "action": "close", "summary": "x" })).problem(403, "forbidden");
}

#[test]
fn twenty_concurrent_transitions_on_one_case_give_one_success() {
    let d = desk();
    let app = Arc::new(d.app);
    let case = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let threads: Vec<_> = (0..20)
        .map(|i| {
            let (app, head, case) = (app.clone(), d.head.clone(), case.clone());
            std::thread::spawn(move || {
                act(
                    &app,
                    &head,
                    &case,
                    json!({ "action": "accept", "decision_no": format!("{i}"), "accepted_on": "2026-11-25" }),
                )
                .status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 412).count(), 19, "{statuses:?}");
    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", case["id"]), Some(&d.head)).ok(200);
    let accepts = timeline["items"].as_array().unwrap().iter().filter(|e| e["type"] == "accept").count();
    assert_eq!(accepts, 1);
}

#[test]
fn a_calendar_change_moves_open_cases_due_dates() {
    let d = desk();
    let app = &d.app;
    let (admin_user, admin) = app.signed_in(Role::Admin);
    // Received Friday 20 Nov 2026: acceptance (7 working days) due Tuesday 1 Dec, processing
    // (10 working days) due Friday 4 Dec.
    let case = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    assert_eq!(
        clocks(&case),
        [("processing".to_owned(), json!("2026-12-04")), ("acceptance".to_owned(), json!("2026-12-01"))]
    );

    let year = app.get("/api/v1/calendar/2026", Some(&d.head)).ok(200);
    let names: Vec<_> =
        year["holidays"].as_array().unwrap().iter().map(|h| h["date"].as_str().unwrap().to_owned()).collect();
    assert!(names.contains(&"2026-02-17".to_owned()), "Tết 2026 is in the default calendar: {names:?}");
    assert!(names.contains(&"2026-04-27".to_owned()), "the Monday after Hùng Kings' Sunday is off");

    let mut holidays = year["holidays"].as_array().unwrap().clone();
    holidays.push(json!({ "date": "2026-11-24", "name": "Ngày nghỉ đặc biệt" }));
    let body = json!({ "holidays": holidays, "working_days": year["working_days"] });
    let request =
        |token: &str| app.send(app.client.put(app.url("/api/v1/calendar/2026")).bearer_auth(token).json(&body));
    request(&d.head).problem(403, "forbidden");
    let replaced = request(&admin).ok(200);
    assert_eq!(replaced["recomputed_cases"], 1);
    let audit = app.get("/api/v1/audit?type=calendar_replaced", Some(&d.head)).ok(200);
    let entry = &audit["items"][0];
    assert_eq!(audit["items"].as_array().unwrap().len(), 1, "{audit}");
    assert_eq!((entry["object_type"].as_str(), entry["object_id"].as_i64()), (Some("calendar"), Some(2026)));
    assert_eq!(entry["actor_id"], admin_user.id);
    assert_eq!(entry["details"]["holidays"], holidays.len());
    assert_eq!(entry["details"]["open_cases_recomputed"], 1);

    let case = app.get(&format!("/api/v1/cases/{}", case["id"]), Some(&d.head)).ok(200);
    assert_eq!(
        clocks(&case),
        [("processing".to_owned(), json!("2026-12-07")), ("acceptance".to_owned(), json!("2026-12-02"))]
    );
    assert_eq!(case["due_on"], "2026-12-02");
    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", case["id"]), Some(&d.head)).ok(200);
    let last = timeline["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "deadlines_recomputed");
    assert_eq!(last["data"]["due_on"]["old"], "2026-12-01");
    assert_eq!(last["data"]["due_on"]["new"], "2026-12-02");

    // A working day on a weekday, or a name with a control character, is refused.
    let weekday = json!({ "holidays": [], "working_days": [{ "date": "2026-11-25", "name": "x" }] });
    let nul = json!({ "holidays": [{ "date": "2026-11-25", "name": "Nghỉ\u{0}bù" }], "working_days": [] });
    for bad in [weekday, nul] {
        let refused = app.send(app.client.put(app.url("/api/v1/calendar/2026")).bearer_auth(&admin).json(&bad));
        assert_eq!(refused.problem(422, "validation_failed")["errors"][0]["field"], "holidays", "{bad}");
    }
}

#[test]
fn date_arithmetic_is_available_to_clients() {
    let d = desk();
    let add = |query: &str| d.app.get(&format!("/api/v1/calendar/add?{query}"), Some(&d.head));
    // Friday 13 Feb 2026 + 1 working day: Tết runs 16–20 Feb, then a weekend → Monday 23 Feb.
    let tet = add("from=2026-02-13&days=1&unit=working").ok(200);
    assert_eq!(tet["due_on"], "2026-02-23");
    assert!(tet["skipped"].as_array().unwrap().len() >= 5);
    // Friday 24 Apr + 2 calendar days ends on Sunday 26 Apr (Hùng Kings); Monday 27 is its
    // compensatory day off → Tuesday 28 Apr.
    assert_eq!(add("from=2026-04-24&days=2&unit=calendar").ok(200)["due_on"], "2026-04-28");
    assert_eq!(
        add("from=2026-04-24&days=2&unit=lunar").problem(422, "validation_failed")["errors"][0]["field"],
        "unit"
    );
    assert_eq!(add("from=2026-04-24&unit=working").problem(422, "validation_failed")["errors"][0]["field"], "days");
}

#[test]
fn petitions_transfers_guidance_and_filing_each_reach_their_end() {
    let d = desk();
    let app = &d.app;
    let petition = json!({
        "kind": "petition", "field": "policy", "title": "Kiến nghị về chế độ người có công",
        "summary": "Đề nghị xem xét lại chế độ trợ cấp", "source": "online", "received_at": "2026-11-20T02:00:00Z",
        "people": [{ "citizen_id": d.citizen, "role": "petitioner" }], "respondent": "Sở Lao động",
    });
    // A petition: accepted Wednesday 25 Nov, answered within 30 days (a setting) → 25 Dec.
    let case = app.post("/api/v1/cases", Some(&d.head), &petition).ok(201);
    let case =
        act(app, &d.head, &case, json!({ "action": "accept", "decision_no": "1/TB", "accepted_on": "2026-11-25" }))
            .ok(200);
    assert_eq!(clocks(&case), [("resolution".to_owned(), json!("2026-12-25"))]);
    act(app, &d.head, &case, json!({ "action": "start_verification", "verifier": 1, "document_no": "x" }))
        .problem(409, "invalid_transition");
    let decide =
        json!({ "action": "decide", "decision_no": "2/TL", "decided_on": "2026-12-10", "outcome": "answered" });
    let case = act(app, &d.head, &case, decide).ok(200);
    let case = act(app, &d.head, &case, json!({ "action": "close", "summary": "Đã trả lời công dân" })).ok(200);
    assert_eq!(case["status"], "closed");

    // A transferred letter waits for the reply, then closes.
    let case = app.post("/api/v1/cases", Some(&d.head), &petition).ok(201);
    let transfer = json!({ "action": "transfer", "target_body": "UBND huyện Tư Nghĩa", "document_no": "15/PC" });
    let case = act(app, &d.head, &case, transfer).ok(200);
    assert_eq!(case["status"], "transferred");
    assert_eq!(case["deadlines"][0]["clock"], "reply");
    assert_eq!(case["deadlines"][0]["term"], 30);
    let reply = json!({ "action": "record_reply", "document_no": "88/UBND", "reply_date": "2026-12-15", "summary": "Đã giải quyết" });
    let case = act(app, &d.head, &case, reply).ok(200);
    assert_eq!(case["status"], "closed");

    // A denunciation transferred records whether the 5 working days were kept: received
    // Saturday 21 Nov, due Friday 27 Nov — long past by now.
    let case = app.post("/api/v1/cases", Some(&d.head), &denunciation(d.citizen)).ok(201);
    let transfer = json!({ "action": "transfer", "target_body": "Thanh tra tỉnh", "document_no": "16/PC" });
    act(app, &d.head, &case, transfer).ok(200);
    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", case["id"]), Some(&d.head)).ok(200);
    let event = timeline["items"].as_array().unwrap().iter().find(|e| e["type"] == "transfer").unwrap().clone();
    assert_eq!(event["data"]["within_transfer_term"], false);
    assert_eq!(event["data"]["target_body"], "Thanh tra tỉnh");

    // Guidance and filing end the letter at once.
    let case = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let guide = json!({ "action": "guide", "target_body": "Tòa án nhân dân tỉnh", "document_no": "17/HD" });
    let case = act(app, &d.head, &case, guide).ok(200);
    assert_eq!(case["status"], "guided");
    assert!(clocks(&case).is_empty());
    let case = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let case = act(app, &d.handler, &case, json!({ "action": "file", "reason": "anonymous" }));
    case.problem(403, "forbidden");
    let case = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let filed = act(app, &d.head, &case, json!({ "action": "file", "reason": "ineligible" })).ok(200);
    assert_eq!(filed["status"], "filed");
    let reject = json!({ "action": "reject", "ground": "time_limit_expired", "reason": "Quá thời hiệu 90 ngày" });
    let other = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    assert_eq!(act(app, &d.head, &other, reject).ok(200)["status"], "not_accepted");
}

/// A transition refused by the workflow, by a field or by a stale version writes nothing: no
/// status, no timeline event, no notification; the same transition allowed writes all three.
#[test]
fn a_refused_transition_writes_nothing_not_even_a_notification() {
    let d = desk();
    let app = &d.app;
    let (_, admin) = app.signed_in(Role::Admin);
    let case = app.post("/api/v1/cases", Some(&d.head), &complaint(d.citizen)).ok(201);
    let case = assign(app, &d.head, &case, d.handler_id);
    let path = format!("/api/v1/cases/{}", case["id"]);
    let notifications = || app.get("/api/v1/notifications?limit=200", Some(&admin)).ok(200)["items"].clone();
    let timeline = || app.get(&format!("{path}/timeline"), Some(&d.head)).ok(200)["items"].clone();
    let (queued, events) = (notifications(), timeline());

    let decide = json!({ "action": "decide", "decision_no": "1/QĐ", "decided_on": "2026-11-25", "outcome": "upheld" });
    act(app, &d.head, &case, decide).problem(409, "invalid_transition");
    let early = json!({ "action": "accept", "decision_no": "15/QĐ-TCD", "accepted_on": "2020-01-01" });
    act(app, &d.head, &case, early).problem(422, "validation_failed");
    let accept = json!({ "action": "accept", "decision_no": "15/QĐ-TCD", "accepted_on": "2026-11-25" });
    act(app, &d.handler, &case, accept.clone()).problem(403, "forbidden");
    let stale = app.send(
        app.client
            .post(app.url(&format!("{path}/transitions")))
            .bearer_auth(&d.head)
            .header("If-Match", "\"1\"")
            .json(&accept),
    );
    stale.problem(412, "precondition_failed");

    assert_eq!(app.get(&path, Some(&d.head)).ok(200)["version"], case["version"]);
    assert_eq!(timeline(), events);
    assert_eq!(notifications(), queued);

    let accepted = act(app, &d.head, &case, accept).ok(200);
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(timeline().as_array().unwrap().len(), events.as_array().unwrap().len() + 1);
    assert!(notifications().as_array().unwrap().len() > queued.as_array().unwrap().len(), "the acceptance is notified");
}
