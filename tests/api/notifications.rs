//! Notifications end to end: a real SMTP server (the in-process sink) receives the mail the
//! outbox worker sends; outages and permanent rejections; the outbox list; `.eml` files when no
//! SMTP server is configured; several workers on PostgreSQL.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;
use tiepdan::persistence::outbox::{self, NewMessage};

use crate::cases::{complaint, denunciation};
use crate::helpers::TestApp;
use crate::smtp_sink::{Fault, SmtpSink};

const WAIT: Duration = Duration::from_secs(20);

/// Settings for a worker that polls and retries fast.
fn fast(sink_url: Option<&str>) -> Vec<(&'static str, String)> {
    let mut vars = vec![
        ("TIEPDAN_OUTBOX_POLL_MS", "20".to_owned()),
        ("TIEPDAN_OUTBOX_RETRY_BASE_MS", "20".to_owned()),
        ("TIEPDAN_OUTBOX_RETRY_MAX_MS", "200".to_owned()),
        ("TIEPDAN_PUBLIC_URL", "https://tiepdan.example.gov.vn/".to_owned()),
        ("TIEPDAN_MAIL_FROM", "Ban Tiếp công dân tỉnh <no-reply@example.gov.vn>".to_owned()),
    ];
    if let Some(url) = sink_url {
        vars.push(("TIEPDAN_SMTP_URL", url.to_owned()));
    }
    vars
}

fn spawn(vars: &[(&'static str, String)], with_worker: bool) -> TestApp {
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if with_worker { TestApp::spawn_with_worker(&pairs) } else { TestApp::spawn_with(&pairs) }
}

/// A complaint recorded by a receptionist and assigned by a head to a new handler; returns the
/// case and the handler's id.
fn assigned_case(app: &TestApp) -> (Value, i64) {
    let (_, receptionist) = app.signed_in(Role::Receptionist);
    let (_, head) = app.signed_in(Role::Head);
    let handler = app.create_user(Role::Handler);
    static CITIZENS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = CITIZENS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let id_number = format!("0012345678{:02}", n % 100);
    // A citizen without an e-mail address: these tests are about the handler's mail alone.
    let citizen_id = register(app, &receptionist, "Nguyễn Văn An", &id_number, "0912345678", None);
    let case = app.post("/api/v1/cases", Some(&receptionist), &complaint(citizen_id)).ok(201);
    let id = case["id"].as_i64().unwrap();
    let request = app
        .client
        .post(app.url(&format!("/api/v1/cases/{id}/assignment")))
        .bearer_auth(&head)
        .header("If-Match", format!("\"{}\"", case["version"]))
        .json(&json!({ "assignee_id": handler.id }));
    let case = app.send(request).ok(200);
    (case, handler.id)
}

/// Registers a citizen, with an e-mail address or without.
fn register(app: &TestApp, token: &str, name: &str, id_number: &str, phone: &str, email: Option<&str>) -> i64 {
    let body = json!({
        "full_name": name,
        "id_number": id_number,
        "address": "Số 5 đường Lê Lợi, phường Trần Phú, Quảng Ngãi",
        "phone": phone,
        "email": email,
    });
    app.post("/api/v1/citizens", Some(token), &body).ok(201)["id"].as_i64().unwrap()
}

/// The outbox rows, oldest first.
fn rows(app: &TestApp) -> Vec<outbox::OutboxRow> {
    let mut rows = app.ctx.db.read(|conn| outbox::list(conn, None, None, 1_000)).unwrap();
    rows.reverse();
    rows
}

#[track_caller]
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < WAIT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn assigning_a_case_mails_the_handler_in_vietnamese() {
    let sink = SmtpSink::start();
    let app = spawn(&fast(Some(&sink.url())), true);
    let (case, handler_id) = assigned_case(&app);
    let code = case["code"].as_str().unwrap();
    let case_id = case["id"].as_i64().unwrap();

    let mail = sink.wait_for(1, WAIT).remove(0);
    assert_eq!(mail.to, vec![format!("handler{}@example.gov.vn", handler_id_user_number(&app, handler_id))]);
    assert_eq!(mail.from, "no-reply@example.gov.vn");
    let message = Mime::parse(&mail.data);
    let row = rows(&app).into_iter().next().expect("one outbox row");
    assert_eq!(message.header("message-id").as_deref(), Some(format!("<outbox-{}@tiepdan>", row.id).as_str()));
    let subject = message.header("subject").unwrap();
    assert!(subject.starts_with(&format!("[{code}] Vụ việc được giao cho đồng chí xử lý")), "{subject}");
    let raw_subject = message.raw_header("subject").unwrap();
    assert!(raw_subject.contains("=?utf-8?"), "the subject is MIME-encoded: {raw_subject}");
    let from = message.header("from").unwrap();
    assert_eq!(from, "Ban Tiếp công dân tỉnh <no-reply@example.gov.vn>");
    assert!(message.header("to").unwrap().starts_with("Cán bộ Chuyên viên xử lý đơn"), "{:?}", message.header("to"));
    assert!(mail.data.is_ascii(), "every header and body is encoded for 7-bit transport");

    let parts = message.parts();
    let text = parts.iter().find(|p| p.content_type.starts_with("text/plain")).expect("a plain-text part");
    let html = parts.iter().find(|p| p.content_type.starts_with("text/html")).expect("an HTML part");
    for part in [text, html] {
        assert!(part.content_type.to_ascii_lowercase().contains("charset=utf-8"), "{}", part.content_type);
        assert!(part.body.contains(code), "{}", part.body);
        assert!(part.body.contains("Khiếu nại quyết định thu hồi đất"), "{}", part.body);
        assert!(part.body.contains("Đã tiếp nhận, chờ xử lý"), "the status in Vietnamese: {}", part.body);
        assert!(part.body.contains(&format!("https://tiepdan.example.gov.vn/cases/{case_id}")), "{}", part.body);
    }
    assert!(text.body.contains("Kính gửi đồng chí Cán bộ Chuyên viên xử lý đơn"), "{}", text.body);
    assert!(html.body.contains("<html lang=\"vi\">"));
    // No citizen identity travels with the mail.
    for secret in ["Nguyễn Văn An", "00123456", "0912345678", "@example.vn"] {
        assert!(!message.decoded_text().contains(secret), "{secret} is in the mail");
    }

    // Sent, and the case's timeline says so, naming the user and not the address.
    wait_until("the row to be marked sent", || rows(&app)[0].status == "sent");
    let (_, head) = app.signed_in(Role::Head);
    let timeline = app.get(&format!("/api/v1/cases/{case_id}/timeline"), Some(&head)).ok(200);
    let text = timeline.to_string();
    assert!(text.contains("notification_sent"), "{text}");
    assert!(text.contains("case_assigned"), "{text}");
    assert!(!text.contains("@example.gov.vn"), "{text}");

    let metrics = app.get("/metrics", None).text;
    assert!(metrics.contains("tiepdan_outbox_depth 0"), "{metrics}");
}

/// The number in the username `handlerN` the harness gave this user.
fn handler_id_user_number(app: &TestApp, user_id: i64) -> String {
    let user = tiepdan::persistence::users::find(&mut app.ctx.db.connection().unwrap(), user_id).unwrap().unwrap();
    user.username.trim_start_matches("handler").to_owned()
}

#[test]
fn a_reassignment_mails_the_new_handler_and_a_repeat_queues_nothing() {
    let app = spawn(&fast(None), false);
    let (case, _) = assigned_case(&app);
    let id = case["id"].as_i64().unwrap();
    let (_, head) = app.signed_in(Role::Head);
    let second = app.create_user(Role::Handler);
    let assign = |version: &Value, assignee: i64| {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/cases/{id}/assignment")))
            .bearer_auth(&head)
            .header("If-Match", format!("\"{version}\""))
            .json(&json!({ "assignee_id": assignee }));
        app.send(request)
    };
    let case = assign(&case["version"], second.id).ok(200);
    // The same handler again: nothing new to tell.
    assign(&case["version"], second.id).ok(200);
    let rows = rows(&app);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1].recipient_user_id, Some(second.id));
    assert!(rows.iter().all(|r| r.status == "pending" && r.template == "case_assigned"));

    // The same trigger queued twice is kept once.
    let payload = rows[1].payload.clone();
    let message = NewMessage {
        case_id: Some(id),
        template: "case_assigned",
        trigger_key: &rows[1].trigger_key,
        recipient_user_id: Some(second.id),
        recipient_email: &rows[1].recipient_email.to_uppercase(),
        recipient_name: "x",
        confidential_recipient: false,
        payload: &payload,
    };
    let again = app.ctx.db.write(|conn| outbox::enqueue(conn, &message, tiepdan::time::now())).unwrap();
    assert!(!again);
    assert_eq!(self::rows(&app).len(), 2);
}

