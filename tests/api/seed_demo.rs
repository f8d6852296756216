//! `tiepdan seed-demo`: the real binary fills an empty database, then `tiepdan serve` answers a
//! head's reports and every printed login works; a database with cases is refused unless
//! `--force`.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use chrono::Datelike;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use tiepdan::domain::vocab::{CaseKind, CaseStatus, Role, VisitOutcome};

use crate::helpers::{self, TestDatabase};

pub(crate) fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tiepdan"));
    // A developer's .env must not leak into the test.
    command.current_dir(std::env::temp_dir()).env_remove("TIEPDAN_JWT_SECRET").env_remove("TIEPDAN_LOG");
    command
}

pub(crate) fn seed_demo(url: &str, force: bool) -> Output {
    let mut command = binary();
    command.arg("seed-demo").env("DATABASE_URL", url).env("TIEPDAN_LOG", "warn");
    if force {
        command.arg("--force");
    }
    command.output().expect("run seed-demo")
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The rows `role  username  password` of the printed table.
pub(crate) fn logins(stdout: &str) -> Vec<(Role, String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [role, username, password] => {
                    Some((role.parse().ok()?, (*username).to_owned(), (*password).to_owned()))
                }
                _ => None,
            }
        })
        .collect()
}

pub(crate) fn cases_held(url: &str) -> i64 {
    let ctx = tiepdan::app::prepare(&helpers::settings(url, &[])).expect("open the database");
    tiepdan::seed::case_count(&ctx).expect("count cases")
}

/// `tiepdan serve` on the seeded database, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
    pub(crate) client: Client,
}

impl Server {
    pub(crate) fn start(url: &str) -> Self {
        // The port is free when picked, but another test may bind it before this server does;
        // the server then exits, and another port is tried. The port is surely this server's only
        // once it logs that it is listening: until then another test's server may answer on it.
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let mut child = binary()
                .args(["serve", "--no-worker"])
                .env("DATABASE_URL", url)
                .env("TIEPDAN_BIND", format!("127.0.0.1:{port}"))
                .env("TIEPDAN_LOG", "info")
                .env("TIEPDAN_LOG_FORMAT", "json")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start serve");
            let stderr = child.stderr.take().expect("the server's log");
            let (listening, heard) = std::sync::mpsc::channel();
            // Reads the log to its end, so that the server never blocks on a full pipe.
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if line.contains("\"message\":\"listening\"") {
                        let _ = listening.send(());
                    }
                }
            });
            let server = Server { child, base: format!("http://127.0.0.1:{port}"), client: Client::new() };
            match heard.recv_timeout(Duration::from_secs(30)) {
                Ok(()) => return server,
                // The log ended without it: the server stopped (the port was taken).
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => continue,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("the server did not come up"),
            }
        }
        panic!("the server stopped at start five times");
    }

    pub(crate) fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .client
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "login of {username}");
        let body: Value = response.json().unwrap();
        assert_eq!(body["password_change_required"], false, "{username}");
        body["access_token"].as_str().expect("an access token").to_owned()
    }

    /// Status, content type and body of a GET.
    fn get(&self, path: &str, token: &str) -> (u16, String, Vec<u8>) {
        let response = self.client.get(format!("{}{path}", self.base)).bearer_auth(token).send().unwrap();
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (status, content_type, response.bytes().unwrap().to_vec())
    }

    pub(crate) fn json(&self, path: &str, token: &str) -> Value {
        let (status, _, body) = self.get(path, token);
        assert_eq!(status, 200, "{path}: {}", text(&body));
        serde_json::from_slice(&body).unwrap()
    }

    /// Every item of a paginated list.
    pub(crate) fn all(&self, path: &str, token: &str) -> Vec<Value> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page_path = match &cursor {
                Some(c) => format!("{path}{separator}limit=200&cursor={c}"),
                None => format!("{path}{separator}limit=200"),
            };
            let page = self.json(&page_path, token);
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The official quarter (15th-to-14th cut-off) that holds today in Vietnam, as `YYYY-Qn`.
fn current_quarter() -> String {
    let today = tiepdan::time::vietnam_today();
    let (mut year, month, day) = (today.year(), today.month(), today.day());
    let mut quarter = month.div_ceil(3);
    if month % 3 == 0 && day >= 15 {
        quarter += 1;
    }
    if quarter == 5 {
        quarter = 1;
        year += 1;
    }
    format!("{year}-Q{quarter}")
}

