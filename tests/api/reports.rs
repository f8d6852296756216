//! The head's reports over HTTP: a hand-built dataset, and every figure of the backlog, the
//! prolonged cases and the period tables checked against what the dataset implies, worked out by
//! hand below. Dates: rule set `2026-07` for cases received from 1 July 2026 (complaint
//! acceptance 7 working days), `2019` before; no public holiday falls in October or November
//! 2026. Workflow events carry the time they were recorded (now), so the period figures that
//! count events are checked on periods that do or do not contain today.

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::cases::citizen;
use crate::helpers::{Response, TestApp};

const CITIZEN_NAME: &str = "Trần Văn Bình";
const CITIZEN_ID_NUMBER: &str = "079300000123";
const CITIZEN_PHONE: &str = "0905123456";

struct Desk {
    app: TestApp,
    head: String,
    handler_a: i64,
    handler_b: i64,
    citizen: i64,
}

fn act(d: &Desk, case: &Value, command: Value) -> Value {
    let id = case["id"].as_i64().unwrap();
    let current = d.app.get(&format!("/api/v1/cases/{id}"), Some(&d.head)).ok(200);
    let request = d
        .app
        .client
        .post(d.app.url(&format!("/api/v1/cases/{id}/transitions")))
        .bearer_auth(&d.head)
        .header("If-Match", format!("\"{}\"", current["version"]))
        .json(&command);
    d.app.send(request).ok(200)
}

fn assign(d: &Desk, case: &Value, handler: i64) -> Value {
    let id = case["id"].as_i64().unwrap();
    let current = d.app.get(&format!("/api/v1/cases/{id}"), Some(&d.head)).ok(200);
    let request = d
        .app
        .client
        .post(d.app.url(&format!("/api/v1/cases/{id}/assignment")))
        .bearer_auth(&d.head)
        .header("If-Match", format!("\"{}\"", current["version"]))
        .json(&json!({ "assignee_id": handler }));
    d.app.send(request).ok(200)
}

fn case_body(d: &Desk, kind: &str, field: &str, locality: Option<&str>, received_on: &str, title: &str) -> Value {
    let role = match kind {
        "complaint" => "complainant",
        "denunciation" => "denouncer",
        _ => "petitioner",
    };
    json!({
        "kind": kind,
        "field": field,
        "locality": locality,
        "title": title,
        "summary": "Nội dung đơn",
        "source": "post",
        "received_at": format!("{received_on}T02:00:00Z"),
        "people": [{ "citizen_id": d.citizen, "role": role }],
        "respondent": "UBND xã",
    })
}

fn create(d: &Desk, kind: &str, field: &str, locality: Option<&str>, received_on: &str, title: &str) -> Value {
    d.app.post("/api/v1/cases", Some(&d.head), &case_body(d, kind, field, locality, received_on, title)).ok(201)
}

fn accept(d: &Desk, case: &Value, on: &str) -> Value {
    act(d, case, json!({ "action": "accept", "decision_no": "01/QĐ-TL", "accepted_on": on }))
}

/// The dataset, C1 to C13 in the order of their ids (the comments give the clocks worked out by
/// hand: working days skip weekends; calendar-day terms end on a working day here).
struct Dataset {
    c: Vec<Value>,
}

impl Dataset {
    fn id(&self, n: usize) -> i64 {
        self.c[n - 1]["id"].as_i64().unwrap()
    }
    fn code(&self, n: usize) -> String {
        self.c[n - 1]["code"].as_str().unwrap().to_owned()
    }
}

/// A fresh server with a head, two handlers and the citizen.
fn desk() -> Desk {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let handler_a = app.create_user(Role::Handler).id; // "Cán bộ Chuyên viên xử lý đơn 1"
    let handler_b = app.create_user(Role::Handler).id; // "Cán bộ Chuyên viên xử lý đơn 2"
    let citizen = citizen(&app, &head, CITIZEN_NAME, CITIZEN_ID_NUMBER, CITIZEN_PHONE);
    Desk { app, head, handler_a, handler_b, citizen }
}