#[test]
fn an_outage_then_recovery_delivers_the_message_exactly_once() {
    let sink = SmtpSink::start();
    sink.refuse_connections(true);
    let app = spawn(&fast(Some(&sink.url())), true);
    let (_, _) = assigned_case(&app);
    // Refused connections are retried…
    wait_until("retries while the server refuses connections", || rows(&app)[0].attempts >= 2);
    let row = &rows(&app)[0];
    assert_eq!(row.status, "pending");
    assert!(row.last_error.as_deref().is_some_and(|e| !e.is_empty()), "{row:?}");
    // …and so are 421 answers.
    sink.fail_next(Fault::Unavailable, 2);
    sink.refuse_connections(false);
    let mail = sink.wait_for(1, WAIT);
    wait_until("the row to be marked sent", || rows(&app)[0].status == "sent");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sink.messages().len(), 1, "delivered once: {mail:?}");
    assert!(sink.transactions() >= 3, "two 421 answers, then the delivery");
    let row = &rows(&app)[0];
    assert!(row.attempts >= 4, "{row:?}");
    assert!(row.sent_at.is_some());
}

#[test]
fn a_permanent_rejection_fails_at_once_and_transient_ones_after_the_set_attempts() {
    let sink = SmtpSink::start();
    let mut vars = fast(Some(&sink.url()));
    vars.push(("TIEPDAN_OUTBOX_MAX_ATTEMPTS", "3".to_owned()));
    sink.fail_next(Fault::Rejected, 1);
    let app = spawn(&vars, true);
    assigned_case(&app);
    wait_until("the rejected row to fail", || rows(&app)[0].status == "failed");
    let row = &rows(&app)[0];
    assert_eq!(row.attempts, 1, "a 5xx answer is not retried");
    assert!(row.last_error.as_deref().is_some_and(|e| e.contains("550")), "{row:?}");

    sink.fail_next(Fault::Unavailable, 100);
    assigned_case(&app);
    wait_until("the second row to fail", || rows(&app).get(1).is_some_and(|r| r.status == "failed"));
    let row = &rows(&app)[1];
    assert_eq!(row.attempts, 3, "{row:?}");
    assert!(row.last_error.as_deref().is_some_and(|e| e.contains("421")), "{row:?}");
    assert!(sink.messages().is_empty());
}

