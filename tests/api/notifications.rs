//! Notifications end to end: a real SMTP server (the in-process sink) receives the mail the
//! outbox worker sends; outages and permanent rejections; the outbox list; `.eml` files when no
//! SMTP server is configured; several workers on PostgreSQL.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;
use tiepdan::persistence::outbox::{self, NewMessage};

use crate::cases::{citizen, complaint};
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
    let citizen_id = citizen(app, &receptionist, "Nguyễn Văn An", &id_number, "0912345678");
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
        .get_result(&mut *app.ctx.db.connection().unwrap())
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