fn build() -> (Desk, Dataset) {
    let d = desk();
    let mut c = Vec::new();

    // C1 complaint, received Tue 10 Nov, handler A: processing 10 WD → 24 Nov, acceptance 7 WD
    // → 19 Nov.
    let c1 = create(&d, "complaint", "land_housing", Some("Phường Trần Phú"), "2026-11-10", "Khiếu nại thu hồi đất");
    c.push(assign(&d, &c1, d.handler_a));
    // C2 denunciation, received Fri 20 Nov, unassigned: processing → 4 Dec, acceptance → 1 Dec.
    c.push(create(&d, "denunciation", "corruption", None, "2026-11-20", "Tố cáo nhận tiền làm sổ đỏ"));
    // C3 petition, received Fri 13 Nov, handler B: processing → Fri 27 Nov.
    let c3 = create(&d, "petition", "policy", Some("Xã Tịnh Khê"), "2026-11-13", "Kiến nghị chế độ chính sách");
    c.push(assign(&d, &c3, d.handler_b));
    // C4 complaint, received 15 Oct, accepted Tue 20 Oct: resolution 30 days → Thu 19 Nov.
    let c4 = create(&d, "complaint", "land_housing", Some("Phường Trần Phú"), "2026-10-15", "Khiếu nại bồi thường");
    let c4 = assign(&d, &c4, d.handler_a);
    c.push(accept(&d, &c4, "2026-10-20"));
    // C5 denunciation, received 1 Oct, accepted Mon 5 Oct, verifying: resolution → Wed 4 Nov.
    let c5 = create(&d, "denunciation", "corruption", None, "2026-10-01", "Tố cáo vi phạm đấu thầu");
    let c5 = assign(&d, &c5, d.handler_b);
    let c5 = accept(&d, &c5, "2026-10-05");
    c.push(act(&d, &c5, json!({ "action": "start_verification", "verifier": "Tổ xác minh", "document_no": "02/QĐ" })));
    // C6 complaint, received 10 Sep, accepted Mon 14 Sep (resolution → Wed 14 Oct), decided
    // 10 Oct (on time, `correct`), closed.
    let c6 =
        create(&d, "complaint", "land_housing", Some("Phường Trần Phú"), "2026-09-10", "Khiếu nại cấp giấy chứng nhận");
    let c6 = accept(&d, &c6, "2026-09-14");
    let c6 = act(
        &d,
        &c6,
        json!({ "action": "decide", "decision_no": "03/QĐ", "decided_on": "2026-10-10", "outcome": "correct",
                "dialogue_not_needed_reason": "Yêu cầu và kết quả xác minh thống nhất" }),
    );
    c.push(act(&d, &c6, json!({ "action": "close", "summary": "Đã thi hành" })));
    // C7 petition, received 3 Aug, accepted Wed 5 Aug (answer due Fri 4 Sep), answered 10 Sep:
    // late; stays `decided` (open, no clock), handler B.
    let c7 = create(&d, "petition", "policy", None, "2026-08-03", "Kiến nghị sửa đường");
    let c7 = assign(&d, &c7, d.handler_b);
    let c7 = accept(&d, &c7, "2026-08-05");
    c.push(act(
        &d,
        &c7,
        json!({ "action": "decide", "decision_no": "04/TL", "decided_on": "2026-09-10", "outcome": "answered" }),
    ));
    // C8: the second round of C6 (a letter of Mon 2 Nov), unassigned, open round 2 → prolonged;
    // processing → Mon 16 Nov, acceptance 7 WD → Wed 11 Nov.
    let id6 = c[5]["id"].as_i64().unwrap();
    let follow_up = json!({ "received_at": "2026-11-02T02:00:00Z", "summary": "Khiếu nại lần hai", "source": "post" });
    c.push(d.app.post(&format!("/api/v1/cases/{id6}/follow-ups"), Some(&d.head), &follow_up).ok(201));
    // C9: a delegation of 6 received by the head on Thu 5 Nov (opens the case: mass), then a
    // regular visit of 2 on 18 Nov (repeat), handler A; processing → Thu 19 Nov, acceptance →
    // Mon 16 Nov.
    let visit = json!({
        "received_at": "2026-11-05T02:00:00Z", "mode": "periodic_head", "citizen_id": d.citizen, "group_size": 6,
        "summary": "Đoàn đông người khiếu nại", "outcome": "case_opened",
        "new_case": { "kind": "complaint", "field": "land_housing", "locality": "phường trần phú",
                      "title": "Khiếu nại tập thể về bồi thường", "summary": "Đoàn 6 người", "respondent": "UBND phường" },
    });
    let opened = d.app.post("/api/v1/visits", Some(&d.head), &visit).ok(201);
    let c9_id = opened["cases"][0]["id"].as_i64().or_else(|| opened["case_ids"][0].as_i64()).expect("opened case");
    let again = json!({
        "received_at": "2026-11-18T02:00:00Z", "mode": "regular", "citizen_id": d.citizen, "group_size": 2,
        "summary": "Hỏi kết quả", "outcome": "linked_existing", "case_ids": [c9_id],
    });
    d.app.post("/api/v1/visits", Some(&d.head), &again).ok(201);
    let c9 = d.app.get(&format!("/api/v1/cases/{c9_id}"), Some(&d.head)).ok(200);
    c.push(assign(&d, &c9, d.handler_a));
    // A visit guided at the desk (no case), Thu 12 Nov.
    let guided = json!({
        "received_at": "2026-11-12T02:00:00Z", "mode": "adhoc", "citizen_id": d.citizen,
        "summary": "Hỏi thủ tục", "outcome": "guided", "target_body": "UBND huyện", "document_no": "05/HD",
    });
    d.app.post("/api/v1/visits", Some(&d.head), &guided).ok(201);
    // C10 feedback of 3 Nov, filed as ineligible.
    let c10 = create(&d, "feedback", "other", None, "2026-11-03", "Phản ánh tiếng ồn");
    c.push(act(&d, &c10, json!({ "action": "file", "reason": "ineligible" })));
    // C11 complaint of 4 Nov, guided.
    let c11 = create(&d, "complaint", "civil_service", None, "2026-11-04", "Khiếu nại kỷ luật");
    c.push(act(&d, &c11, json!({ "action": "guide", "target_body": "Sở Nội vụ", "document_no": "06/HD" })));
    // C12 petition of 6 Nov, transferred, reply received (closed).
    let c12 = create(&d, "petition", "judicial", None, "2026-11-06", "Kiến nghị thi hành án");
    let c12 = act(&d, &c12, json!({ "action": "transfer", "target_body": "Cục Thi hành án", "document_no": "07/CV" }));
    c.push(act(
        &d,
        &c12,
        json!({ "action": "record_reply", "document_no": "08/TL", "reply_date": "2026-11-20", "summary": "Đã trả lời" }),
    ));
    // C13 complaint of Wed 1 Oct 2025 (rule set 2019), still received, unassigned: processing
    // and acceptance 10 WD → Wed 15 Oct 2025; open for more than 365 days → prolonged.
    c.push(create(&d, "complaint", "land_housing", Some("Xã Tịnh Khê"), "2025-10-01", "Khiếu nại kéo dài"));
    (d, Dataset { c })
}

fn report(d: &Desk, path: &str) -> Value {
    d.app.get(path, Some(&d.head)).ok(200)
}

fn official(id: i64, n: u32) -> Value {
    json!({ "id": id, "full_name": format!("Cán bộ Chuyên viên xử lý đơn {n}") })
}

/// No citizen's identity in any report (DOMAIN.md §8, §9).
fn assert_anonymous(text: &str) {
    for secret in [CITIZEN_NAME, CITIZEN_ID_NUMBER, CITIZEN_PHONE, "@example.vn"] {
        assert!(!text.contains(secret), "`{secret}` appears in a report: {text}");
    }
}