#[test]
fn the_outbox_list_shows_pending_sent_and_failed_rows_to_readers_only() {
    let app = spawn(&fast(None), false);
    let now = tiepdan::time::now();
    let queue = |email: &str, confidential: bool| {
        let message = NewMessage {
            case_id: None,
            template: "case_assigned",
            trigger_key: email,
            recipient_user_id: None,
            recipient_email: email,
            recipient_name: "Người nhận",
            confidential_recipient: confidential,
            payload: "{}",
        };
        assert!(app.ctx.db.write(|conn| outbox::enqueue(conn, &message, now)).unwrap());
    };
    queue("a@example.vn", false);
    queue("b@example.vn", false);
    queue("denouncer@example.vn", true);
    // Claim all three, then settle two of them.
    let claimed =
        app.ctx.db.write(|conn| outbox::claim_batch(conn, "w", now, chrono::Duration::seconds(60), 10)).unwrap();
    assert_eq!(claimed.len(), 3);
    app.ctx.db.write(|conn| outbox::mark_sent(conn, claimed[0].id, "w", now)).unwrap();
    app.ctx.db.write(|conn| outbox::mark_failed(conn, claimed[1].id, "w", "550 5.1.1 Mailbox unavailable")).unwrap();
    assert_eq!(app.ctx.db.write(|conn| outbox::release_claims(conn, "w")).unwrap(), 1);

    let (_, admin) = app.signed_in(Role::Admin);
    let (_, head) = app.signed_in(Role::Head);
    let (_, auditor) = app.signed_in(Role::Auditor);
    let all = app.get("/api/v1/notifications", Some(&admin)).ok(200);
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(all["next_cursor"].is_null());
    let statuses: Vec<&str> = items.iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["pending", "failed", "sent"], "newest first");
    let keys: HashSet<&str> = items[0].as_object().unwrap().keys().map(String::as_str).collect();
    let expected = [
        "id",
        "case_id",
        "template",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created_at",
    ];
    assert_eq!(keys, expected.into_iter().collect());
    assert_eq!(items[1]["last_error"], "550 5.1.1 Mailbox unavailable");
    assert_eq!(items[1]["attempts"], 1);
    assert!(items[2]["sent_at"].is_string());

    // The denouncer's own address shows as the alias to everyone but heads.
    for token in [&admin, &auditor] {
        let page = app.get("/api/v1/notifications?status=pending", Some(token)).ok(200);
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        assert_eq!(page["items"][0]["recipient"], "Người tố cáo");
        assert!(!page.to_string().contains("denouncer@"), "{page}");
    }
    let page = app.get("/api/v1/notifications?status=pending", Some(&head)).ok(200);
    assert_eq!(page["items"][0]["recipient"], "Người nhận <denouncer@example.vn>");

    for (status, count) in [("sent", 1), ("failed", 1), ("sending", 0)] {
        let page = app.get(&format!("/api/v1/notifications?status={status}"), Some(&head)).ok(200);
        assert_eq!(page["items"].as_array().unwrap().len(), count, "{status}");
    }
    let first = app.get("/api/v1/notifications?limit=2", Some(&auditor)).ok(200);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = app.get(&format!("/api/v1/notifications?limit=2&cursor={cursor}"), Some(&auditor)).ok(200);
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["status"], "sent");

    app.get("/api/v1/notifications?status=lost", Some(&admin)).problem(422, "validation_failed");
    for role in [Role::Handler, Role::Receptionist] {
        let (_, token) = app.signed_in(role);
        app.get("/api/v1/notifications", Some(&token)).problem(403, "forbidden");
    }
    app.get("/api/v1/notifications", None).problem(401, "unauthorized");
}

#[test]
fn without_an_smtp_server_mail_is_written_as_eml_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut vars = fast(None);
    vars.push(("TIEPDAN_MAIL_DIR", dir.path().join("mail").display().to_string()));
    let app = spawn(&vars, true);
    let (case, _) = assigned_case(&app);
    wait_until("the row to be marked sent", || rows(&app).first().is_some_and(|r| r.status == "sent"));
    let row = &rows(&app)[0];
    let file = dir.path().join("mail").join(format!("outbox-{}.eml", row.id));
    let data = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let message = Mime::parse(&data);
    assert_eq!(message.header("message-id"), Some(format!("<outbox-{}@tiepdan>", row.id)));
    assert!(message.header("subject").unwrap().contains(case["code"].as_str().unwrap()));
    assert!(message.decoded_text().contains("Vụ việc"));
}

/// PostgreSQL only: two workers share 200 queued messages and deliver each exactly once.
#[test]
fn two_workers_on_postgres_deliver_each_of_200_messages_once() {
    if std::env::var("TEST_DATABASE_URL").map(|u| u.is_empty()).unwrap_or(true) {
        return;
    }
    let sink = SmtpSink::start();
    let vars = fast(Some(&sink.url()));
    let app = spawn(&vars, false);
    let now = tiepdan::time::now();
    let payload = json!({
        "template": "case_assigned", "case_id": 1, "code": "KN-2026-000001", "title": "Thử",
        "status": "received", "due_on": null, "handler": "Cán bộ"
    })
    .to_string();
    app.ctx
        .db
        .write(|conn| {
            for n in 0..200 {
                let email = format!("r{n}@example.vn");
                let message = NewMessage {
                    case_id: None,
                    template: "case_assigned",
                    trigger_key: "load",
                    recipient_user_id: None,
                    recipient_email: &email,
                    recipient_name: "Cán bộ",
                    confidential_recipient: false,
                    payload: &payload,
                };
                outbox::enqueue(conn, &message, now)?;
            }
            Ok::<_, tiepdan::persistence::DbError>(())
        })
        .unwrap();

    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let database_url = match &app.ctx.db.backend() {
        tiepdan::persistence::Backend::Postgres => app_database_url(&app),
        tiepdan::persistence::Backend::Sqlite => unreachable!(),
    };
    let settings = crate::helpers::settings(&database_url, &pairs);
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let settings = settings.clone();
            let ctx = app.ctx.clone();
            let (stop_sender, stop_receiver) = std::sync::mpsc::channel::<()>();
            let thread = std::thread::spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    let worker = tiepdan::app::BackgroundWorker::start(&settings, ctx).unwrap();
                    while stop_receiver.try_recv().is_err() {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    worker.stop().await;
                })
            });
            (stop_sender, thread)
        })
        .collect();
    let mails = sink.wait_for(200, Duration::from_secs(60));
    wait_until("every row to be marked sent", || rows(&app).iter().all(|r| r.status == "sent"));
    std::thread::sleep(Duration::from_millis(300));
    for (stop, thread) in workers {
        stop.send(()).unwrap();
        thread.join().unwrap();
    }
    let mails = if sink.messages().len() > mails.len() { sink.messages() } else { mails };
    assert_eq!(mails.len(), 200, "no message sent twice");
    let ids: HashSet<String> = mails.iter().map(|m| Mime::parse(&m.data).header("message-id").unwrap()).collect();
    assert_eq!(ids.len(), 200);
    let rows = rows(&app);
    assert!(rows.iter().all(|r| r.attempts == 1), "each row was tried once");
    let senders: HashSet<_> = rows.iter().filter_map(|r| r.claimed_by.clone()).collect();
    assert_eq!(senders.len(), 2, "both workers took a share: {senders:?}");
}

