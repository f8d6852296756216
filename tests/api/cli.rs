//! The binary itself: `serve` prints the first administrator's password once and never logs it,
//! answers HTTP, stops cleanly on SIGTERM; `migrate` and `create-user`; bad configuration stops
//! the start with a message naming the variable.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::TestDatabase;

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tiepdan"));
    // A developer's .env must not leak into the test.
    command.current_dir(std::env::temp_dir()).env_remove("TIEPDAN_JWT_SECRET").env_remove("TIEPDAN_LOG");
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_exit(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn serve_prints_the_first_password_once_logs_json_and_stops_on_sigterm() {
    let (_database, url) = TestDatabase::create();
    let port = free_port();
    let mut child = binary()
        .args(["serve"])
        .env("DATABASE_URL", &url)
        .env("TIEPDAN_BIND", format!("127.0.0.1:{port}"))
        .env("TIEPDAN_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut password = None;
    let mut line = String::new();
    while password.is_none() && stdout.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.trim().strip_prefix("password:") {
            password = Some(rest.trim().to_owned());
        }
        line.clear();
    }
    let password = password.expect("serve prints the first administrator's password");

    let client = reqwest::blocking::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "server did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
    let tokens: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": "admin", "password": password }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(tokens["password_change_required"], true);
    let access = tokens["access_token"].as_str().unwrap();
    let changed = client
        .post(format!("{base}/api/v1/me/password"))
        .bearer_auth(access)
        .json(&json!({ "current_password": password, "new_password": "mật khẩu mới của quản trị" }))
        .send()
        .unwrap();
    assert_eq!(changed.status().as_u16(), 204);
    let me: Value = client.get(format!("{base}/api/v1/me")).bearer_auth(access).send().unwrap().json().unwrap();
    assert_eq!(me["password_change_required"], false);

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = wait_for_exit(&mut child, Duration::from_secs(30)).expect("serve stops after SIGTERM");
    assert!(exit.success(), "exit status {exit:?}");

    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(!rest.contains(&password), "the password is printed once only");
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(!logs.contains(&password), "the password never reaches the log");
    assert!(!logs.contains(access), "tokens never reach the log");
    assert!(!logs.contains("mật khẩu mới"), "passwords never reach the log");
    let lines: Vec<Value> = logs.lines().map(|l| serde_json::from_str(l).expect("every log line is JSON")).collect();
    let served = lines
        .iter()
        .find(|l| l["fields"]["message"] == "request served" || l["message"] == "request served")
        .expect("a request line");
    let text = served.to_string();
    for expected in ["request_id", "method", "route", "status", "latency_ms"] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
}

#[test]
fn migrate_then_create_user_and_refuse_a_duplicate() {
    let (_database, url) = TestDatabase::create();
    let migrate = binary().arg("migrate").env("DATABASE_URL", &url).output().unwrap();
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    assert!(String::from_utf8_lossy(&migrate.stdout).contains("applied"));
    let again = binary().arg("migrate").env("DATABASE_URL", &url).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("up to date"));

    let create = || {
        binary()
            .args(["create-user", "--username", "le.van.c", "--role", "head", "--full-name", "Lê Văn C"])
            .env("DATABASE_URL", &url)
            .env("TIEPDAN_NEW_PASSWORD", "một mật khẩu đủ dài")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let first = create();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("created user le.van.c"));
    let second = create();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("already taken"));

    let bad_role = binary()
        .args(["create-user", "--username", "x.y", "--role", "boss", "--full-name", "X"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!bad_role.status.success());
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("boss"));
}

#[test]
fn a_bad_configuration_value_stops_the_start_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("DATABASE_URL", "mysql://localhost/x"),
        ("TIEPDAN_JWT_SECRET", "too-short"),
        ("TIEPDAN_MAX_BODY_BYTES", "lots"),
        ("TIEPDAN_BIND", "nowhere"),
    ];
    for (variable, value) in cases {
        let output = binary()
            .arg("serve")
            .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("db").display()))
            .env(variable, value)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{variable}");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains(variable), "{variable}: {message}");
    }
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["create-user", "--help"],
        vec!["calendar", "--help"],
        vec!["calendar", "import", "--help"],
        vec!["calendar", "export", "--help"],
        vec!["export", "--help"],
        vec!["import", "--help"],
    ] {
        let output = binary().args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("Usage"), "{args:?}");
    }
}

#[test]
fn the_calendar_goes_out_and_back_in_as_csv() {
    let (_database, url) = TestDatabase::create();
    let export = || binary().args(["calendar", "export", "2027"]).env("DATABASE_URL", &url).output().unwrap();
    let first = export();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let csv = String::from_utf8(first.stdout).unwrap();
    assert!(csv.starts_with("date,kind,name\n"));
    assert!(csv.contains("2027-02-06,holiday,"), "Tết 2027 (New Year's Day) is a default holiday");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2027.csv");
    std::fs::write(&file, format!("{csv}2027-12-24,holiday,Ngày nghỉ thêm\n2027-12-25,working_day,Làm bù\n")).unwrap();
    let import = binary().args(["calendar", "import"]).arg(&file).env("DATABASE_URL", &url).output().unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    assert!(String::from_utf8_lossy(&import.stdout).contains("replaced 2027"));
    let after = String::from_utf8(export().stdout).unwrap();
    assert!(after.contains("2027-12-24,holiday,Ngày nghỉ thêm"));
    assert!(after.contains("2027-12-25,working_day,Làm bù"));
    // Audited as the operator's, who has no account.
    let ctx = tiepdan::app::prepare(&crate::helpers::settings(&url, &[])).unwrap();
    let query =
        tiepdan::service::audit::AuditQuery { event_type: Some("calendar_replaced".into()), ..Default::default() };
    let entries = tiepdan::service::audit::list(&ctx, &query, None, 10).unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!((entries[0].actor_id, entries[0].object_id), (None, Some(2027)));

    std::fs::write(&file, "date,kind,name\n2027-05-03,working_day,Không phải cuối tuần\n").unwrap();
    let refused = binary().args(["calendar", "import"]).arg(&file).env("DATABASE_URL", &url).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("2027-05-03"));
    assert_eq!(String::from_utf8(export().stdout).unwrap(), after, "a refused import changes nothing");
}