#[test]
fn every_report_figure_matches_the_dataset() {
    let (d, data) = build();
    let a = official(d.handler_a, 1);
    let b = official(d.handler_b, 2);

    // --- Backlog as of Wed 25 Nov 2026; on-time period 1 Jan–25 Nov 2026. Due soon: due by
    // Mon 30 Nov (3 working days).
    let response = d.app.get("/api/v1/reports/backlog?as_of=2026-11-25", Some(&d.head));
    assert_anonymous(&response.text);
    let backlog = response.ok(200);
    // Open: C1, C2, C3, C4, C5, C7 (decided is open), C8, C9, C13; C6, C10, C11, C12 ended.
    assert_eq!(backlog["as_of"], "2026-11-25");
    assert_eq!(backlog["open_total"], 9);
    assert_eq!(
        backlog["by_kind_status"],
        json!([
            { "kind": "complaint", "status": "received", "count": 4 },      // C1 C8 C9 C13
            { "kind": "complaint", "status": "accepted", "count": 1 },      // C4
            { "kind": "denunciation", "status": "received", "count": 1 },   // C2
            { "kind": "denunciation", "status": "verifying", "count": 1 },  // C5
            { "kind": "petition", "status": "received", "count": 1 },       // C3
            { "kind": "petition", "status": "decided", "count": 1 },        // C7
        ])
    );
    assert_eq!(
        backlog["by_field"],
        json!([
            { "field": "policy", "count": 2 },        // C3 C7
            { "field": "land_housing", "count": 5 },  // C1 C4 C8 (inherited from C6) C9 C13
            { "field": "corruption", "count": 2 },    // C2 C5
        ])
    );
    // Overdue cases (earliest due date before 25 Nov): C1 (19 Nov), C4 (19 Nov), C5 (4 Nov),
    // C8 (11 Nov), C9 (16 Nov), C13 (15 Oct 2025). C3 is due soon (27 Nov), C2 is not yet.
    assert_eq!(
        backlog["by_handler"],
        json!([
            { "handler": a, "open": 3, "overdue": 3 },     // C1 C4 C9, all overdue
            { "handler": b, "open": 3, "overdue": 1 },     // C3 C5 C7; C5 overdue
            { "handler": null, "open": 3, "overdue": 2 },  // C2 C8 C13; C8 C13 overdue
        ])
    );
    // Per clock: processing C1 (24 Nov) C8 C9 C13; acceptance C1 C8 C9 C13; resolution C4 C5.
    assert_eq!(
        backlog["overdue"],
        json!({ "total": 6, "by_clock": [
            { "clock": "processing", "count": 4 },
            { "clock": "acceptance", "count": 4 },
            { "clock": "resolution", "count": 2 },
        ] })
    );
    assert_eq!(backlog["due_soon"], json!({ "total": 1, "by_clock": [{ "clock": "processing", "count": 1 }] }));
    // Days since receipt: C1 15, C2 5, C3 12, C8 23, C9 20 | C4 41, C5 55 | C7 114 | C13 420.
    assert_eq!(
        backlog["aging"],
        json!([
            { "bucket": "0-30", "count": 5 },
            { "bucket": "31-60", "count": 2 },
            { "bucket": "61-90", "count": 0 },
            { "bucket": "91-180", "count": 1 },
            { "bucket": "181-365", "count": 0 },
            { "bucket": "366+", "count": 1 },
        ])
    );
    // On time: C6 (decided 10 Oct, due 14 Oct). Late: C7 (decided 10 Sep, due 4 Sep), and the
    // undecided C4 (due 19 Nov) and C5 (due 4 Nov). 1 ÷ 4.
    assert_eq!(
        backlog["on_time"],
        json!({ "from": "2026-01-01", "to": "2026-11-25", "on_time": 1, "late": 3, "rate": 0.25 })
    );
    let overdue_case = |n: usize, due: &str, days: i64, assignee: &Value| {
        json!({ "id": data.id(n), "code": data.code(n), "title": data.c[n - 1]["title"], "due_on": due,
                "days_overdue": days, "assignee": assignee })
    };
    assert_eq!(
        backlog["most_overdue"],
        json!([
            overdue_case(13, "2025-10-15", 406, &Value::Null),
            overdue_case(5, "2026-11-04", 21, &b),
            overdue_case(8, "2026-11-11", 14, &Value::Null),
            overdue_case(9, "2026-11-16", 9, &a),
            overdue_case(1, "2026-11-19", 6, &a),
            overdue_case(4, "2026-11-19", 6, &a),
        ])
    );

    // An on-time period of its own: 1 Oct–31 Oct holds C6's decision only (C4 and C5 fall due
    // in November): 1 of 1.
    let october = report(&d, "/api/v1/reports/backlog?as_of=2026-11-25&from=2026-10-01&to=2026-10-31");
    assert_eq!(
        october["on_time"],
        json!({ "from": "2026-10-01", "to": "2026-10-31", "on_time": 1, "late": 0, "rate": 1.0 })
    );
    // Nothing decided or due in 2025: nothing to rate.
    let empty = report(&d, "/api/v1/reports/backlog?as_of=2026-11-25&from=2025-01-01&to=2025-06-30");
    assert_eq!(empty["on_time"]["rate"], Value::Null);
    assert_eq!((empty["on_time"]["on_time"].as_i64(), empty["on_time"]["late"].as_i64()), (Some(0), Some(0)));

    // --- Prolonged as of 25 Nov 2026: C8 (open round 2), C9 (2 intakes, group of 6), C13
    // (received more than 365 days before).
    let response = d.app.get("/api/v1/reports/prolonged?as_of=2026-11-25", Some(&d.head));
    assert_anonymous(&response.text);
    let prolonged = response.ok(200);
    assert_eq!(prolonged["as_of"], "2026-11-25");
    assert_eq!(
        prolonged["items"],
        json!([
            { "id": data.id(8), "code": data.code(8), "kind": "complaint", "round": 2, "status": "received",
              "flags": ["prolonged"], "first_received_at": "2026-11-02T02:00:00Z", "days_open": 23,
              "visits": 0, "letters": 1, "assignee": null,
              "linked": [{ "id": data.id(6), "code": data.code(6), "round": 1, "status": "closed" }] },
            { "id": data.id(9), "code": data.code(9), "kind": "complaint", "round": 1, "status": "received",
              "flags": ["repeat", "mass"], "first_received_at": "2026-11-05T02:00:00Z", "days_open": 20,
              "visits": 2, "letters": 0, "assignee": a, "linked": [] },
            { "id": data.id(13), "code": data.code(13), "kind": "complaint", "round": 1, "status": "received",
              "flags": ["prolonged"], "first_received_at": "2025-10-01T02:00:00Z", "days_open": 420,
              "visits": 0, "letters": 1, "assignee": null, "linked": [] },
        ])
    );
    // The case list's `flag=prolonged` filter (in SQL, as of today) picks exactly the cases whose
    // shown flag (computed per case) says prolonged; C8, an open second round, is one on any day.
    let ids = |items: &Value| {
        let mut ids: Vec<i64> = items.as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
        ids.sort_unstable();
        ids
    };
    let every = d.app.get("/api/v1/cases?limit=200", Some(&d.head)).ok(200);
    assert!(every["next_cursor"].is_null());
    let flagged: Vec<Value> =
        every["items"].as_array().unwrap().iter().filter(|c| c["flags"]["prolonged"] == true).cloned().collect();
    let filtered = d.app.get("/api/v1/cases?flag=prolonged&limit=200", Some(&d.head)).ok(200);
    assert_eq!(ids(&filtered["items"]), ids(&Value::Array(flagged)));
    assert!(ids(&filtered["items"]).contains(&data.id(8)));
    // "Phường Trần Phú" and "phường trần phú" are one place, named by the first spelling in
    // code-point order: open C1 C4 C8 C9; repeat and mass C9; prolonged C8. "Xã Tịnh Khê" land: C13 (C3 there is a policy matter, not flagged).
    assert_eq!(
        prolonged["hotspots"],
        json!([
            { "field": "land_housing", "locality": "Phường Trần Phú", "open": 4, "repeat": 1, "mass": 1, "prolonged": 1 },
            { "field": "land_housing", "locality": "Xã Tịnh Khê", "open": 1, "repeat": 0, "mass": 0, "prolonged": 1 },
        ])
    );

    // --- Period 1 Sep–31 Oct 2026: before any workflow event was recorded (they are all from
    // today), so only dates written on the cases count: an accepted letter leaves `received` on
    // its `accepted_on`.
    let response = d.app.get("/api/v1/reports/period?from=2026-09-01&to=2026-10-31", Some(&d.head));
    assert_anonymous(&response.text);
    let autumn = response.ok(200);
    assert_eq!(
        autumn,
        json!({
            "from": "2026-09-01", "to": "2026-10-31",
            "reception": { "visits": 0, "persons": 0, "cases_first": 0, "cases_repeat": 0, "delegations": 0, "by_mode": [] },
            // Carried over: C13 (2025), still `received` on 1 Sep; C7 (3 Aug) was accepted on
            // 5 Aug. Received: C4, C5, C6. Processed, all by acceptance: C4, C5, C6.
            "letters": { "carried_over": 1, "received": 3, "processed": 3, "eligible": 3,
                         "by_kind": [{ "kind": "complaint", "count": 2 }, { "kind": "denunciation", "count": 1 }],
                         "in_competence": 3, "guided": 0, "transferred": 0, "replies_received": 0 },
            // Decided: C6 (on time, correct) and C7 (late, answered).
            "resolution": { "accepted": 3, "resolved": 2,
                            "outcomes": [{ "outcome": "correct", "count": 1 }, { "outcome": "answered", "count": 1 }],
                            "on_time": 1, "late": 1 },
        })
    );

    // --- Period 1 Nov 2026–31 Dec 2030: every workflow event (recorded today) falls in it.
    let november = report(&d, "/api/v1/reports/period?from=2026-11-01&to=2030-12-31");
    assert_eq!(
        november,
        json!({
            "from": "2026-11-01", "to": "2030-12-31",
            // The delegation of 6 (first intake of C9), the visit of 2 (a later intake of C9), the
            // guided visit of 1.
            "reception": { "visits": 3, "persons": 9, "cases_first": 1, "cases_repeat": 1, "delegations": 1,
                           "by_mode": [{ "mode": "regular", "visits": 1, "persons": 2 },
                                       { "mode": "periodic_head", "visits": 1, "persons": 6 },
                                       { "mode": "adhoc", "visits": 1, "persons": 1 }] },
            // Carried over: C13 (C4 C5 C6 C7, received before 1 Nov, were accepted before it).
            // Intakes: C1 C2 C3 C8 C9×2 C10 C11 C12 = 9; C10 was filed as ineligible. Processed
            // (recorded today): C10 (filed), C11 (guided), C12 (transferred).
            "letters": { "carried_over": 1, "received": 9, "processed": 3, "eligible": 8,
                         "by_kind": [{ "kind": "complaint", "count": 5 }, { "kind": "denunciation", "count": 1 },
                                     { "kind": "petition", "count": 2 }, { "kind": "feedback", "count": 1 }],
                         "in_competence": 0, "guided": 1, "transferred": 1, "replies_received": 1 },
            "resolution": { "accepted": 0, "resolved": 0, "outcomes": [], "on_time": 0, "late": 0 },
        })
    );

    // --- The official third quarter, 15 Jun–14 Sep 2026: C6 (received 10 Sep, accepted 14 Sep,
    // the last day) and C7 (received 3 Aug, accepted 5 Aug, answered late on 10 Sep); C13 carried.
    let q3 = report(&d, "/api/v1/reports/period?quarter=2026-Q3");
    assert_eq!(
        q3,
        json!({
            "from": "2026-06-15", "to": "2026-09-14",
            "reception": { "visits": 0, "persons": 0, "cases_first": 0, "cases_repeat": 0, "delegations": 0, "by_mode": [] },
            // Processed: C6 and C7, by their acceptance dates.
            "letters": { "carried_over": 1, "received": 2, "processed": 2, "eligible": 2,
                         "by_kind": [{ "kind": "complaint", "count": 1 }, { "kind": "petition", "count": 1 }],
                         "in_competence": 2, "guided": 0, "transferred": 0, "replies_received": 0 },
            "resolution": { "accepted": 2, "resolved": 1, "outcomes": [{ "outcome": "answered", "count": 1 }],
                            "on_time": 0, "late": 1 },
        })
    );
    let q1 = report(&d, "/api/v1/reports/period?quarter=2026-Q1");
    assert_eq!((&q1["from"], &q1["to"]), (&json!("2025-12-15"), &json!("2026-03-14")));
    // C13 is the only case received before then.
    assert_eq!(q1["letters"]["carried_over"], 1);
    // Nine months, from the start of Q1 to the end of Q3: C6 and C7 accepted, C7 answered.
    let nine = report(&d, "/api/v1/reports/period?quarter=2026-9M");
    assert_eq!((&nine["from"], &nine["to"]), (&json!("2025-12-15"), &json!("2026-09-14")));
    assert_eq!((&nine["letters"]["processed"], &nine["resolution"]["resolved"]), (&json!(2), &json!(1)));
}