/// The URL of the test application's database (the pool does not expose it).
fn app_database_url(app: &TestApp) -> String {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let name: Name = diesel::sql_query("SELECT current_database() AS name")
        .get_result(&mut **app.ctx.db.connection().unwrap())
        .unwrap();
    let admin = std::env::var("TEST_DATABASE_URL").unwrap();
    let (base, query) = admin.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((admin.as_str(), None));
    let cut = base.rfind('/').filter(|&i| i > base.find("://").unwrap() + 2).unwrap_or(base.len());
    let url = format!("{}/{}", &base[..cut], name.name);
    match query {
        Some(q) => format!("{url}?{q}"),
        None => url,
    }
}

/// Just enough MIME to read what lettre writes: unfolded headers, RFC 2047 encoded words,
/// multipart bodies, base64 and quoted-printable.
struct Mime {
    headers: BTreeMap<String, String>,
    content_type: String,
    body: String,
}

struct Part {
    content_type: String,
    body: String,
}

impl Mime {
    fn parse(data: &str) -> Self {
        let data = data.replace("\r\n", "\n");
        let (head, body) = data.split_once("\n\n").unwrap_or((&data, ""));
        let mut headers = BTreeMap::new();
        let mut last: Option<String> = None;
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(name) = &last {
                    let value: &mut String = headers.get_mut(name).unwrap();
                    value.push_str(line);
                }
            } else if let Some((name, value)) = line.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                headers.insert(name.clone(), value.trim().to_owned());
                last = Some(name);
            }
        }
        let content_type = headers.get("content-type").cloned().unwrap_or_default();
        let encoding = headers.get("content-transfer-encoding").cloned().unwrap_or_default();
        Mime { headers, content_type, body: decode_body(body, &encoding) }
    }

    fn raw_header(&self, name: &str) -> Option<String> {
        self.headers.get(name).cloned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| decode_words(v))
    }

    fn parts(&self) -> Vec<Part> {
        let Some(boundary) = self.content_type.split("boundary=").nth(1) else {
            return vec![Part { content_type: self.content_type.clone(), body: self.body.clone() }];
        };
        let boundary = boundary.split(';').next().unwrap().trim().trim_matches('"');
        self.body
            .split(&format!("--{boundary}"))
            .skip(1)
            .filter(|chunk| !chunk.starts_with("--"))
            .map(|chunk| {
                let inner = Mime::parse(chunk.trim_start_matches('\n'));
                Part { content_type: inner.content_type.clone(), body: inner.body }
            })
            .collect()
    }

    fn decoded_text(&self) -> String {
        let mut text: String = self.headers.values().map(|v| decode_words(v) + "\n").collect();
        for part in self.parts() {
            text.push_str(&part.body);
        }
        text
    }
}

fn decode_body(body: &str, encoding: &str) -> String {
    match encoding.to_ascii_lowercase().as_str() {
        "base64" => {
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(compact).unwrap()).unwrap()
        }
        "quoted-printable" => String::from_utf8(quoted_printable(body, false)).unwrap(),
        _ => body.to_owned(),
    }
}

