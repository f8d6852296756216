//! `tiepdan export` and `tiepdan import`: a database written out and read into a new one, of the
//! same backend or across SQLite and PostgreSQL, is the same database row for row and goes on
//! working there (its logins, tokens and numbering); a file that is cut off, damaged or of
//! another schema, or a database already in use, is refused and nothing is written.

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::helpers::TestDatabase;
use crate::seed_demo::{Server, binary, logins, seed_demo, text};

fn run(command: &str, url: &str, file: &Path) -> Output {
    binary().arg(command).arg(file).env("DATABASE_URL", url).env("TIEPDAN_LOG", "warn").output().expect("run tiepdan")
}

fn succeeded(output: Output) -> String {
    assert!(output.status.success(), "{}{}", text(&output.stdout), text(&output.stderr));
    text(&output.stdout)
}

fn failed(output: Output) -> String {
    assert!(!output.status.success(), "should have failed: {}", text(&output.stdout));
    text(&output.stderr)
}

/// The file's lines after the first, which says when and from which backend it was written.
fn rows_of(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file).unwrap().lines().skip(1).map(str::to_owned).collect()
}

fn assert_same_rows(expected: &Path, actual: &Path) {
    let (expected, actual) = (rows_of(expected), rows_of(actual));
    if let Some(at) = expected.iter().zip(&actual).position(|(e, a)| e != a) {
        panic!("line {} differs:\n{}\n{}", at + 2, expected[at], actual[at]);
    }
    assert_eq!(expected.len(), actual.len(), "the files have different lengths");
}

/// The rows of a file but the audit entries of exports and the closing line that counts them:
/// each export is recorded in the database it was taken from, after its snapshot.
fn rows_but_exports(file: &Path) -> Vec<String> {
    rows_of(file)
        .into_iter()
        .filter(|line| !line.starts_with("{\"end\"") && !line.contains("\"database_exported\""))
        .collect()
}

/// Each table of an export with its rows.
fn tables_of(file: &Path) -> Vec<(String, Vec<Value>)> {
    let mut tables: Vec<(String, Vec<Value>)> = Vec::new();
    for line in rows_of(file) {
        let value: Value = serde_json::from_str(&line).unwrap();
        if let Some(table) = value["table"].as_str() {
            tables.push((table.to_owned(), Vec::new()));
        } else if value.is_array() {
            tables.last_mut().expect("a row after its table").1.push(value);
        }
    }
    tables
}

fn column_of(file: &Path, table: &str) -> Vec<String> {
    let header = rows_of(file).into_iter().find(|line| line.contains(&format!("\"table\":\"{table}\""))).unwrap();
    let header: Value = serde_json::from_str(&header).unwrap();
    header["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect()
}

fn largest_id(file: &Path, table: &str) -> i64 {
    let tables = tables_of(file);
    let (_, rows) = tables.iter().find(|(name, _)| name == table).expect("the table");
    rows.iter().filter_map(|row| row[0].as_i64()).max().expect("rows")
}

fn password_of(logins: &[(Role, String, String)], role: Role) -> (String, String) {
    let (_, username, password) = logins.iter().find(|(r, _, _)| *r == role).expect("a login for the role");
    (username.clone(), password.clone())
}

/// The demonstration data, plus a session, a failed login and an idempotency key, so that every
/// table holds rows. Returns the logins and a head's access token.
fn a_database_in_use(url: &str) -> (Vec<(Role, String, String)>, String) {
    let logins = logins(&succeeded(seed_demo(url, false)));
    let server = Server::start(url);
    let (head, head_password) = password_of(&logins, Role::Head);
    let token = server.login(&head, &head_password);
    let refused = server
        .client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({ "username": head, "password": "not the password" }))
        .send()
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let created = server
        .client
        .post(format!("{}/api/v1/citizens", server.base))
        .bearer_auth(&token)
        .header("Idempotency-Key", "citizen-1")
        .json(&json!({ "full_name": "Đặng Thị Hồng", "id_number": "051190000123", "address": "Thôn 3, xã Tịnh Kỳ" }))
        .send()
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    // A case filed as the duplicate of a later one, with more rows between them than an import
    // writes in one statement: a reference to a row that comes after it.
    let (_, earlier) = record_a_case(&server, &token, "051080000101");
    let loaded = binary()
        .args(["seed-bench", "--cases", "600", "--handlers", "1", "--force"])
        .env("DATABASE_URL", url)
        .env("TIEPDAN_LOG", "warn")
        .output()
        .unwrap();
    succeeded(loaded);
    let (_, later) = record_a_case(&server, &token, "051080000102");
    let filed = server
        .client
        .post(format!("{}/api/v1/cases/{}/transitions", server.base, earlier["id"]))
        .bearer_auth(&token)
        .header("If-Match", format!("\"{}\"", earlier["version"]))
        .json(&json!({ "action": "file", "reason": "duplicate", "duplicate_of": later["id"] }))
        .send()
        .unwrap();
    assert_eq!(filed.status().as_u16(), 200, "{}", filed.text().unwrap());
    (logins, token)
}