/// A letter of two contents, opened by a visit in October and split today. The parts' copies of
/// its intake are no letters of their own: the letter is received once, as the split letter's,
/// and the parts are in `received` from today, when they were made (DOMAIN.md §11).
#[test]
fn a_split_letter_is_received_once() {
    let d = desk();
    // K: a petition by post, Tue 6 Oct, left `received`.
    create(&d, "petition", "policy", None, "2026-10-06", "Kiến nghị chế độ");
    // L: a complaint opened by a visit on Mon 5 Oct; it also holds a feedback.
    let visit = json!({
        "received_at": "2026-10-05T02:00:00Z", "mode": "regular", "citizen_id": d.citizen,
        "summary": "Đơn có hai nội dung", "outcome": "case_opened",
        "new_case": { "kind": "complaint", "field": "land_housing", "title": "Khiếu nại và phản ánh",
                      "summary": "Hai nội dung", "respondent": "UBND xã" },
    });
    let letter = d.app.post("/api/v1/visits", Some(&d.head), &visit).ok(201)["cases"][0].clone();
    // A second letter about it, Tue 20 Oct, before it is split.
    let again = json!({ "received_at": "2026-10-20T02:00:00Z", "channel": "post", "summary": "Đơn nhắc lại" });
    let letter = d.app.post(&format!("/api/v1/cases/{}/intakes", letter["id"]), Some(&d.head), &again).ok(201);
    let parts = json!({ "parts": [
        { "kind": "complaint", "field": "land_housing", "title": "Khiếu nại bồi thường", "summary": "Nội dung 1" },
        { "kind": "feedback", "field": "other", "title": "Phản ánh tiếng ồn", "summary": "Nội dung 2" },
    ] });
    let request = d
        .app
        .client
        .post(d.app.url(&format!("/api/v1/cases/{}/split", letter["id"])))
        .bearer_auth(&d.head)
        .header("If-Match", format!("\"{}\"", letter["version"]))
        .json(&parts);
    let split = d.app.send(request).ok(201);
    // Today the feedback part is guided elsewhere, and one more letter comes about the split
    // letter.
    act(&d, &split["cases"][1], json!({ "action": "guide", "target_body": "UBND phường", "document_no": "09/HD" }));
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let late = json!({ "received_at": now, "channel": "post", "summary": "Đơn sau khi tách" });
    d.app.post(&format!("/api/v1/cases/{}/intakes", letter["id"]), Some(&d.head), &late).ok(201);

    // October: the visit's one first-time case is the letter's; received: K and the letter's
    // two, both complaints.
    let october = report(&d, "/api/v1/reports/period?from=2026-10-01&to=2026-10-31");
    assert_eq!(
        october["reception"],
        json!({ "visits": 1, "persons": 1, "cases_first": 1, "cases_repeat": 0, "delegations": 0,
                "by_mode": [{ "mode": "regular", "visits": 1, "persons": 1 }] })
    );
    assert_eq!(
        october["letters"],
        json!({ "carried_over": 0, "received": 3, "processed": 0, "eligible": 3,
                "by_kind": [{ "kind": "complaint", "count": 2 }, { "kind": "petition", "count": 1 }],
                "in_competence": 0, "guided": 0, "transferred": 0, "replies_received": 0 })
    );
    // From November: K and the letter were `received` when it began; the parts came later.
    // Processed today: the letter, by its split, and the feedback part, by its guidance.
    let later = report(&d, "/api/v1/reports/period?from=2026-11-01&to=2030-12-31");
    assert_eq!(
        later["letters"],
        json!({ "carried_over": 2, "received": 1, "processed": 2, "eligible": 1,
                "by_kind": [{ "kind": "complaint", "count": 1 }],
                "in_competence": 0, "guided": 1, "transferred": 0, "replies_received": 0 })
    );
    assert_eq!(later["reception"]["visits"], 0);
    // From tomorrow: K and the complaint part.
    let tomorrow = (tiepdan::time::vietnam_today() + chrono::Days::new(1)).to_string();
    let next = report(&d, &format!("/api/v1/reports/period?from={tomorrow}&to=2030-12-31"));
    assert_eq!((&next["letters"]["carried_over"], &next["letters"]["processed"]), (&json!(2), &json!(0)));

    // The complaint part accepted with a decision dated Wed 21 Oct, before it was made: it is
    // counted as accepted in October, yet it was not there to be carried over into November.
    accept(&d, &split["cases"][0], "2026-10-21");
    let october = report(&d, "/api/v1/reports/period?from=2026-10-01&to=2026-10-31");
    assert_eq!(october["letters"]["in_competence"], 1);
    let later = report(&d, "/api/v1/reports/period?from=2026-11-01&to=2030-12-31");
    assert_eq!(later["letters"]["carried_over"], 2, "K and the letter: {later}");
}

