//! Faults under load: a server killed outright (SIGKILL) while receptionists are creating cases,
//! and a PostgreSQL server that drops the server's connections.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::helpers::{self, TestApp, TestDatabase};
use crate::seed_demo::Server;

const PASSWORD: &str = "mật khẩu thử khi sập máy";
const CLIENTS: usize = 4;
/// Kills per test, each after a different number of acknowledged creations.
const KILLS: [usize; 3] = [8, 20, 35];

/// One creation a client sent: the key it carried, and the case if the server answered.
#[derive(Debug, Clone)]
struct Sent {
    key: String,
    answer: Option<(i64, String)>,
}

/// A complaint whose title names the key it is sent with, so that each case can be traced to
/// its request.
fn complaint(citizen_id: i64, key: &str) -> Value {
    json!({
        "kind": "complaint",
        "field": "land_housing",
        "title": format!("Khiếu nại thu hồi đất ({key})"),
        "summary": "Bà khiếu nại quyết định thu hồi đất ở",
        "source": "walk_in",
        "received_at": "2026-11-20T02:00:00Z",
        "people": [{ "citizen_id": citizen_id, "role": "complainant" }],
        "respondent": "UBND phường Trần Phú",
    })
}

/// Sends a creation; `None` when no answer came (the server is gone).
fn create(client: &Client, base: &str, token: &str, citizen_id: i64, key: &str) -> Option<(u16, Value)> {
    let response = client
        .post(format!("{base}/api/v1/cases"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&complaint(citizen_id, key))
        .send()
        .ok()?;
    let status = response.status().as_u16();
    let body = response.json().ok()?;
    Some((status, body))
}

fn case_of(status: u16, body: &Value) -> (i64, String) {
    assert_eq!(status, 201, "{body}");
    (body["id"].as_i64().expect("an id"), body["code"].as_str().expect("a code").to_owned())
}

/// After a restart every case the killed server acknowledged is there, no case is half-written,
/// and a client that sends an unanswered request again with its `Idempotency-Key` gets exactly
/// one case.
#[test]
fn a_server_killed_mid_write_keeps_every_acknowledged_case_and_half_writes_none() {
    let (_database, url) = TestDatabase::create();
    {
        let ctx = tiepdan::app::prepare(&helpers::settings(&url, &[])).expect("prepare the database");
        helpers::create_account(&ctx, "tiepdan-desk", "Lê Thị Thu", PASSWORD, Role::Receptionist);
        helpers::create_account(&ctx, "truong-ban", "Phạm Văn Quang", PASSWORD, Role::Head);
    }
    let mut citizen_id = None;
    let sent: Arc<Mutex<Vec<Sent>>> = Arc::default();

    for (round, acknowledged_before_kill) in KILLS.into_iter().enumerate() {
        let server = Server::start(&url);
        let token = server.login("tiepdan-desk", PASSWORD);
        let citizen = *citizen_id.get_or_insert_with(|| {
            let body = json!({ "full_name": "Nguyễn Thị Hoa", "address": "Thôn 3, xã Tịnh Sơn" });
            let request = server.client.post(format!("{}/api/v1/citizens", server.base)).bearer_auth(&token);
            let response = request.json(&body).send().expect("register the citizen");
            assert_eq!(response.status().as_u16(), 201);
            response.json::<Value>().unwrap()["id"].as_i64().expect("the citizen's id")
        });
        let answered_before = sent.lock().unwrap().iter().filter(|s| s.answer.is_some()).count();
        // Set just before the kill: a client sends nothing after it, so that no request can reach
        // another test's server on the freed port.
        let killing = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let (base, token, sent, killing) = (server.base.clone(), token.clone(), sent.clone(), killing.clone());
                std::thread::spawn(move || {
                    let http = Client::new();
                    for n in 0.. {
                        if killing.load(Ordering::SeqCst) {
                            return;
                        }
                        let key = format!("kill-{round}-client-{client}-{n}");
                        let answer = create(&http, &base, &token, citizen, &key);
                        let answer = answer.map(|(status, body)| case_of(status, &body));
                        let gone = answer.is_none();
                        sent.lock().unwrap().push(Sent { key, answer });
                        if gone {
                            return;
                        }
                    }
                })
            })
            .collect();
        let started = Instant::now();
        while sent.lock().unwrap().iter().filter(|s| s.answer.is_some()).count()
            < answered_before + acknowledged_before_kill
        {
            assert!(started.elapsed() < Duration::from_secs(60), "the creations stalled");
            std::thread::sleep(Duration::from_millis(2));
        }
        killing.store(true, Ordering::SeqCst);
        drop(server); // SIGKILL, with the clients' last requests in flight
        for client in clients {
            client.join().expect("a client thread");
        }
    }

    let server = Server::start(&url);
    let desk = server.login("tiepdan-desk", PASSWORD);
    let citizen = citizen_id.expect("the citizen");
    let sent = sent.lock().unwrap().clone();

    // Every request is sent again with its key, as a client does after a lost answer: an
    // acknowledged one is replayed as it was, an unanswered one gets its case now or replayed.
    let mut case_of_key = BTreeMap::new();
    for request in &sent {
        let (status, body) = create(&server.client, &server.base, &desk, citizen, &request.key).expect("an answer");
        let case = case_of(status, &body);
        if let Some(acknowledged) = &request.answer {
            assert_eq!(&case, acknowledged, "{} is replayed as acknowledged", request.key);
        }
        case_of_key.insert(request.key.clone(), case);
    }

    let head = server.login("truong-ban", PASSWORD);
    let cases = server.all("/api/v1/cases?sort=received_at", &head);
    assert_eq!(cases.len(), sent.len(), "one case per request, none twice");
    let stored: BTreeMap<String, (i64, String)> = cases
        .iter()
        .map(|case| {
            let title = case["title"].as_str().unwrap();
            let key = title.trim_start_matches("Khiếu nại thu hồi đất (").trim_end_matches(')').to_owned();
            (key, (case["id"].as_i64().unwrap(), case["code"].as_str().unwrap().to_owned()))
        })
        .collect();
    assert_eq!(stored, case_of_key, "each key's case is stored as it was answered");

    // The code counter moved only with the cases committed: the codes run without a gap.
    let codes: BTreeSet<&str> = cases.iter().map(|c| c["code"].as_str().unwrap()).collect();
    let expected: BTreeSet<String> = (1..=sent.len()).map(|n| format!("KN-2026-{n:06}")).collect();
    assert_eq!(codes, expected.iter().map(String::as_str).collect(), "codes without a gap");

    // No case is half-written: each has its complainant, its intake and its creation event.
    for case in &cases {
        let code = case["code"].as_str().unwrap();
        assert_eq!(case["people"].as_array().map(Vec::len), Some(1), "{code}: its complainant");
        assert_eq!(case["intakes"], 1, "{code}: its letter or visit");
        assert_eq!(case["status"], "received", "{code}");
        let timeline = server.json(&format!("/api/v1/cases/{}/timeline", case["id"]), &head);
        let events: Vec<&str> =
            timeline["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(events, ["created"], "{code}: one creation event");
    }
}