fn quoted_printable(text: &str, underscore_is_space: bool) -> Vec<u8> {
    let text = text.replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else if bytes[i] == b'_' && underscore_is_space {
            out.push(b' ');
            i += 1;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Decodes `=?charset?B|Q?…?=` words; whitespace between two encoded words is dropped.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut previous_was_word = false;
    while let Some(word) = next_word(rest) {
        let (start, end, kind, encoded) = word;
        let before = &rest[..start];
        if !(previous_was_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        let bytes = match kind.to_ascii_uppercase().as_str() {
            "B" => base64::engine::general_purpose::STANDARD.decode(encoded).unwrap(),
            _ => quoted_printable(encoded, true),
        };
        out.push_str(&String::from_utf8(bytes).unwrap());
        previous_was_word = true;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The next encoded word: (start, end, encoding, encoded text).
fn next_word(text: &str) -> Option<(usize, usize, &str, &str)> {
    let start = text.find("=?")?;
    let after_charset = start + 2 + text[start + 2..].find('?')? + 1;
    let after_kind = after_charset + text[after_charset..].find('?')? + 1;
    let end_of_text = after_kind + text[after_kind..].find("?=")?;
    Some((start, end_of_text + 2, &text[after_charset..after_kind - 1], &text[after_kind..end_of_text]))
}

// ---------------------------------------------------------------------------------------------
// The notifications of DOMAIN.md §8 beyond the assignment: citizen letters, dialogue
// invitations, deadline reminders and the weekly digest.

/// A desk: a receptionist, a head and a handler, signed in.
struct Desk {
    receptionist: String,
    head: String,
    handler_id: i64,
    handler_email: String,
}

fn desk(app: &TestApp) -> Desk {
    let (_, receptionist) = app.signed_in(Role::Receptionist);
    let (_, head) = app.signed_in(Role::Head);
    let handler = app.create_user(Role::Handler);
    let handler_email = user_email(app, handler.id);
    Desk { receptionist, head, handler_id: handler.id, handler_email }
}

fn user_email(app: &TestApp, user_id: i64) -> String {
    let user = tiepdan::persistence::users::find(&mut app.ctx.db.connection().unwrap(), user_id).unwrap().unwrap();
    user.email.unwrap()
}

/// The addresses of every active head.
fn head_emails(app: &TestApp) -> Vec<String> {
    let heads =
        tiepdan::persistence::users::active_with_role(&mut app.ctx.db.connection().unwrap(), Role::Head).unwrap();
    heads.into_iter().filter_map(|u| u.email).collect()
}

fn assign_to(app: &TestApp, d: &Desk, case: &Value) -> Value {
    let request = app
        .client
        .post(app.url(&format!("/api/v1/cases/{}/assignment", case["id"])))
        .bearer_auth(&d.head)
        .header("If-Match", format!("\"{}\"", case["version"]))
        .json(&json!({ "assignee_id": d.handler_id }));
    app.send(request).ok(200)
}

fn act(app: &TestApp, token: &str, case: &Value, command: Value) -> Value {
    crate::cases::act(app, token, case, command).ok(200)
}

fn date(value: &Value) -> chrono::NaiveDate {
    value.as_str().unwrap().parse().unwrap()
}

fn scan(app: &TestApp, as_of: chrono::NaiveDate) -> tiepdan::jobs::deadlines::ScanReport {
    tiepdan::jobs::deadlines::scan(&app.ctx, as_of, tiepdan::time::now()).unwrap()
}

/// Queues this week's digest as the worker would on Monday morning.
fn queue_digest(app: &TestApp) -> usize {
    let now = tiepdan::time::now();
    let today = tiepdan::time::vietnam_date(now);
    let week = chrono::Datelike::iso_week(&today);
    let key = format!("{}-W{:02}", week.year(), week.week());
    tiepdan::service::notifications::queue_weekly_digest(&app.ctx, &key, today, now).unwrap()
}

/// Every received message with its outbox row.
fn delivered(app: &TestApp, sink: &SmtpSink) -> Vec<(outbox::OutboxRow, Mime, String)> {
    let count = rows(app).len();
    let mails = sink.wait_for(count, WAIT);
    wait_until("every row to be marked sent", || rows(app).iter().all(|r| r.status == "sent"));
    let rows = rows(app);
    assert_eq!(mails.len(), rows.len(), "one message per row");
    mails
        .into_iter()
        .map(|mail| {
            let message = Mime::parse(&mail.data);
            let id = message.header("message-id").unwrap();
            let row = rows.iter().find(|r| format!("<outbox-{}@tiepdan>", r.id) == id).expect("a row").clone();
            assert_eq!(mail.to, vec![row.recipient_email.clone()]);
            (row, message, mail.data)
        })
        .collect()
}

#[test]
fn every_template_reaches_its_reader_in_vietnamese_and_encoded() {
    let sink = SmtpSink::start();
    let app = spawn(&fast(Some(&sink.url())), true);
    let d = desk(&app);
    let citizen_id =
        register(&app, &d.receptionist, "Nguyễn Thị Hoà", "001234567801", "0912000001", Some("hoa@example.vn"));
    let post = |body: &Value| app.post("/api/v1/cases", Some(&d.receptionist), body).ok(201);

    // Receipt, assignment, acceptance, invitation, decision.
    let decided = post(&complaint(citizen_id));
    let decided = assign_to(&app, &d, &decided);
    let decided = act(
        &app,
        &d.head,
        &decided,
        json!({ "action": "accept", "decision_no": "15/QĐ-TCD", "accepted_on": "2026-11-25" }),
    );
    let invitation = json!({
        "scheduled_at": "2026-12-03T02:00:00Z",
        "location": "Phòng tiếp công dân, số 52 Hùng Vương",
        "chair": "Ông Trần Văn Bình, Phó Chủ tịch UBND tỉnh",
        "participants": [
            { "name": "Nguyễn Thị Hoà", "role": "complainant", "citizen_id": citizen_id, "email": "hoa@example.vn" },
            { "name": "Ông Lê Văn Cường", "role": "related_party", "email": "cuong@example.vn" },
            { "name": "UBND phường Trần Phú", "role": "respondent" },
        ],
    });
    app.post(&format!("/api/v1/cases/{}/dialogues", decided["id"]), Some(&d.head), &invitation).ok(201);
    let decide = json!({
        "action": "decide", "decision_no": "30/QĐ-UBND", "decided_on": "2026-12-20", "outcome": "partly_correct",
        "dialogue_not_needed_reason": "Yêu cầu và kết quả xác minh thống nhất",
    });
    act(&app, &d.head, &decided, decide);
    // Transfer, guidance, refusal.
    let transferred = post(&complaint(citizen_id));
    act(
        &app,
        &d.head,
        &transferred,
        json!({ "action": "transfer", "target_body": "Thanh tra huyện", "document_no": "10/PC" }),
    );
    let guided = post(&complaint(citizen_id));
    act(
        &app,
        &d.head,
        &guided,
        json!({ "action": "guide", "target_body": "Tòa án nhân dân tỉnh", "document_no": "17/HD" }),
    );
    let refused = post(&complaint(citizen_id));
    act(
        &app,
        &d.head,
        &refused,
        json!({ "action": "reject", "ground": "time_limit_expired", "reason": "Quá thời hiệu 90 ngày" }),
    );
    // A clock due soon, then overdue; the digest.
    let late = assign_to(&app, &d, &post(&complaint(citizen_id)));
    let due = date(&late["due_on"]);
    assert!(!scan(&app, due.pred_opt().unwrap()).queued.is_empty());
    assert!(!scan(&app, due.succ_opt().unwrap()).queued.is_empty());
    assert!(queue_digest(&app) >= 1);

    let messages = delivered(&app, &sink);
    let templates: HashSet<&str> = messages.iter().map(|(row, _, _)| row.template.as_str()).collect();
    assert_eq!(templates, tiepdan::notifications::template::ALL.iter().copied().collect(), "every template was sent");
    let codes: Vec<String> = [&decided, &transferred, &guided, &refused, &late]
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect();
    for (row, message, raw) in &messages {
        let what = format!("{} to {}", row.template, row.recipient_email);
        assert!(raw.is_ascii(), "{what}: encoded for 7-bit transport");
        let raw_subject = message.raw_header("subject").unwrap();
        assert!(raw_subject.contains("=?utf-8?"), "{what}: the subject is MIME-encoded: {raw_subject}");
        let subject = message.header("subject").unwrap();
        let parts = message.parts();
        assert_eq!(parts.len(), 2, "{what}: plain text and HTML");
        for part in &parts {
            assert!(part.content_type.to_ascii_lowercase().contains("charset=utf-8"), "{what}: {}", part.content_type);
            assert!(part.body.contains("Kính gửi"), "{what}: {}", part.body);
            assert!(part.body.contains("Việc cần làm"), "{what}: {}", part.body);
            assert!(part.body.contains("https://tiepdan.example.gov.vn"), "{what}: {}", part.body);
        }
        if row.template == "weekly_backlog" {
            assert!(subject.starts_with("Báo cáo tồn đọng tuần "), "{what}: {subject}");
            // Decided, transferred and the late one are open; guided and refused are not.
            assert!(parts[0].body.contains("Tổng số vụ việc đang giải quyết: 3"), "{what}: {}", parts[0].body);
            assert!(parts[0].body.contains("Khiếu nại: 3"), "{what}: {}", parts[0].body);
            continue;
        }
        let code = codes.iter().find(|c| subject.contains(c.as_str())).unwrap_or_else(|| panic!("{what}: {subject}"));
        for part in &parts {
            assert!(part.body.contains(code.as_str()), "{what}: {}", part.body);
            assert!(part.body.contains("Khiếu nại quyết định thu hồi đất"), "{what}: {}", part.body);
        }
    }
    let subject_of = |template: &str| {
        messages.iter().find(|(row, _, _)| row.template == template).unwrap().1.header("subject").unwrap()
    };
    assert!(subject_of("citizen_receipt").contains("Giấy báo đã tiếp nhận đơn"));
    assert!(subject_of("citizen_accepted").contains("Thông báo thụ lý"));
    assert!(subject_of("citizen_not_accepted").contains("Thông báo không thụ lý"));
    assert!(subject_of("citizen_transferred").contains("Thông báo chuyển đơn"));
    assert!(subject_of("citizen_guided").contains("Hướng dẫn gửi đơn"));
    assert!(subject_of("citizen_decided").contains("Thông báo kết quả giải quyết"));
    assert!(subject_of("dialogue_invitation").contains("Giấy mời đối thoại: 09:00 ngày 03/12/2026"));
    assert!(subject_of("deadline_soon").contains("Sắp đến hạn"));
    assert!(subject_of("deadline_overdue").contains("Quá hạn"));

    // The citizen, who gave an e-mail address, got a receipt per case, the acceptance and the
    // decision, each naming what was decided.
    let to_citizen: Vec<&(outbox::OutboxRow, Mime, String)> =
        messages.iter().filter(|(row, _, _)| row.recipient_email == "hoa@example.vn").collect();
    let count = |template: &str| to_citizen.iter().filter(|(row, _, _)| row.template == template).count();
    assert_eq!(count("citizen_receipt"), 5);
    assert_eq!((count("citizen_accepted"), count("citizen_decided")), (1, 1));
    let decision = to_citizen.iter().find(|(row, _, _)| row.template == "citizen_decided").unwrap();
    let text = &decision.1.parts()[0].body;
    assert!(text.contains("Kính gửi Ông/Bà Nguyễn Thị Hoà,"), "{text}");
    assert!(text.contains("30/QĐ-UBND") && text.contains("20/12/2026") && text.contains("Đúng một phần"), "{text}");
    assert!(to_citizen.iter().all(|(row, _, _)| !row.confidential_recipient && row.recipient_user_id.is_none()));
    let guidance = to_citizen.iter().find(|(row, _, _)| row.template == "citizen_guided").unwrap();
    assert!(guidance.1.parts()[0].body.contains("Tòa án nhân dân tỉnh"));
    // Participants with an address were invited; the respondent body without one was not.
    let invited: HashSet<&str> = messages
        .iter()
        .filter(|(row, _, _)| row.template == "dialogue_invitation")
        .map(|(row, _, _)| row.recipient_email.as_str())
        .collect();
    assert_eq!(invited, ["hoa@example.vn", "cuong@example.vn"].into_iter().collect());
    let invitation = messages.iter().find(|(row, _, _)| row.recipient_email == "cuong@example.vn").unwrap();
    let text = &invitation.1.parts()[0].body;
    assert!(text.contains("Phòng tiếp công dân, số 52 Hùng Vương") && text.contains("09:00 ngày 03/12/2026"), "{text}");
    // The handler was told of the assignment and the clocks; the heads of the overdue clock.
    let handler_templates: HashSet<&str> = messages
        .iter()
        .filter(|(row, _, _)| row.recipient_email == d.handler_email)
        .map(|(row, _, _)| row.template.as_str())
        .collect();
    assert_eq!(handler_templates, ["case_assigned", "deadline_soon", "deadline_overdue"].into_iter().collect());
    for head in head_emails(&app) {
        assert!(
            messages.iter().any(|(row, _, _)| row.recipient_email == head && row.template == "deadline_overdue"),
            "{head} got the overdue reminder"
        );
        assert!(messages.iter().any(|(row, _, _)| row.recipient_email == head && row.template == "weekly_backlog"));
    }
}

#[test]
fn a_denouncer_gets_their_own_letters_and_nobody_else_learns_who_they_are() {
    let sink = SmtpSink::start();
    let app = spawn(&fast(Some(&sink.url())), true);
    let d = desk(&app);
    let name = "Phạm Thị Tố Giác";
    let id_number = "079188000123";
    let phone = "0987654321";
    let email = "to.giac.secret@example.vn";
    let address = "Thôn Bí Mật, xã Tịnh Hòa";
    let body = json!({
        "full_name": name, "id_number": id_number, "address": address, "phone": phone, "email": email,
    });
    let denouncer = app.post("/api/v1/citizens", Some(&d.receptionist), &body).ok(201)["id"].as_i64().unwrap();
    // A complainant on another case, so that citizen mail to others exists too.
    let other =
        register(&app, &d.receptionist, "Trần Văn Khiếu", "001234567802", "0912000002", Some("khieu@example.vn"));
    app.post("/api/v1/cases", Some(&d.receptionist), &complaint(other)).ok(201);

    let case = app.post("/api/v1/cases", Some(&d.receptionist), &denunciation(denouncer)).ok(201);
    let case = assign_to(&app, &d, &case);
    let case = act(
        &app,
        &d.head,
        &case,
        json!({ "action": "accept", "decision_no": "16/QĐ-TCD", "accepted_on": "2026-11-25" }),
    );
    let decide =
        json!({ "action": "decide", "decision_no": "40/KL-UBND", "decided_on": "2026-12-20", "outcome": "correct" });
    // Overdue before the decision: the handler and every head are reminded.
    let due = date(&case["due_on"]);
    assert!(!scan(&app, due.succ_opt().unwrap()).queued.is_empty());
    act(&app, &d.head, &case, decide);
    queue_digest(&app);

    let messages = delivered(&app, &sink);
    let mine: Vec<&str> = messages
        .iter()
        .filter(|(row, _, _)| row.recipient_email == email)
        .map(|(row, _, _)| row.template.as_str())
        .collect();
    assert_eq!(mine, ["citizen_receipt", "citizen_accepted", "citizen_decided"], "the denouncer's own letters");
    for (row, message, raw) in &messages {
        if row.recipient_email == email {
            assert!(row.confidential_recipient, "marked as a denouncer's own address");
            assert!(message.parts()[0].body.contains(&format!("Kính gửi Ông/Bà {name},")));
            continue;
        }
        assert!(!row.confidential_recipient);
        let text = message.decoded_text();
        for secret in [name, id_number, phone, email, address, "Tố Giác", "to.giac"] {
            assert!(!text.contains(secret), "{secret} in {} to {}: {text}", row.template, row.recipient_email);
            assert!(!raw.contains(secret), "{secret} in the raw {} to {}", row.template, row.recipient_email);
        }
    }
    let overdue_to: HashSet<&str> = messages
        .iter()
        .filter(|(row, _, _)| row.template == "deadline_overdue")
        .map(|(row, _, _)| row.recipient_email.as_str())
        .collect();
    let mut expected: HashSet<String> = head_emails(&app).into_iter().collect();
    expected.insert(d.handler_email.clone());
    assert_eq!(overdue_to, expected.iter().map(String::as_str).collect());

    // Neither the timeline, nor the outbox as administrators and auditors read it, names them.
    let (_, auditor) = app.signed_in(Role::Auditor);
    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", case["id"]), Some(&d.head)).ok(200).to_string();
    assert!(timeline.contains("deadline_reminder_queued"), "{timeline}");
    let (_, admin) = app.signed_in(Role::Admin);
    let listed = app.get("/api/v1/notifications?limit=100", Some(&admin)).ok(200).to_string()
        + &app.get("/api/v1/notifications?limit=100", Some(&auditor)).ok(200).to_string();
    for secret in [name, id_number, phone, email, address] {
        assert!(!timeline.contains(secret), "{secret} in the timeline");
        assert!(!listed.contains(secret), "{secret} in the outbox list");
    }
}

#[test]
fn the_deadline_scan_queues_each_reminder_once_and_overdue_ones_again_a_week_later() {
    let app = spawn(&fast(None), false);
    let d = desk(&app);
    let citizen_id = register(&app, &d.receptionist, "Lê Văn Hạn", "001234567803", "0912000003", None);
    let case = app.post("/api/v1/cases", Some(&d.receptionist), &complaint(citizen_id)).ok(201);
    let case = assign_to(&app, &d, &case);
    // Received 2026-11-20: acceptance due 2026-12-01, processing due 2026-12-04.
    assert_eq!(case["due_on"], "2026-12-01");
    let reminders = |template: &str| -> Vec<outbox::OutboxRow> {
        rows(&app).into_iter().filter(|r| r.template == template).collect()
    };

    // Not yet within three working days: nothing.
    assert!(scan(&app, date(&json!("2026-11-25"))).queued.is_empty());
    // Due soon: the handler only, once however often the scan runs.
    let first = scan(&app, date(&json!("2026-11-27")));
    assert_eq!(first.queued.len(), 1, "{first:?}");
    assert_eq!(
        (first.queued[0].template, first.queued[0].trigger.as_str()),
        ("deadline_soon", "acceptance:2026-12-01")
    );
    assert!(scan(&app, date(&json!("2026-11-27"))).queued.is_empty());
    let soon = reminders("deadline_soon");
    assert_eq!(soon.len(), 1);
    assert_eq!((soon[0].recipient_user_id, soon[0].case_id), (Some(d.handler_id), case["id"].as_i64()));

    // Overdue on 2026-12-02: the handler and every active head; the processing clock is due soon.
    let as_of = date(&json!("2026-12-02"));
    let report = scan(&app, as_of);
    let templates: Vec<(&str, tiepdan::domain::vocab::ClockKind)> =
        report.queued.iter().map(|q| (q.template, q.clock)).collect();
    assert!(templates.contains(&("deadline_overdue", tiepdan::domain::vocab::ClockKind::Acceptance)), "{report:?}");
    assert!(templates.contains(&("deadline_soon", tiepdan::domain::vocab::ClockKind::Processing)), "{report:?}");
    assert!(scan(&app, as_of).queued.is_empty(), "a second scan queues nothing");
    let overdue = reminders("deadline_overdue");
    let mut expected: HashSet<String> = head_emails(&app).into_iter().collect();
    expected.insert(d.handler_email.clone());
    assert_eq!(overdue.iter().map(|r| r.recipient_email.clone()).collect::<HashSet<_>>(), expected);
    assert_eq!(overdue.len(), expected.len());
    assert!(overdue.iter().all(|r| r.trigger_key == "acceptance:2026-12-01:week0"));
    let payload: Value = serde_json::from_str(&overdue[0].payload).unwrap();
    assert_eq!((payload["clock"].as_str(), payload["days_overdue"].as_i64()), (Some("acceptance"), Some(1)));

    // The command line, on the same day, finds nothing new to queue.
    let before = rows(&app).len();
    let output = scan_deadlines_command(&app, "2026-12-02");
    assert!(output.contains("0 reminder(s) queued"), "{output}");
    assert_eq!(rows(&app).len(), before);

    // A week later the overdue reminders repeat, once (the command line queues them first).
    let output = scan_deadlines_command(&app, "2026-12-09");
    assert!(output.contains(&format!("queued deadline_overdue for {}", case["code"].as_str().unwrap())), "{output}");
    assert!(scan(&app, date(&json!("2026-12-09"))).queued.is_empty());
    let week1: Vec<outbox::OutboxRow> =
        reminders("deadline_overdue").into_iter().filter(|r| r.trigger_key.ends_with(":week1")).collect();
    assert_eq!(week1.len(), expected.len(), "{week1:?}");
    // The processing clock, due 2026-12-04, is in its first overdue week by then.
    let processing: Vec<outbox::OutboxRow> =
        reminders("deadline_overdue").into_iter().filter(|r| r.trigger_key == "processing:2026-12-04:week0").collect();
    assert_eq!(processing.len(), expected.len());
    assert!(scan(&app, date(&json!("2026-12-10"))).queued.is_empty(), "not again within the week");

    // Each reminder queued is on the case's timeline.
    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", case["id"]), Some(&d.head)).ok(200);
    let events: Vec<&Value> =
        timeline["items"].as_array().unwrap().iter().filter(|e| e["type"] == "deadline_reminder_queued").collect();
    assert_eq!(events.len(), 5, "soon, overdue, soon (processing), overdue twice a week later: {events:?}");
    assert!(events.iter().all(|e| e["data"]["clock"].is_string() && e["data"]["due_on"].is_string()));
    assert!(events.iter().all(|e| e["data"]["template"].as_str().is_some_and(|t| t.starts_with("deadline_"))));
}

/// Runs `tiepdan scan-deadlines --as-of DATE` against the test application's database; returns
/// its standard output.
fn scan_deadlines_command(app: &TestApp, as_of: &str) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiepdan"))
        .args(["scan-deadlines", "--as-of", as_of])
        .current_dir(std::env::temp_dir())
        .env("DATABASE_URL", database_url(app))
        .env_remove("TIEPDAN_JWT_SECRET")
        .env_remove("TIEPDAN_LOG")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

/// The URL of the test application's database, on either backend.
fn database_url(app: &TestApp) -> String {
    use diesel::RunQueryDsl;
    match app.ctx.db.backend() {
        tiepdan::persistence::Backend::Postgres => app_database_url(app),
        tiepdan::persistence::Backend::Sqlite => {
            #[derive(diesel::QueryableByName)]
            struct File {
                #[diesel(sql_type = diesel::sql_types::Text)]
                file: String,
            }
            let file: File = diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .get_result(&mut **app.ctx.db.connection().unwrap())
                .unwrap();
            format!("sqlite://{}", file.file)
        }
    }
}

#[test]
fn dialogue_invitations_reach_the_participants_with_an_email_when_scheduled_or_changed() {
    let app = spawn(&fast(None), false);
    let d = desk(&app);
    let citizen_id = register(&app, &d.receptionist, "Võ Thị Mời", "001234567804", "0912000004", None);
    let case = app.post("/api/v1/cases", Some(&d.receptionist), &complaint(citizen_id)).ok(201);
    let case =
        act(&app, &d.head, &case, json!({ "action": "accept", "decision_no": "1/TL", "accepted_on": "2026-11-25" }));
    let body = json!({
        "scheduled_at": "2026-12-03T02:00:00Z",
        "location": "Phòng họp số 1",
        "chair": "Bà Trưởng ban",
        "participants": [
            { "name": "Võ Thị Mời", "role": "complainant", "citizen_id": citizen_id, "email": "moi@example.vn" },
            { "name": "UBND xã", "role": "respondent" },
        ],
    });
    let dialogue = app.post(&format!("/api/v1/cases/{}/dialogues", case["id"]), Some(&d.head), &body).ok(201);
    let invitations = || -> Vec<outbox::OutboxRow> {
        rows(&app).into_iter().filter(|r| r.template == "dialogue_invitation").collect()
    };
    assert_eq!(invitations().len(), 1);
    assert_eq!(invitations()[0].recipient_email, "moi@example.vn");

    // Moved, with one more participant: both are told.
    let change = json!({
        "scheduled_at": "2026-12-04T08:30:00Z",
        "participants": [
            { "name": "Võ Thị Mời", "role": "complainant", "citizen_id": citizen_id, "email": "moi@example.vn" },
            { "name": "Sở Tài nguyên và Môi trường", "role": "agency", "email": "stnmt@example.gov.vn" },
        ],
    });
    let request = app
        .client
        .patch(app.url(&format!("/api/v1/dialogues/{}", dialogue["id"])))
        .bearer_auth(&d.head)
        .header("If-Match", format!("\"{}\"", dialogue["version"]))
        .json(&change);
    app.send(request).ok(200);
    let all = invitations();
    assert_eq!(all.len(), 3, "{all:?}");
    let moved: Vec<&outbox::OutboxRow> = all[1..].iter().collect();
    assert_eq!(
        moved.iter().map(|r| r.recipient_email.as_str()).collect::<HashSet<_>>(),
        ["moi@example.vn", "stnmt@example.gov.vn"].into_iter().collect()
    );
    let payload: Value = serde_json::from_str(&moved[0].payload).unwrap();
    assert_eq!(payload["change"], "rescheduled");
    assert_eq!(payload["scheduled_at"], "2026-12-04T08:30:00Z");
    let mail = tiepdan::notifications::templates::render(
        &tiepdan::notifications::Notification::from_payload(&moved[0].payload).unwrap(),
        "https://tiepdan.example.gov.vn",
    );
    assert!(mail.subject.contains("Thay đổi lịch đối thoại: 15:30 ngày 04/12/2026"), "{}", mail.subject);
}

#[test]
fn the_worker_scans_deadlines_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut vars = fast(None);
    vars.push(("TIEPDAN_MAIL_DIR", dir.path().join("mail").display().to_string()));
    vars.push(("TIEPDAN_DEADLINE_SCAN_SECONDS", "1".to_owned()));
    let app = spawn(&vars, true);
    let d = desk(&app);
    let citizen_id = register(&app, &d.receptionist, "Đỗ Văn Trễ", "001234567805", "0912000005", None);
    // Received long ago: its clocks are overdue whatever today is.
    let mut body = complaint(citizen_id);
    body["received_at"] = json!("2025-01-10T02:00:00Z");
    let case = app.post("/api/v1/cases", Some(&d.receptionist), &body).ok(201);
    assign_to(&app, &d, &case);
    wait_until("the worker to queue and send the overdue reminders", || {
        let rows = rows(&app);
        let overdue: Vec<_> = rows.iter().filter(|r| r.template == "deadline_overdue").collect();
        overdue.iter().any(|r| r.recipient_email == d.handler_email) && overdue.iter().all(|r| r.status == "sent")
    });
}