fn strings(items: &[Value], member: &str) -> BTreeSet<String> {
    items.iter().filter_map(|item| item[member].as_str().map(str::to_owned)).collect()
}

#[test]
fn seed_demo_fills_an_empty_database_that_every_role_and_report_can_use() {
    let (_database, url) = TestDatabase::create();
    let output = seed_demo(&url, false);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}{}", stdout, text(&output.stderr));
    let logins = logins(&stdout);
    let roles: BTreeSet<Role> = logins.iter().map(|(role, _, _)| *role).collect();
    assert_eq!(roles, Role::ALL.iter().copied().collect(), "a login per role:\n{stdout}");
    assert!(logins.iter().filter(|(role, _, _)| *role == Role::Handler).count() >= 2, "several handlers");
    assert!(stdout.contains("/api/v1/auth/login"), "a hint to sign in:\n{stdout}");

    let server = Server::start(&url);
    let mut tokens = Vec::new();
    for (role, username, password) in &logins {
        let token = server.login(username, password);
        let me = server.json("/api/v1/me", &token);
        assert_eq!(me["role"], role.as_str(), "{username}");
        assert_eq!(me["username"], username.as_str());
        tokens.push((*role, token));
    }
    let token_of = |role: Role| tokens.iter().find(|(r, _)| *r == role).map(|(_, t)| t.as_str()).unwrap();
    let head = token_of(Role::Head);

    // Every kind and every status, several handlers, and the unassigned queue.
    let cases = server.all("/api/v1/cases", head);
    assert!((60..=120).contains(&cases.len()), "{} cases", cases.len());
    assert_eq!(strings(&cases, "kind"), CaseKind::NAMES.iter().map(|s| s.to_string()).collect());
    assert_eq!(strings(&cases, "status"), CaseStatus::NAMES.iter().map(|s| s.to_string()).collect());
    let handlers: BTreeSet<i64> = cases.iter().filter_map(|c| c["assignee"]["id"].as_i64()).collect();
    assert!(handlers.len() >= 3, "{handlers:?}");
    assert!(cases.iter().any(|c| c["assignee"].is_null() && c["status"] == "received"), "an unassigned queue");
    assert!(cases.iter().any(|c| c["round"] == 2), "a second round");
    assert!(cases.iter().any(|c| c["flags"]["mass"] == true && c["flags"]["repeat"] == true));

    // The denouncers, whom the head may see and nobody else may.
    let denouncers: BTreeSet<String> = cases
        .iter()
        .filter(|c| c["kind"] == "denunciation")
        .flat_map(|c| c["people"].as_array().unwrap().clone())
        .filter(|p| p["role"] == "denouncer")
        .map(|p| p["full_name"].as_str().expect("the head sees the denouncer").to_owned())
        .collect();
    assert!(denouncers.len() >= 5, "{denouncers:?}");
    for name in &denouncers {
        assert!(!stdout.contains(name.as_str()), "seed-demo printed a denouncer's name");
    }
    let audited = server.all("/api/v1/cases?kind=denunciation", token_of(Role::Auditor));
    assert!(!audited.is_empty());
    for case in &audited {
        for person in case["people"].as_array().unwrap().iter().filter(|p| p["role"] == "denouncer") {
            assert_eq!(person["redacted"], true, "{person}");
        }
    }

    // The head's three reports, in JSON and CSV, none naming a denouncer.
    let backlog = server.json("/api/v1/reports/backlog", head);
    assert!(backlog["overdue"]["total"].as_i64().unwrap() > 0, "{backlog}");
    let aging = backlog["aging"].as_array().unwrap();
    assert_eq!(aging.len(), 6);
    for bucket in aging {
        assert!(bucket["count"].as_i64().unwrap() > 0, "every age is present: {aging:?}");
    }
    assert!(backlog["by_handler"].as_array().unwrap().len() >= 3);

    let prolonged = server.json("/api/v1/reports/prolonged", head);
    let items = prolonged["items"].as_array().unwrap();
    assert!(!items.is_empty());
    let flagged = |flag: &str| items.iter().any(|i| i["flags"].as_array().unwrap().iter().any(|f| f == flag));
    assert!(flagged("prolonged") && flagged("repeat") && flagged("mass"), "{prolonged}");
    assert!(items.iter().any(|i| i["round"] == 2));
    assert!(items.iter().any(|i| i["days_open"].as_i64().unwrap() > 365));
    assert!(!prolonged["hotspots"].as_array().unwrap().is_empty());

    let quarter = current_quarter();
    let period = server.json(&format!("/api/v1/reports/period?quarter={quarter}"), head);
    for figure in [
        &period["reception"]["visits"],
        &period["reception"]["persons"],
        &period["letters"]["received"],
        &period["letters"]["processed"],
        &period["resolution"]["accepted"],
        &period["resolution"]["resolved"],
    ] {
        assert!(figure.as_i64().unwrap() > 0, "{quarter}: {period}");
    }
    let resolution = &period["resolution"];
    assert_eq!(
        resolution["on_time"].as_i64().unwrap() + resolution["late"].as_i64().unwrap(),
        resolution["resolved"].as_i64().unwrap()
    );

    let reports = [
        "/api/v1/reports/backlog".to_owned(),
        "/api/v1/reports/prolonged".to_owned(),
        format!("/api/v1/reports/period?quarter={quarter}"),
    ];
    for path in &reports {
        let (status, _, json_body) = server.get(path, head);
        assert_eq!(status, 200, "{path}");
        let separator = if path.contains('?') { '&' } else { '?' };
        let (status, content_type, csv_body) = server.get(&format!("{path}{separator}format=csv"), head);
        assert_eq!(status, 200, "{path}");
        assert!(content_type.starts_with("text/csv"), "{path}: {content_type}");
        assert!(csv_body.starts_with(&[0xEF, 0xBB, 0xBF]), "{path}: CSV begins with a BOM");
        for body in [text(&json_body), text(&csv_body)] {
            for name in &denouncers {
                assert!(!body.contains(name.as_str()), "{path} names a denouncer");
            }
        }
    }

    // Dialogues in each state, and the register with a group visit and every outcome.
    let dialogues = server.all("/api/v1/dialogues", head);
    assert_eq!(
        strings(&dialogues, "status"),
        ["cancelled", "held", "scheduled"].iter().map(|s| s.to_string()).collect()
    );
    let visits = server.all("/api/v1/visits", head);
    assert!(visits.iter().any(|v| {
        v["group_size"].as_i64().unwrap() >= 5 && !v["representative_ids"].as_array().unwrap().is_empty()
    }));
    assert_eq!(strings(&visits, "outcome"), VisitOutcome::NAMES.iter().map(|s| s.to_string()).collect());
    assert_eq!(strings(&visits, "mode").len(), 4, "every reception mode");

    // Each role sees what its role allows.
    let (status, _, _) = server.get("/api/v1/reports/backlog", token_of(Role::Auditor));
    assert_eq!(status, 200);
    let (status, _, _) = server.get("/api/v1/reports/backlog", token_of(Role::Handler));
    assert_eq!(status, 403);
    let receptionist_cases = server.all("/api/v1/cases", token_of(Role::Receptionist));
    assert!(!receptionist_cases.is_empty() && receptionist_cases.len() < cases.len());
    let (status, _, _) = server.get("/api/v1/users", token_of(Role::Admin));
    assert_eq!(status, 200);
}

#[test]
fn seed_demo_refuses_a_database_with_cases_unless_forced() {
    let (_database, url) = TestDatabase::create();
    let first = seed_demo(&url, false);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let accounts = logins(&text(&first.stdout)).len();
    let seeded = cases_held(&url);
    assert!(seeded > 0);

    let refused = seed_demo(&url, false);
    assert!(!refused.status.success());
    let message = text(&refused.stderr);
    assert!(
        message.contains(&format!("the database already holds {seeded} cases")) && message.contains("--force"),
        "{message}"
    );
    assert!(logins(&text(&refused.stdout)).is_empty(), "no account is printed");
    assert_eq!(cases_held(&url), seeded, "a refused run changes nothing");

    let forced = seed_demo(&url, true);
    let stdout = text(&forced.stdout);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert_eq!(cases_held(&url), 2 * seeded, "--force adds the demonstration again");
    assert!(logins(&stdout).is_empty(), "existing accounts get no new password:\n{stdout}");
    assert_eq!(stdout.matches("(existing account, password unchanged)").count(), accounts, "{stdout}");
}