/// Letters and cases are counted apart (DOMAIN.md §11): every letter, a second one about a case
/// too, is a letter received; carried over and processed count cases.
#[test]
fn second_letters_are_received_and_cases_are_carried_over() {
    let d = desk();
    let intake = |case: &Value, on: &str| {
        let body = json!({ "received_at": format!("{on}T02:00:00Z"), "channel": "post", "summary": "Đơn tiếp" });
        d.app.post(&format!("/api/v1/cases/{}/intakes", case["id"]), Some(&d.head), &body).ok(201)
    };
    // A: a complaint of Fri 2 Oct, accepted Wed 7 Oct; a second letter on Tue 10 Nov.
    let a = create(&d, "complaint", "land_housing", None, "2026-10-02", "Khiếu nại A");
    let a = accept(&d, &a, "2026-10-07");
    intake(&a, "2026-11-10");
    // B: a petition of Thu 8 Oct and a second letter on Fri 9 Oct, guided elsewhere today.
    let b = create(&d, "petition", "policy", None, "2026-10-08", "Kiến nghị B");
    let b = intake(&b, "2026-10-09");
    act(&d, &b, json!({ "action": "guide", "target_body": "Sở Tài chính", "document_no": "10/HD" }));
    // C: a feedback of Mon 12 Oct, a second letter on Wed 11 Nov, still waiting.
    let c = create(&d, "feedback", "other", None, "2026-10-12", "Phản ánh C");
    intake(&c, "2026-11-11");

    let letters = |from: &str, to: &str| {
        let l = report(&d, &format!("/api/v1/reports/period?from={from}&to={to}"))["letters"].clone();
        [&l["carried_over"], &l["received"], &l["processed"], &l["in_competence"]].map(|v| v.as_i64().unwrap())
    };
    assert_eq!(letters("2026-09-01", "2026-09-30"), [0, 0, 0, 0]);
    // October: four letters, three cases; A left `received` by its acceptance.
    assert_eq!(letters("2026-10-01", "2026-10-31"), [0, 4, 1, 1]);
    // From November: B and C carried over; A's and C's second letters; B guided today.
    assert_eq!(letters("2026-11-01", "2030-12-31"), [2, 2, 1, 0]);
    assert_eq!(letters("2026-10-01", "2030-12-31"), [0, 6, 2, 1]);
    // From tomorrow: C alone.
    let tomorrow = (tiepdan::time::vietnam_today() + chrono::Days::new(1)).to_string();
    assert_eq!(letters(&tomorrow, "2030-12-31"), [1, 0, 0, 0]);
}