/// Registers a citizen and records a case on the server; returns the citizen's id and the case.
fn record_a_case(server: &Server, token: &str, id_number: &str) -> (i64, Value) {
    let post = |path: &str, body: &Value| -> Value {
        let response =
            server.client.post(format!("{}{path}", server.base)).bearer_auth(token).json(body).send().unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().unwrap();
        assert_eq!(status, 201, "{path}: {body}");
        body
    };
    let citizen = post(
        "/api/v1/citizens",
        &json!({ "full_name": "Võ Văn Tám", "id_number": id_number, "address": "Tổ 4, phường Nghĩa Lộ" }),
    );
    let citizen = citizen["id"].as_i64().unwrap();
    (citizen, post("/api/v1/cases", &crate::cases::complaint(citizen)))
}

/// The moved database serves: the token issued before the move still opens its session, every
/// case is listed, the logins work, and new rows are numbered after the largest moved.
fn goes_on_working(url: &str, logins: &[(Role, String, String)], head_token: &str, moved: &Path) {
    let server = Server::start(url);
    assert_eq!(server.json("/api/v1/me", head_token)["role"], "head");
    let cases = server.all("/api/v1/cases", head_token);
    let moved_cases = tables_of(moved).into_iter().find(|(name, _)| name == "cases").unwrap().1;
    assert_eq!(cases.len(), moved_cases.len());
    let (receptionist, password) = password_of(logins, Role::Receptionist);
    let desk = server.login(&receptionist, &password);
    let (citizen, case) = record_a_case(&server, &desk, "051080000103");
    assert!(citizen > largest_id(moved, "citizens"), "citizen {citizen}");
    assert!(case["id"].as_i64().unwrap() > largest_id(moved, "cases"), "case {case}");
}

#[test]
fn a_database_moved_to_a_new_one_is_the_same_and_goes_on_working() {
    let (_source_db, source) = TestDatabase::create();
    let (logins, head_token) = a_database_in_use(&source);
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.jsonl");
    let said = succeeded(run("export", &source, &first));
    assert!(said.starts_with("exported "), "{said}");
    assert!(!dir.path().join("first.jsonl.partial").exists());
    let tables = tables_of(&first);
    for (table, rows) in &tables {
        assert!(!rows.is_empty(), "{table} is empty: its move would not be tested");
    }
    let (columns, cases) = (column_of(&first, "cases"), &tables.iter().find(|(name, _)| name == "cases").unwrap().1);
    let duplicate_of = columns.iter().position(|c| c == "duplicate_of").unwrap();
    assert!(cases.iter().any(|case| case[duplicate_of].as_i64() > case[0].as_i64()), "a case refers to a later one");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&first).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the file holds identities and password hashes: readable by its owner only");
    }

    // The export is in the source's audit log: the next export holds it.
    let audited = dir.path().join("audited.jsonl");
    succeeded(run("export", &source, &audited));
    let audit_columns = column_of(&audited, "audit_log");
    let (event_type, details) = (
        audit_columns.iter().position(|c| c == "event_type").unwrap(),
        audit_columns.iter().position(|c| c == "details").unwrap(),
    );
    let entries = tables_of(&audited).into_iter().find(|(name, _)| name == "audit_log").unwrap().1;
    let exports: Vec<Value> = entries
        .iter()
        .filter(|entry| entry[event_type] == "database_exported")
        .map(|entry| serde_json::from_str(entry[details].as_str().unwrap()).unwrap())
        .collect();
    let total: usize = tables_of(&first).iter().map(|(_, rows)| rows.len()).sum();
    assert_eq!(exports.len(), 1, "{exports:?}");
    assert_eq!(exports[0]["rows"], total);
    assert_eq!(exports[0]["file"], first.display().to_string());

    let (_target_db, target) = TestDatabase::create();
    let said = succeeded(run("import", &target, &first));
    assert!(said.starts_with("imported "), "{said}");
    let second = dir.path().join("second.jsonl");
    succeeded(run("export", &target, &second));
    assert_same_rows(&first, &second);

    goes_on_working(&target, &logins, &head_token, &first);
}

