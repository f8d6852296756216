//! `tiepdan seed-bench`: the real binary loads cases in batches that the application then reads
//! as its own (stored due dates agree with the computed clocks, the backlog counts them), and
//! work continues after the load (codes, register numbers and ids do not collide).

use std::process::Output;

use serde_json::{Value, json};

use crate::helpers::TestDatabase;
use crate::seed_demo::{Server, binary, cases_held, text};

const PASSWORD: &str = "bench-password-2026";
const OPEN: &str =
    "status=received&status=accepted&status=verifying&status=suspended&status=decided&status=transferred";

fn seed_bench(url: &str, cases: u32, force: bool) -> Output {
    let mut command = binary();
    command
        .args(["seed-bench", "--cases", &cases.to_string(), "--batch", "170", "--handlers", "3"])
        .env("DATABASE_URL", url)
        .env("TIEPDAN_NEW_PASSWORD", PASSWORD)
        .env("TIEPDAN_LOG", "warn");
    if force {
        command.arg("--force");
    }
    command.output().expect("run seed-bench")
}

#[test]
fn seed_bench_loads_cases_the_application_reads_as_its_own() {
    let (_database, url) = TestDatabase::create();
    let loaded = seed_bench(&url, 600, false);
    let stdout = text(&loaded.stdout);
    assert!(loaded.status.success(), "{}", text(&loaded.stderr));
    assert!(stdout.contains("loaded 600 cases"), "{stdout}");
    assert_eq!(cases_held(&url), 600);
    for account in ["bench-head", "bench-auditor", "bench-receptionist-1", "bench-handler-003"] {
        assert!(stdout.lines().any(|l| l.contains(account) && l.ends_with(PASSWORD)), "{account} in\n{stdout}");
    }

    let server = Server::start(&url);
    let head = server.login("bench-head", PASSWORD);
    let open = server.all(&format!("/api/v1/cases?{OPEN}"), &head);
    assert!(open.len() > 5 && open.len() < 300, "recent cases open, old ones closed: {} open", open.len());
    let backlog = server.json("/api/v1/reports/backlog", &head);
    assert_eq!(backlog["open_total"], json!(open.len()));
    let closed = server.all("/api/v1/cases?status=closed", &head);
    assert!(!closed.is_empty());
    assert!(closed.iter().all(|c| c["due_on"].is_null() && c["deadlines"].as_array().unwrap().is_empty()));

    // The stored due dates (which `overdue=true` filters on) are the clocks the application
    // computes when it shows a case (which `flags.overdue` reports).
    let overdue_by_stored_date: Vec<Value> =
        server.all("/api/v1/cases?overdue=true", &head).iter().map(|c| c["id"].clone()).collect();
    let overdue_by_clocks: Vec<Value> =
        open.iter().filter(|c| c["flags"]["overdue"] == true).map(|c| c["id"].clone()).collect();
    assert!(!overdue_by_clocks.is_empty(), "a backlog has overdue cases");
    let sorted = |mut ids: Vec<Value>| {
        ids.sort_by_key(|id| id.as_i64());
        ids
    };
    assert_eq!(sorted(overdue_by_stored_date), sorted(overdue_by_clocks));
    for case in open.iter().filter(|c| !c["due_on"].is_null()) {
        let single = server.json(&format!("/api/v1/cases/{}", case["id"]), &head);
        assert_eq!(single["due_on"], case["due_on"], "case {}", case["code"]);
        assert!(case["allowed_actions"].as_array().is_some_and(|a| !a.is_empty()), "case {}", case["code"]);
    }

    // Work goes on after the load: a new case and a new visit take fresh ids, codes and
    // register numbers.
    let receptionist = server.login("bench-receptionist-1", PASSWORD);
    let received_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let case = json!({
        "kind": "complaint", "field": "land_housing", "title": "Khiếu nại quyết định thu hồi đất",
        "summary": "Công dân khiếu nại quyết định thu hồi đất ở", "source": "post", "received_at": received_at,
        "people": [{ "citizen_id": 1, "role": "complainant" }], "respondent": "UBND xã Quảng Tâm",
    });
    let response = server
        .client
        .post(format!("{}/api/v1/cases", server.base))
        .bearer_auth(&receptionist)
        .json(&case)
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let created: Value = response.json().unwrap();
    assert!(created["id"].as_i64().unwrap() > 600);
    let code = created["code"].as_str().unwrap().to_owned();
    let same_code = server.all(&format!("/api/v1/cases?q={code}"), &head);
    assert_eq!(same_code.len(), 1, "{code} is new");
    let visit = json!({
        "received_at": received_at, "mode": "regular", "citizen_id": 1, "summary": "Hỏi về hồ sơ",
        "outcome": "guided", "target_body": "UBND huyện", "document_no": "1/HD",
    });
    let response = server
        .client
        .post(format!("{}/api/v1/visits", server.base))
        .bearer_auth(&receptionist)
        .json(&visit)
        .send()
        .unwrap();
    let status = response.status().as_u16();
    let visit: Value = response.json().unwrap();
    assert_eq!(status, 201, "{visit}");
    let this_year = server.all("/api/v1/visits", &head);
    let numbers: Vec<i64> = this_year
        .iter()
        .filter(|v| v["year"] == visit["year"] && v["id"] != visit["id"])
        .filter_map(|v| v["register_no"].as_i64())
        .collect();
    assert!(numbers.iter().all(|n| *n < visit["register_no"].as_i64().unwrap()), "the register continues");

    // The due dates the load kept beside each case are those the application counts itself: a
    // start that counts them all again changes no report.
    let reports = ["/api/v1/reports/backlog", "/api/v1/reports/period?from=2000-01-01&to=2100-12-31"];
    let before: Vec<Value> = reports.iter().map(|path| server.json(path, &head)).collect();
    assert!(before[0]["on_time"]["on_time"].as_i64().unwrap() > 0, "{}", before[0]["on_time"]);
    assert!(before[1]["resolution"]["late"].as_i64().unwrap() > 0, "{}", before[1]["resolution"]);
    drop(server);
    let ctx = tiepdan::app::prepare(&crate::helpers::settings(&url, &[])).unwrap();
    ctx.db
        .write(|conn| -> Result<usize, tiepdan::persistence::DbError> {
            use diesel::RunQueryDsl;
            diesel::sql_query(
                "UPDATE cases SET due_on = NULL, processing_due_on = NULL, acceptance_due_on = NULL, \
                 review_due_on = NULL, resolution_due_on = NULL, reply_due_on = NULL, decided_due_on = NULL",
            )
            .execute(conn)?;
            Ok(diesel::sql_query("UPDATE app_settings SET value = 'to_compute' WHERE key = 'clock_due_dates'")
                .execute(conn)?)
        })
        .unwrap();
    let server = Server::start(&url);
    let head = server.login("bench-head", PASSWORD);
    let after: Vec<Value> = reports.iter().map(|path| server.json(path, &head)).collect();
    assert_eq!(after, before);
}

#[test]
fn seed_bench_refuses_a_database_with_cases_unless_forced() {
    let (_database, url) = TestDatabase::create();
    assert!(seed_bench(&url, 50, false).status.success());
    let refused = seed_bench(&url, 50, false);
    assert!(!refused.status.success());
    let message = text(&refused.stderr);
    assert!(message.contains("already holds 50 cases") && message.contains("--force"), "{message}");
    assert_eq!(cases_held(&url), 50);
    let forced = seed_bench(&url, 70, true);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(text(&forced.stdout).contains("(existing account, password unchanged)"));
    assert_eq!(cases_held(&url), 120);
}