/// Ends every session PostgreSQL holds for the test database but `conn`'s own, and waits until
/// they are gone.
fn end_other_connections(conn: &mut tiepdan::persistence::AnyConnection) {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Session {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    let ended: Vec<Session> = diesel::sql_query(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .load(conn)
    .expect("list the sessions");
    let pids = ended.iter().map(|s| s.pid.to_string()).collect::<Vec<_>>().join(", ");
    if !ended.is_empty() {
        let end = format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ({pids})");
        diesel::sql_query(end).execute(conn).expect("end the sessions");
    }
    let started = Instant::now();
    while !ended.is_empty()
        && !diesel::sql_query(format!("SELECT pid FROM pg_stat_activity WHERE pid IN ({pids})"))
            .load::<Session>(conn)
            .expect("look for the ended sessions")
            .is_empty()
    {
        assert!(started.elapsed() < Duration::from_secs(10), "the sessions did not end");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// PostgreSQL ends the server's connections (a restart, a fail-over, an administrator): each
/// request meanwhile, `/readyz` included, is answered 503 or served, never 500 and never left
/// hanging, the pool
/// replaces the lost connections, and a creation sent again with its key until it is served
/// makes one citizen.
#[test]
fn connections_the_database_ended_are_replaced() {
    let app = TestApp::spawn();
    if app.ctx.db.backend() != tiepdan::persistence::Backend::Postgres {
        return; // a SQLite file has no connection to lose
    }
    let (_, desk) = app.signed_in(Role::Receptionist);
    // One connection is kept out of the pool to end the others from. The pool is first filled to
    // its size, so that it cannot open a fresh connection beside the ended ones: the requests
    // below can only draw those, until the pool drops them.
    let mut kept = app.ctx.db.connection().expect("a connection");
    let pool_size = app.ctx.db.pool_state().2;
    let fill_and_end = |kept: &mut tiepdan::persistence::AnyConnection| {
        let others: Vec<_> = (1..pool_size).map(|_| app.ctx.db.connection().expect("a connection")).collect();
        drop(others);
        end_other_connections(kept);
    };

    let lost = pool_size as usize - 1;
    for path in ["/api/v1/me", "/readyz"] {
        fill_and_end(&mut kept);
        let responses: Vec<_> = (0..10).map(|_| app.get(path, Some(&desk))).collect();
        let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
        assert!(statuses.iter().all(|s| [200, 503].contains(s)), "{path}: {statuses:?}");
        // Unavailable, with when to try again, and nothing of the driver's message.
        responses[0].problem(503, "service_unavailable");
        assert_eq!(responses[0].header("retry-after").as_deref(), Some("5"), "{path}");
        assert!(!responses[0].text.contains("connection"), "{path}: {}", responses[0].text);
        assert!(
            statuses[lost..].iter().all(|s| *s == 200),
            "{path}: the pool replaced its lost connections: {statuses:?}"
        );
    }

    fill_and_end(&mut kept);
    let body = json!({ "full_name": "Trần Văn Bình", "id_number": "051200000017", "address": "Thôn 1, xã Nghĩa Sơn" });
    let mut statuses = Vec::new();
    for _ in 0..pool_size {
        let request =
            app.client.post(app.url("/api/v1/citizens")).bearer_auth(&desk).header("Idempotency-Key", "lost-1");
        let response = app.send(request.json(&body));
        statuses.push(response.status);
        if response.status != 503 {
            break;
        }
    }
    assert_eq!(statuses.last(), Some(&201), "the write goes through once the pool has recovered: {statuses:?}");
    let found = app.get("/api/v1/citizens?q=051200000017", Some(&desk)).ok(200);
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1), "one citizen: {found}");
}

/// Each way of using the database (a read, a snapshot, a write, the readiness ping) reports an
/// ended session as unavailable and gives the connection up: with a pool of one, the next use
/// works on a new connection.
#[test]
fn every_database_helper_gives_up_a_connection_whose_session_ended() {
    use diesel::{Connection, RunQueryDsl};
    use tiepdan::persistence::{AnyConnection, Database, DbError};
    let (_database, url) = TestDatabase::create();
    if !url.starts_with("postgres") {
        return; // a SQLite file has no connection to lose
    }
    let db = Database::connect(&helpers::settings(&url, &[("TIEPDAN_DB_POOL_SIZE", "1")]).database).unwrap();
    let mut admin = AnyConnection::Postgresql(diesel::PgConnection::establish(&url).expect("connect"));
    // A bound value makes it a prepared statement, as every query of the server is.
    let select = |conn: &mut AnyConnection| {
        diesel::sql_query("SELECT $1").bind::<diesel::sql_types::Integer, _>(1).execute(conn).map_err(DbError::from)
    };
    type Use<'a> = &'a dyn Fn() -> Result<usize, DbError>;
    let uses: [(&str, Use); 4] = [
        ("read", &|| db.read(select)),
        ("snapshot", &|| db.snapshot(select)),
        ("write", &|| db.write(select)),
        ("ping", &|| db.ping().map(|()| 1)),
    ];
    for (name, use_it) in uses {
        assert_eq!(use_it().ok(), Some(1), "{name} on a live connection");
        end_other_connections(&mut admin);
        assert!(matches!(use_it(), Err(DbError::Unavailable(_))), "{name} on the ended session");
        assert_eq!(use_it().ok(), Some(1), "{name} on a new connection");
    }
}