fn get_csv(d: &Desk, path: &str, accept_header: bool) -> Response {
    let mut request = d.app.client.get(d.app.url(path)).bearer_auth(&d.head);
    if accept_header {
        request = request.header("Accept", "text/csv");
    }
    d.app.send(request)
}

#[test]
fn reports_as_csv_carry_the_same_figures_in_vietnamese() {
    let (d, data) = build();

    let response = get_csv(&d, "/api/v1/reports/backlog?as_of=2026-11-25", true);
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    assert_anonymous(&response.text);
    let text = response.text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "Chỉ tiêu,Giá trị");
    for line in [
        "Tổng số vụ việc đang giải quyết,9",
        "Số vụ việc quá hạn,6",
        "Số vụ việc sắp đến hạn,1",
        "Giải quyết đúng hạn,1",
        "Giải quyết trễ hạn,3",
        "Tỷ lệ đúng hạn,0.2500",
        "Khiếu nại,\"Đã tiếp nhận, chờ xử lý\",4",
        "Khiếu nại,Đã thụ lý,1",
        "Tố cáo,Đang xác minh,1",
        "Đất đai, nhà cửa",
        "Cán bộ Chuyên viên xử lý đơn 1,3,3",
        "Cán bộ Chuyên viên xử lý đơn 2,3,1",
        "Chưa phân công,3,2",
        "Xử lý đơn,4",
        "Thụ lý,4",
        "Giải quyết,2",
        "0-30,5",
        "366+,1",
    ] {
        assert!(lines.iter().any(|l| l.contains(line)), "no line with `{line}` in:\n{text}");
    }
    let first_overdue = format!("{},Khiếu nại kéo dài,2025-10-15,406,Chưa phân công", data.code(13));
    assert!(lines.contains(&first_overdue.as_str()), "{text}");

    let response = get_csv(&d, "/api/v1/reports/prolonged?as_of=2026-11-25&format=csv", false);
    assert_eq!(response.status, 200);
    assert_anonymous(&response.text);
    let text = response.text.strip_prefix('\u{feff}').expect("a byte-order mark");
    assert!(text.starts_with("Chỉ tiêu,Giá trị\r\n"), "{text}");
    let c9 = format!(
        "{},Khiếu nại,1,\"Đã tiếp nhận, chờ xử lý\",Nhiều lần; Đông người,2026-11-05,20,2,0,Cán bộ Chuyên viên xử lý đơn 1,",
        data.code(9)
    );
    assert!(text.contains(&c9), "{text}");
    assert!(text.contains("Đất đai, nhà cửa\",Phường Trần Phú,4,1,1,1"), "{text}");

    let response = get_csv(&d, "/api/v1/reports/period?quarter=2026-Q3&format=csv", false);
    assert_eq!(response.status, 200);
    let text = response.text.strip_prefix('\u{feff}').expect("a byte-order mark");
    for line in [
        "Từ ngày,2026-06-15",
        "Đến ngày,2026-09-14",
        "Số lượt tiếp,0",
        "Kỳ trước chuyển sang,1",
        "Tiếp nhận trong kỳ,2",
        "Đã xử lý,2",
        "Đủ điều kiện xử lý,2",
        "Thuộc thẩm quyền (đã thụ lý),2",
        "Kiến nghị,1",
        "Đã giải quyết,1",
        "Quá thời hạn,1",
        "Đã trả lời,1",
    ] {
        assert!(text.split("\r\n").any(|l| l == line), "no line `{line}` in:\n{text}");
    }

    // Every report handed out is an export in the audit log.
    let (_, admin) = d.app.signed_in(Role::Admin);
    let audit = d.app.get("/api/v1/audit?type=report_exported", Some(&admin)).ok(200);
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{audit}");
    assert_eq!(items[0]["details"]["report"], "period");
    assert_eq!(items[0]["details"]["format"], "csv");
    assert_eq!(items[0]["details"]["parameters"], json!({ "from": "2026-06-15", "to": "2026-09-14" }));
}

#[test]
fn only_heads_and_auditors_read_reports() {
    let app = TestApp::spawn();
    let paths = ["/api/v1/reports/backlog", "/api/v1/reports/prolonged", "/api/v1/reports/period?quarter=2026-Q1"];
    for role in [Role::Handler, Role::Receptionist, Role::Admin] {
        let (_, token) = app.signed_in(role);
        for path in paths {
            app.get(path, Some(&token)).problem(403, "forbidden");
        }
    }
    for role in [Role::Head, Role::Auditor] {
        let (_, token) = app.signed_in(role);
        for path in paths {
            let report = app.get(path, Some(&token)).ok(200);
            assert!(report.is_object(), "{report}");
        }
    }
    for path in paths {
        app.get(path, None).problem(401, "unauthorized");
    }
}