#[test]
fn a_database_moves_from_sqlite_to_postgresql_and_back() {
    if std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()).is_none() {
        eprintln!("runs where TEST_DATABASE_URL names a PostgreSQL server");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let lite = format!("sqlite://{}", dir.path().join("source.db").display());
    let (logins, head_token) = a_database_in_use(&lite);
    let first = dir.path().join("from-sqlite.jsonl");
    succeeded(run("export", &lite, &first));

    let (_postgres_db, postgres) = TestDatabase::create();
    assert!(postgres.starts_with("postgres"));
    succeeded(run("import", &postgres, &first));
    let second = dir.path().join("from-postgres.jsonl");
    succeeded(run("export", &postgres, &second));
    assert_same_rows(&first, &second);
    let header: Value =
        serde_json::from_str(std::fs::read_to_string(&second).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(header["backend"], "postgres");

    let back = format!("sqlite://{}", dir.path().join("back.db").display());
    succeeded(run("import", &back, &second));
    let third = dir.path().join("back.jsonl");
    succeeded(run("export", &back, &third));
    assert_same_rows(&first, &third);

    goes_on_working(&postgres, &logins, &head_token, &first);
}

#[test]
fn an_import_refuses_a_damaged_file_or_a_database_in_use_and_writes_nothing() {
    let (_source_db, source) = TestDatabase::create();
    succeeded(seed_demo(&source, false));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.jsonl");
    succeeded(run("export", &source, &file));
    let lines: Vec<String> = std::fs::read_to_string(&file).unwrap().lines().map(str::to_owned).collect();
    let write = |name: &str, lines: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    };

    // A new database with what `migrate` puts there (the rule sets), which an import replaces.
    let (_target_db, target) = TestDatabase::create();
    succeeded(binary().arg("migrate").env("DATABASE_URL", &target).env("TIEPDAN_LOG", "warn").output().unwrap());
    let before = dir.path().join("before.jsonl");
    succeeded(run("export", &target, &before));

    let cut = write("cut.jsonl", &lines[..lines.len() - 3]);
    let said = failed(run("import", &target, &cut));
    assert!(said.contains("incomplete"), "{said}");

    let mut damaged = lines.clone();
    let cases_at = lines.iter().position(|l| l.contains("\"table\":\"cases\"")).unwrap();
    let columns: Value = serde_json::from_str(&lines[cases_at]).unwrap();
    let received_on = columns["columns"].as_array().unwrap().iter().position(|c| c == "received_on").unwrap();
    let mut row: Value = serde_json::from_str(&lines[cases_at + 3]).unwrap();
    row[received_on] = json!("30/11/2026");
    damaged[cases_at + 3] = row.to_string();
    let damaged = write("damaged.jsonl", &damaged);
    let said = failed(run("import", &target, &damaged));
    assert!(said.contains(&format!("line {}: cases.received_on", cases_at + 4)), "{said}");
    assert!(said.contains("not a date"), "{said}");

    let mut short = lines.clone();
    let mut end: Value = serde_json::from_str(short.last().unwrap()).unwrap();
    end["end"]["rows"] = json!(end["end"]["rows"].as_u64().unwrap() + 1);
    *short.last_mut().unwrap() = end.to_string();
    let short = write("short.jsonl", &short);
    let said = failed(run("import", &target, &short));
    assert!(said.contains("says it holds"), "{said}");

    let mut trailing = lines.clone();
    trailing.push("[1]".to_owned());
    let trailing = write("trailing.jsonl", &trailing);
    let said = failed(run("import", &target, &trailing));
    assert!(said.contains("nothing may follow"), "{said}");

    let mut untitled = lines.clone();
    let title = columns["columns"].as_array().unwrap().iter().position(|c| c == "title").unwrap();
    let mut row: Value = serde_json::from_str(&lines[cases_at + 2]).unwrap();
    row[title] = Value::Null;
    untitled[cases_at + 2] = row.to_string();
    let untitled = write("untitled.jsonl", &untitled);
    let said = failed(run("import", &target, &untitled));
    assert!(said.contains(&format!("line {}: cases.title: may not be null", cases_at + 3)), "{said}");

    let not_an_export =
        write("calendar.csv", &["date,kind,name".to_owned(), "2026-09-02,holiday,Quốc khánh".to_owned()]);
    let said = failed(run("import", &target, &not_an_export));
    assert!(said.contains("line 1"), "{said}");

    // None of it was written.
    let after = dir.path().join("after.jsonl");
    succeeded(run("export", &target, &after));
    assert_eq!(rows_but_exports(&before), rows_but_exports(&after));

    // A file of another schema is refused before anything is done, migrations included.
    let mut other_schema = lines.clone();
    let mut header: Value = serde_json::from_str(&lines[0]).unwrap();
    header["schema"] = json!("20200101000000");
    other_schema[0] = header.to_string();
    let other_schema = write("other-schema.jsonl", &other_schema);
    let (_untouched_db, untouched) = TestDatabase::create();
    let said = failed(run("import", &untouched, &other_schema));
    assert!(said.contains("schema 20200101000000"), "{said}");
    let migrated =
        succeeded(binary().arg("migrate").env("DATABASE_URL", &untouched).env("TIEPDAN_LOG", "warn").output().unwrap());
    assert!(migrated.contains("applied "), "the refused import migrated the database: {migrated}");

    // The whole file goes in; the database is then in use and a second import is refused.
    succeeded(run("import", &target, &file));
    let said = failed(run("import", &target, &file));
    assert!(said.contains("already holds"), "{said}");
    let again = dir.path().join("again.jsonl");
    succeeded(run("export", &target, &again));
    assert_same_rows(&file, &again);

    // `-` writes to standard output and reads standard input, to pipe the file through
    // encryption.
    let piped =
        binary().args(["export", "-"]).env("DATABASE_URL", &source).env("TIEPDAN_LOG", "warn").output().unwrap();
    let piped_text = succeeded(piped);
    let through_pipe = dir.path().join("through-pipe.jsonl");
    std::fs::write(&through_pipe, &piped_text).unwrap();
    assert_eq!(rows_but_exports(&through_pipe), rows_but_exports(&file));
    // Recorded before the first row left.
    let audited = dir.path().join("audited.jsonl");
    succeeded(run("export", &source, &audited));
    let entries = tables_of(&audited).into_iter().find(|(name, _)| name == "audit_log").unwrap().1;
    assert!(
        entries
            .iter()
            .any(|entry| entry.to_string().contains("database_exported")
                && entry.to_string().contains("standard output")),
        "the export to standard output is in the audit log"
    );
    let (_piped_db, piped_target) = TestDatabase::create();
    let mut reading = binary()
        .args(["import", "-"])
        .env("DATABASE_URL", &piped_target)
        .env("TIEPDAN_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut reading.stdin.take().unwrap(), piped_text.as_bytes()).unwrap();
    let said = succeeded(reading.wait_with_output().unwrap());
    assert!(said.contains("from standard input"), "{said}");
    let piped_back = dir.path().join("piped-back.jsonl");
    succeeded(run("export", &piped_target, &piped_back));
    assert_same_rows(&through_pipe, &piped_back);

    // An export never overwrites a file, and leaves no part of one behind.
    let said = failed(run("export", &source, &file));
    assert!(said.contains("already exists"), "{said}");
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().collect::<Vec<_>>(), lines);

    // Nor does it make a database where none is.
    let nowhere = dir.path().join("nowhere.db");
    let said = failed(run("export", &format!("sqlite://{}", nowhere.display()), &dir.path().join("nowhere.jsonl")));
    assert!(said.contains("no database"), "{said}");
    assert!(!nowhere.exists());
}
