//! The test harness: a real server on a random port over a fresh database per test (a SQLite
//! temp file, or a fresh PostgreSQL database when TEST_DATABASE_URL is set), spoken to over HTTP.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::blocking::Client;
use reqwest::header::HeaderMap;
use serde_json::Value;
use tiepdan::app::{self, Application, FirstAdmin};
use tiepdan::config::Settings;
use tiepdan::domain::vocab::Role;
use tiepdan::service::Context;
use tiepdan::service::users::CreateUser;

/// The signing key the test servers use, so that tests can forge tokens.
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// A database that disappears with the test.
pub enum TestDatabase {
    /// The folder holding the file; removed on drop.
    Sqlite {
        _dir: tempfile::TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    /// A fresh, empty database and its URL.
    pub fn create() -> (Self, String) {
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(admin_url) => {
                let name = format!(
                    "tiepdan_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    rand_suffix()
                );
                let mut conn = PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
                let url = replace_database(&admin_url, &name);
                (TestDatabase::Postgres { admin_url, name }, url)
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("tiepdan.db").display());
                (TestDatabase::Sqlite { _dir: dir }, url)
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDatabase::Postgres { .. })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
        }
    }
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
}

/// `postgres://user@host:port/db?x` with `db` replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = &base[scheme_end..];
    let without_db = match host_part.find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{without_db}/{name}?{q}"),
        None => format!("{without_db}/{name}"),
    }
}

/// Settings for a test server on `database_url`, with extra variables.
pub fn settings(database_url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut vars: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), database_url.into()),
        ("TIEPDAN_BIND".into(), "127.0.0.1:0".into()),
        ("TIEPDAN_JWT_SECRET".into(), JWT_SECRET.into()),
        ("TIEPDAN_DB_POOL_SIZE".into(), "4".into()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_lookup(|name| vars.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
        .expect("test settings")
}

/// Creates an account directly (as the CLI does), without a forced password change; its id.
pub fn create_account(ctx: &Context, username: &str, full_name: &str, password: &str, role: Role) -> i64 {
    let request = CreateUser {
        username: username.into(),
        full_name: full_name.into(),
        email: Some(format!("{username}@example.gov.vn")),
        role,
        password: password.into(),
        must_change_password: false,
    };
    tiepdan::service::users::create(ctx, None, &request, tiepdan::time::now()).expect("create user").id
}

/// An account made for a test, with its password.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub username: String,
    pub password: String,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    /// Asserts a problem document with this status and code, and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text);
        assert_eq!(self.header("content-type").as_deref(), Some("application/problem+json"), "{}", self.text);
        let body = self.json();
        assert_eq!(body["code"], code, "{}", self.text);
        assert_eq!(body["status"], status);
        assert_eq!(body["type"], "about:blank");
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
        body
    }

    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn ok(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text);
        if self.text.is_empty() { Value::Null } else { self.json() }
    }
}

/// A running server with its own database.
pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub ctx: Context,
    pub first_admin: Option<FirstAdmin>,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
    /// Kept until the server has stopped; dropping it deletes the database.
    _database: TestDatabase,
    users: AtomicU32,
}

impl TestApp {
    pub fn spawn() -> Self {
        Self::spawn_with(&[])
    }

    /// A server with extra configuration variables.
    pub fn spawn_with(extra: &[(&str, &str)]) -> Self {
        Self::start(extra, false)
    }

    /// A server with extra configuration variables and the background worker (the outbox
    /// sender) running beside it, as `serve` runs it.
    pub fn spawn_with_worker(extra: &[(&str, &str)]) -> Self {
        Self::start(extra, true)
    }

    fn start(extra: &[(&str, &str)], with_worker: bool) -> Self {
        let (database, url) = TestDatabase::create();
        let settings = settings(&url, extra);
        let ctx = app::prepare(&settings).expect("prepare the application");
        let first_admin = app::ensure_first_admin(&ctx).expect("first administrator");
        let server_ctx = ctx.clone();
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let worker = with_worker
                    .then(|| app::BackgroundWorker::start(&settings, server_ctx.clone()).expect("start the worker"));
                let application = Application::build(&settings, server_ctx, Some(2)).expect("build the server");
                sender.send((application.port(), application.handle())).expect("report the port");
                application.run_until_stopped().await.expect("server ran");
                if let Some(worker) = worker {
                    worker.stop().await;
                }
            });
        });
        let (port, handle) = receiver.recv().expect("server started");
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            client: Client::builder().build().expect("http client"),
            ctx,
            first_admin,
            handle,
            thread: Some(thread),
            _database: database,
            users: AtomicU32::new(0),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Creates an account directly (as the CLI does), without a forced password change.
    pub fn create_user(&self, role: Role) -> TestUser {
        let n = self.users.fetch_add(1, Ordering::SeqCst);
        let username = format!("{}{}", role.as_str(), n);
        let password = format!("mật khẩu thử {username}!");
        let id = create_account(&self.ctx, &username, &format!("Cán bộ {} {n}", role.label_vi()), &password, role);
        TestUser { id, username, password }
    }

    pub fn login_response(&self, username: &str, password: &str) -> Response {
        self.post("/api/v1/auth/login", None, &serde_json::json!({ "username": username, "password": password }))
    }

    /// Logs in and returns the whole token response.
    pub fn login(&self, user: &TestUser) -> Value {
        self.login_response(&user.username, &user.password).ok(200)
    }

    /// A fresh account of `role` and an access token for it.
    pub fn signed_in(&self, role: Role) -> (TestUser, String) {
        let user = self.create_user(role);
        let token = self.login(&user)["access_token"].as_str().expect("access token").to_owned();
        (user, token)
    }

    pub fn send(&self, request: reqwest::blocking::RequestBuilder) -> Response {
        let response = request.send().expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().expect("body read");
        Response { status, headers, text }
    }

    fn with_token(
        request: reqwest::blocking::RequestBuilder,
        token: Option<&str>,
    ) -> reqwest::blocking::RequestBuilder {
        match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        }
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Self::with_token(self.client.get(self.url(path)), token))
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send(Self::with_token(self.client.post(self.url(path)).json(body), token))
    }

    pub fn post_empty(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Self::with_token(self.client.post(self.url(path)), token))
    }

    pub fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send(Self::with_token(self.client.patch(self.url(path)).json(body), token))
    }

    /// A request with a raw body and content type.
    pub fn post_raw(&self, path: &str, token: Option<&str>, content_type: &str, body: Vec<u8>) -> Response {
        let request = self.client.post(self.url(path)).header("content-type", content_type).body(body);
        self.send(Self::with_token(request, token))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        actix_web::rt::System::new().block_on(handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[test]
fn database_names_are_replaced_in_postgres_urls() {
    assert_eq!(
        replace_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(replace_database("postgres://u:p@h/db?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
    assert_eq!(replace_database("postgres://h:5432", "x"), "postgres://h:5432/x");
}