#[test]
fn report_parameters_are_checked() {
    let app = TestApp::spawn();
    let (_, head) = app.signed_in(Role::Head);
    let field_of = |response: Response| response.problem(422, "validation_failed")["errors"][0]["field"].clone();
    assert_eq!(field_of(app.get("/api/v1/reports/period", Some(&head))), "from");
    assert_eq!(field_of(app.get("/api/v1/reports/period?from=2026-01-01", Some(&head))), "to");
    assert_eq!(field_of(app.get("/api/v1/reports/period?quarter=2026-Q5", Some(&head))), "quarter");
    assert_eq!(field_of(app.get("/api/v1/reports/period?quarter=2026-Q1&from=2026-01-01", Some(&head))), "quarter");
    assert_eq!(field_of(app.get("/api/v1/reports/period?from=2026-02-01&to=2026-01-01", Some(&head))), "to");
    assert_eq!(field_of(app.get("/api/v1/reports/backlog?as_of=yesterday", Some(&head))), "as_of");
    assert_eq!(field_of(app.get("/api/v1/reports/backlog?format=pdf", Some(&head))), "format");
    assert_eq!(field_of(app.get("/api/v1/reports/prolonged?colour=red", Some(&head))), "colour");
    // Calendar dates far from any case's are refused, not computed on.
    assert_eq!(field_of(app.get("/api/v1/reports/backlog?as_of=%2B262142-12-31", Some(&head))), "as_of");
    assert_eq!(field_of(app.get("/api/v1/reports/backlog?as_of=2026-03-01&from=1899-12-31", Some(&head))), "from");
    assert_eq!(field_of(app.get("/api/v1/reports/prolonged?as_of=-262143-01-01", Some(&head))), "as_of");
    assert_eq!(field_of(app.get("/api/v1/reports/period?from=2026-01-01&to=%2B10000-01-01", Some(&head))), "to");
    assert_eq!(field_of(app.get("/api/v1/reports/period?from=1899-12-31&to=2026-01-01", Some(&head))), "from");
    assert_eq!(field_of(app.get("/api/v1/reports/period?quarter=1900-Q1", Some(&head))), "quarter");
    // An empty database: empty tables, no rate.
    let backlog = app.get("/api/v1/reports/backlog?as_of=2026-03-01", Some(&head)).ok(200);
    assert_eq!(backlog["open_total"], 0);
    assert_eq!(
        backlog["on_time"],
        json!({ "from": "2026-01-01", "to": "2026-03-01", "on_time": 0, "late": 0, "rate": null })
    );
    assert_eq!(backlog["aging"].as_array().unwrap().len(), 6);
}

#[test]
fn the_command_line_prints_the_same_documents() {
    let (_database, url) = crate::helpers::TestDatabase::create();
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiepdan"))
            .current_dir(std::env::temp_dir())
            .env("DATABASE_URL", &url)
            .env_remove("TIEPDAN_JWT_SECRET")
            .env("TIEPDAN_LOG", "error")
            .args(args)
            .output()
            .expect("run tiepdan");
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let backlog: Value =
        serde_json::from_str(&run(&["report", "backlog", "--as-of", "2026-03-01", "--format", "json"])).unwrap();
    assert_eq!(backlog["as_of"], "2026-03-01");
    assert_eq!(backlog["open_total"], 0);
    assert_eq!(backlog["on_time"]["from"], "2026-01-01");
    let period = run(&["report", "period", "--quarter", "2026-Q1", "--format", "csv"]);
    assert!(period.starts_with("\u{feff}Chỉ tiêu,Giá trị\r\n"), "{period}");
    assert!(period.contains("Từ ngày,2025-12-15\r\n"), "{period}");
    assert!(period.contains("Đến ngày,2026-03-14\r\n"), "{period}");
    let prolonged: Value = serde_json::from_str(&run(&["report", "prolonged", "--as-of", "2026-03-01"])).unwrap();
    assert_eq!(prolonged, json!({ "as_of": "2026-03-01", "items": [], "hotspots": [] }));
}

/// The due dates kept beside a case: id, `due_on`, processing, acceptance, review, resolution,
/// reply, and the one a decision was held to.
type Kept = (i64, [Option<chrono::NaiveDate>; 7]);

fn kept_due_dates(d: &Desk) -> Vec<Kept> {
    use diesel::prelude::*;
    use tiepdan::persistence::DbError;
    use tiepdan::persistence::dates::MaybeDay;
    use tiepdan::persistence::schema::cases;
    type Row = (i64, MaybeDay, MaybeDay, MaybeDay, MaybeDay, MaybeDay, MaybeDay, MaybeDay);
    let rows: Vec<Row> = d
        .app
        .ctx
        .db
        .read(|conn| -> Result<_, DbError> {
            Ok(cases::table
                .order(cases::id)
                .select((
                    cases::id,
                    cases::due_on,
                    cases::processing_due_on,
                    cases::acceptance_due_on,
                    cases::review_due_on,
                    cases::resolution_due_on,
                    cases::reply_due_on,
                    cases::decided_due_on,
                ))
                .load(conn)?)
        })
        .unwrap();
    rows.into_iter().map(|(id, a, b, c, e, f, g, h)| (id, [a.0, b.0, c.0, e.0, f.0, g.0, h.0])).collect()
}

fn recomputed_events(d: &Desk) -> Vec<(i64, Value)> {
    use diesel::prelude::*;
    use tiepdan::persistence::DbError;
    use tiepdan::persistence::schema::case_events;
    let rows: Vec<(i64, String)> = d
        .app
        .ctx
        .db
        .read(|conn| -> Result<_, DbError> {
            Ok(case_events::table
                .filter(case_events::event_type.eq("deadlines_recomputed"))
                .order(case_events::id)
                .select((case_events::case_id, case_events::data))
                .load(conn)?)
        })
        .unwrap();
    rows.into_iter().map(|(id, data)| (id, serde_json::from_str(&data).unwrap())).collect()
}

#[test]
fn kept_due_dates_are_counted_at_start_when_missing_or_counted_under_other_rules() {
    use std::sync::Arc;
    use tiepdan::persistence::DbError;
    use tiepdan::service::{Context, clocks, rules};

    let (d, data) = build();
    let day = |text: &str| Some(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap());
    let backlog_path = "/api/v1/reports/backlog?as_of=2026-11-25";
    let period_path = "/api/v1/reports/period?from=2026-08-01&to=2026-11-25";
    let (backlog, period) = (report(&d, backlog_path), report(&d, period_path));
    let kept = kept_due_dates(&d);
    let of = |kept: &[Kept], n: usize| kept.iter().find(|(id, _)| *id == data.id(n)).unwrap().1;
    // As the actions left them: C1 received (due_on, processing, acceptance), C4 accepted
    // (resolution), C6 decided on 10 Oct, held to 14 Oct; C7 decided on 10 Sep, held to 4 Sep.
    let c1 = [day("2026-11-19"), day("2026-11-24"), day("2026-11-19"), None, None, None, None];
    assert_eq!(of(&kept, 1), c1);
    assert_eq!(of(&kept, 4), [day("2026-11-19"), None, None, None, day("2026-11-19"), None, None]);
    assert_eq!(of(&kept, 6), [None, None, None, None, None, None, day("2026-10-14")]);
    assert_eq!(of(&kept, 7), [None, None, None, None, None, None, day("2026-09-04")]);
    assert_eq!(clocks::keep_current(&d.app.ctx, chrono::Utc::now()).unwrap(), None, "counted under these rules");

    // A database from before the kept dates: none there, marked to be counted.
    d.app
        .ctx
        .db
        .write(|conn| -> Result<(), DbError> {
            use diesel::RunQueryDsl;
            diesel::sql_query(
                "UPDATE cases SET due_on = NULL, processing_due_on = NULL, acceptance_due_on = NULL, \
                 review_due_on = NULL, resolution_due_on = NULL, reply_due_on = NULL, decided_due_on = NULL",
            )
            .execute(conn)?;
            diesel::sql_query("UPDATE app_settings SET value = 'to_compute' WHERE key = 'clock_due_dates'")
                .execute(conn)?;
            Ok(())
        })
        .unwrap();
    assert_ne!(report(&d, backlog_path), backlog, "the reports read the kept dates");
    // Nine open cases (C7 among them) and two decided ones (C6, C7).
    let all = Some(clocks::Recounted { open: 9, decided: 2 });
    assert_eq!(clocks::keep_current(&d.app.ctx, chrono::Utc::now()).unwrap(), all);
    assert_eq!(kept_due_dates(&d), kept);
    assert_eq!(report(&d, backlog_path), backlog);
    assert_eq!(report(&d, period_path), period);
    assert_eq!(recomputed_events(&d), [], "dates counted where there were none are not told as moved");

    // A holiday on Wed 14 Oct 2026 moves the date C6's decision was held to (30 days ending on
    // it) to Thu 15 Oct, and no clock of an open case.
    let (_, admin) = d.app.signed_in(Role::Admin);
    let year = d.app.get("/api/v1/calendar/2026", Some(&admin)).ok(200);
    let mut holidays = year["holidays"].as_array().unwrap().clone();
    holidays.push(json!({ "date": "2026-10-14", "name": "Ngày nghỉ đặc biệt" }));
    let body = json!({ "holidays": holidays, "working_days": year["working_days"] });
    let replaced =
        d.app.send(d.app.client.put(d.app.url("/api/v1/calendar/2026")).bearer_auth(&admin).json(&body)).ok(200);
    assert_eq!(replaced["recomputed_cases"], 0);
    let after_holiday = kept_due_dates(&d);
    let mut expected = kept.clone();
    expected.iter_mut().find(|(id, _)| *id == data.id(6)).unwrap().1[6] = day("2026-10-15");
    assert_eq!(after_holiday, expected);
    assert_eq!(recomputed_events(&d), []);

    // Marked complex after its decision, C6 is held to the complex term: 45 days from its
    // acceptance on 14 Sep, Thu 29 Oct; still decided on time on 10 Oct.
    let c6 = d.app.get(&format!("/api/v1/cases/{}", data.id(6)), Some(&d.head)).ok(200);
    let request = d
        .app
        .client
        .patch(d.app.url(&format!("/api/v1/cases/{}", data.id(6))))
        .bearer_auth(&d.head)
        .header("If-Match", format!("\"{}\"", c6["version"]))
        .json(&json!({ "flags": { "complex": true } }));
    d.app.send(request).ok(200);
    let complex = kept_due_dates(&d);
    assert_eq!(of(&complex, 6), [None, None, None, None, None, None, day("2026-10-29")]);
    expected.iter_mut().find(|(id, _)| *id == data.id(6)).unwrap().1[6] = day("2026-10-29");
    assert_eq!(complex, expected);
    assert_eq!(report(&d, period_path)["resolution"], period["resolution"]);

    // An operator corrects the complaint acceptance term of the 2026-07 rule set from 7 to 6
    // working days: at the next start, C1, C8 and C9 are due a working day earlier.
    d.app
        .ctx
        .db
        .write(|conn| -> Result<(), DbError> {
            use diesel::prelude::*;
            use tiepdan::domain::deadline::RuleSet;
            use tiepdan::persistence::schema::rule_sets;
            let document: String = rule_sets::table.find("2026-07").select(rule_sets::document).first(conn)?;
            let mut rule_set: RuleSet = serde_json::from_str(&document).unwrap();
            for rule in rule_set.rules.iter_mut().filter(|r| r.id == "complaint_acceptance") {
                assert_eq!(rule.term, 7);
                rule.term = 6;
            }
            diesel::update(rule_sets::table.find("2026-07"))
                .set(rule_sets::document.eq(serde_json::to_string(&rule_set).unwrap()))
                .execute(conn)?;
            Ok(())
        })
        .unwrap();
    let restarted = Context { rules: Arc::new(rules::load(&d.app.ctx.db).unwrap()), ..d.app.ctx.clone() };
    assert_eq!(clocks::keep_current(&restarted, chrono::Utc::now()).unwrap(), all);
    let corrected = kept_due_dates(&d);
    assert_eq!(of(&corrected, 1), [day("2026-11-18"), day("2026-11-24"), day("2026-11-18"), None, None, None, None]);
    assert_eq!(of(&corrected, 8)[2], day("2026-11-10"));
    assert_eq!(of(&corrected, 9)[2], day("2026-11-13"));
    let moved: Vec<i64> = recomputed_events(&d).iter().map(|(id, _)| *id).collect();
    assert_eq!(moved, [data.id(1), data.id(8), data.id(9)]);
    let (_, told) = &recomputed_events(&d)[0];
    assert_eq!(told["reason"], "rules_changed");
    assert_eq!(told["due_on"], json!({ "old": "2026-11-19", "new": "2026-11-18" }));
    for n in [2, 3, 4, 5, 6, 7, 13] {
        assert_eq!(of(&corrected, n), of(&expected, n), "C{n} has no clock the correction moves");
    }
    assert_eq!(clocks::keep_current(&restarted, chrono::Utc::now()).unwrap(), None);
}
