//! Citizens: registration and reading back, search without diacritics or case, by ID number and
//! by phone, paging, duplicate ID numbers, field validation, who may do what, and corrections.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tiepdan::domain::vocab::Role;

use crate::helpers::{Response, TestApp};

const CITIZENS: &str = "/api/v1/citizens";

/// A valid `POST /citizens` body with every field.
fn duc() -> Value {
    json!({
        "full_name": "Nguyễn Văn Đức",
        "id_number": "051090000123",
        "date_of_birth": "1975-04-30",
        "gender": "male",
        "address": "12 Lê Lợi, phường Trần Phú, TP Quảng Ngãi",
        "phone": "0912 345 678",
        "email": "duc.nv@example.vn",
    })
}

/// A body with the required fields only.
fn minimal(full_name: &str) -> Value {
    json!({ "full_name": full_name, "address": "Thôn 3, xã Tịnh Khê" })
}

fn citizen_path(id: i64) -> String {
    format!("{CITIZENS}/{id}")
}

fn id_of(citizen: &Value) -> i64 {
    citizen["id"].as_i64().unwrap_or_else(|| panic!("numeric id in {citizen}"))
}

fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    app.post(CITIZENS, Some(token), body).ok(201)
}

/// The names of every citizen a search finds, following the cursor to the end.
fn search_names(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request = app.client.get(app.url(CITIZENS)).bearer_auth(token).query(&[("q", query)]);
        if let Some(c) = &cursor {
            request = request.query(&[("cursor", c)]);
        }
        let page = app.send(request).ok(200);
        names.extend(page["items"].as_array().unwrap().iter().map(|c| c["full_name"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return names,
        }
    }
}

/// The `errors[].field` names of a 422 answer.
#[track_caller]
fn invalid_fields(response: &Response) -> Vec<String> {
    let problem = response.problem(422, "validation_failed");
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a 422 answer lists its errors: {problem}"))
        .iter()
        .map(|e| e["field"].as_str().expect("each error names its field").to_owned())
        .collect()
}

#[test]
fn a_registered_citizen_reads_back_as_stored() {
    let app = TestApp::spawn();
    let (receptionist, token) = app.signed_in(Role::Receptionist);

    let response = app.post(CITIZENS, Some(&token), &duc());
    let created = response.ok(201);
    let id = id_of(&created);
    assert_eq!(response.header("location"), Some(citizen_path(id)));
    let keys: BTreeSet<&str> = created.as_object().unwrap().keys().map(String::as_str).collect();
    let expected_keys: BTreeSet<&str> = [
        "id",
        "full_name",
        "id_number",
        "date_of_birth",
        "gender",
        "address",
        "phone",
        "email",
        "created_at",
        "updated_at",
    ]
    .into();
    assert_eq!(keys, expected_keys);
    let created_at = created["created_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(created_at).is_ok(), "{created_at}");
    assert_eq!(
        created,
        json!({
            "id": id,
            "full_name": "Nguyễn Văn Đức",
            "id_number": "051090000123",
            "date_of_birth": "1975-04-30",
            "gender": "male",
            "address": "12 Lê Lợi, phường Trần Phú, TP Quảng Ngãi",
            "phone": "0912345678",
            "email": "duc.nv@example.vn",
            "created_at": created_at,
            "updated_at": created_at,
        })
    );
    assert!(!response.text.contains("search_text") && !response.text.contains(&receptionist.username));
    assert_eq!(app.get(&citizen_path(id), Some(&token)).ok(200), created);

    // Only a name and an address are needed; the rest is null.
    let bare = create(&app, &token, &minimal("  Lê Thị B  "));
    assert_eq!(bare["full_name"], "Lê Thị B");
    for field in ["id_number", "date_of_birth", "gender", "phone", "email"] {
        assert!(bare[field].is_null(), "{field}: {bare}");
    }
}

#[test]
fn search_ignores_diacritics_and_case() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Receptionist);
    create(&app, &token, &duc());
    create(&app, &token, &minimal("Lê Văn Dũng"));
    create(&app, &token, &minimal("Phạm Thị Hoa"));
    create(&app, &token, &minimal("Nguyễn Thị Lan"));

    for query in ["nguyen van duc", "ĐỨC", "Đức", "duc", "NGUYỄN VĂN ĐỨC", "  van   duc "] {
        assert_eq!(search_names(&app, &token, query), ["Nguyễn Văn Đức"], "{query}");
    }
    assert_eq!(search_names(&app, &token, "đ"), ["Nguyễn Văn Đức", "Lê Văn Dũng"], "đ matches d");
    assert_eq!(search_names(&app, &token, "d"), ["Nguyễn Văn Đức", "Lê Văn Dũng"]);
    assert_eq!(search_names(&app, &token, "đũng"), ["Lê Văn Dũng"]);
    assert_eq!(search_names(&app, &token, "nguyễn"), ["Nguyễn Văn Đức", "Nguyễn Thị Lan"]);
    assert_eq!(search_names(&app, &token, "văn"), ["Nguyễn Văn Đức", "Lê Văn Dũng"]);
    assert!(search_names(&app, &token, "trần").is_empty(), "the address is not searched");
    assert!(search_names(&app, &token, "%").is_empty(), "LIKE wildcards are matched literally");
    assert!(search_names(&app, &token, "_").is_empty());

    // Without a query (or with a blank one), everyone in registration order.
    let everyone = ["Nguyễn Văn Đức", "Lê Văn Dũng", "Phạm Thị Hoa", "Nguyễn Thị Lan"];
    let page = app.get(CITIZENS, Some(&token)).ok(200);
    let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|c| c["full_name"].as_str().unwrap()).collect();
    assert_eq!(names, everyone);
    assert!(page["next_cursor"].is_null(), "{page}");
    assert_eq!(search_names(&app, &token, " "), everyone);
}

#[test]
fn search_finds_id_numbers_and_phones_however_written() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Handler);
    create(&app, &token, &duc());
    let mut passport = minimal("John Smith");
    passport["id_number"] = json!("b1234567");
    passport["phone"] = json!("+84 255 3822 123");
    let stored = create(&app, &token, &passport);
    assert_eq!(stored["id_number"], "B1234567", "passport numbers are stored uppercase");
    assert_eq!(stored["phone"], "02553822123");
    create(&app, &token, &minimal("Phạm Thị Hoa"));

    for query in
        ["051090000123", "0510900", "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678"]
    {
        assert_eq!(search_names(&app, &token, query), ["Nguyễn Văn Đức"], "{query}");
    }
    for query in ["B1234567", "b1234567", "0255 3822 123", "+84 255 3822 123", "3822123"] {
        assert_eq!(search_names(&app, &token, query), ["John Smith"], "{query}");
    }
    assert!(search_names(&app, &token, "0988 000 111").is_empty());
}

#[test]
fn search_results_page_one_at_a_time() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Head);
    let mut expected = Vec::new();
    for name in ["Nguyễn Văn An", "Trần Thị Bích", "Nguyễn Thị Cúc", "Lê Văn Đông", "Nguyễn Hữu Em"]
    {
        let created = create(&app, &token, &minimal(name));
        if name.starts_with("Nguyễn") {
            expected.push((id_of(&created), name.to_owned()));
        }
    }

    let mut seen = Vec::new();
    let mut path = format!("{CITIZENS}?q=NGUYEN&limit=1");
    loop {
        let page = app.get(&path, Some(&token)).ok(200);
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{page}");
        seen.push((id_of(&items[0]), items[0]["full_name"].as_str().unwrap().to_owned()));
        assert!(seen.len() <= expected.len(), "the cursor never ends");
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("{CITIZENS}?q=NGUYEN&limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, expected, "every match once, in id order");

    let first_two = app.get(&format!("{CITIZENS}?q=nguyen&limit=2"), Some(&token)).ok(200);
    assert_eq!(first_two["items"].as_array().unwrap().len(), 2);
    assert!(first_two["next_cursor"].is_string());
    assert_eq!(invalid_fields(&app.get(&format!("{CITIZENS}?limit=201"), Some(&token))), ["limit"]);
    assert_eq!(invalid_fields(&app.get(&format!("{CITIZENS}?cursor=garbage!"), Some(&token))), ["cursor"]);
    assert_eq!(invalid_fields(&app.get(&format!("{CITIZENS}?query=x"), Some(&token))), ["query"]);
    let long_query = format!("{CITIZENS}?q={}", "a".repeat(201));
    assert_eq!(invalid_fields(&app.get(&long_query, Some(&token))), ["q"]);
}

#[test]
fn an_id_number_belongs_to_one_citizen() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Receptionist);
    let first = create(&app, &token, &duc());
    let first_id = id_of(&first);

    let mut again = minimal("Nguyễn Văn Đức (trùng)");
    again["id_number"] = json!("051090000123");
    let problem = app.post(CITIZENS, Some(&token), &again).problem(409, "citizen_exists");
    assert_eq!(problem["existing_id"], first_id, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("051090000123"), "{problem}");

    // Passports differ only in case when typed: still the same document.
    let mut passport = minimal("John Smith");
    passport["id_number"] = json!("B1234567");
    let john = create(&app, &token, &passport);
    passport["id_number"] = json!("b1234567");
    let problem = app.post(CITIZENS, Some(&token), &passport).problem(409, "citizen_exists");
    assert_eq!(problem["existing_id"], id_of(&john));

    // Taking another citizen's number in a correction is refused the same way.
    let other = create(&app, &token, &minimal("Phạm Thị Hoa"));
    let other_path = citizen_path(id_of(&other));
    let problem =
        app.patch(&other_path, Some(&token), &json!({ "id_number": "051090000123" })).problem(409, "citizen_exists");
    assert_eq!(problem["existing_id"], first_id);
    assert!(app.get(&other_path, Some(&token)).ok(200)["id_number"].is_null(), "nothing changed");

    // Keeping one's own number is no conflict; a free number is taken.
    let own = app.patch(&citizen_path(first_id), Some(&token), &json!({ "id_number": "051090000123" })).ok(200);
    assert_eq!(own["id_number"], "051090000123");
    let freed = app.patch(&citizen_path(first_id), Some(&token), &json!({ "id_number": null })).ok(200);
    assert!(freed["id_number"].is_null());
    let taken = app.patch(&other_path, Some(&token), &json!({ "id_number": "051090000123" })).ok(200);
    assert_eq!(taken["id_number"], "051090000123");

    let everyone = app.get(CITIZENS, Some(&token)).ok(200);
    assert_eq!(everyone["items"].as_array().unwrap().len(), 3, "no refused registration was stored");
}

#[test]
fn concurrent_registrations_of_one_id_number_make_one_citizen() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Receptionist);
    let responses: Vec<Response> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|n| {
                let (app, token) = (&app, &token);
                scope.spawn(move || {
                    let mut body = minimal(&format!("Người đăng ký {n}"));
                    body["id_number"] = json!("079200001234");
                    app.post(CITIZENS, Some(token), &body)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker")).collect()
    });
    let created: Vec<&Response> = responses.iter().filter(|r| r.status == 201).collect();
    assert_eq!(created.len(), 1, "{responses:?}");
    let winner = id_of(&created[0].json());
    for refused in responses.iter().filter(|r| r.status != 201) {
        assert_eq!(refused.problem(409, "citizen_exists")["existing_id"], winner);
    }
    assert_eq!(app.get(CITIZENS, Some(&token)).ok(200)["items"].as_array().unwrap().len(), 1);
}

#[test]
fn each_invalid_field_is_named() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Receptionist);
    let tomorrow = (tiepdan::time::vietnam_today() + chrono::Days::new(1)).to_string();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("CCCD of 11 digits", json!({ "id_number": "05109000012" }), "id_number"),
        ("CMND of 8 digits", json!({ "id_number": "12345678" }), "id_number"),
        ("passport with symbols", json!({ "id_number": "B123-4567" }), "id_number"),
        ("10 digits", json!({ "id_number": "0510900001" }), "id_number"),
        ("short phone", json!({ "phone": "12345" }), "phone"),
        ("phone with letters", json!({ "phone": "0912 abc 678" }), "phone"),
        ("foreign phone", json!({ "phone": "+1 202 555 0123" }), "phone"),
        ("malformed email", json!({ "email": "duc.nv-at-example" }), "email"),
        ("birth date tomorrow", json!({ "date_of_birth": tomorrow }), "date_of_birth"),
        ("birth date before 1900", json!({ "date_of_birth": "1899-12-31" }), "date_of_birth"),
        ("malformed birth date", json!({ "date_of_birth": "30/04/1975" }), "date_of_birth"),
        ("unknown gender", json!({ "gender": "unknown" }), "gender"),
        ("unknown field", json!({ "nickname": "Đức" }), "nickname"),
        ("blank full name", json!({ "full_name": "   " }), "full_name"),
        ("long full name", json!({ "full_name": "ư".repeat(201) }), "full_name"),
        ("blank address", json!({ "address": "" }), "address"),
        ("long address", json!({ "address": "ư".repeat(501) }), "address"),
    ];
    for (label, change, field) in cases {
        let mut body = duc();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let response = app.post(CITIZENS, Some(&token), &body);
        assert_eq!(invalid_fields(&response), [field], "{label}");
    }
    for missing in ["full_name", "address"] {
        let mut body = duc();
        body.as_object_mut().unwrap().remove(missing);
        assert_eq!(invalid_fields(&app.post(CITIZENS, Some(&token), &body)), [missing]);
    }

    // Every problem the rules find is reported at once.
    let all_bad = json!({
        "full_name": "", "id_number": "123", "date_of_birth": "1800-01-01", "address": " ",
        "phone": "12345", "email": "nope",
    });
    let fields: BTreeSet<String> = invalid_fields(&app.post(CITIZENS, Some(&token), &all_bad)).into_iter().collect();
    assert_eq!(
        fields,
        ["address", "date_of_birth", "email", "full_name", "id_number", "phone"].map(String::from).into()
    );

    // The accepted forms are named in the message.
    let problem = app.post(CITIZENS, Some(&token), &json!({ "full_name": "A", "address": "B", "id_number": "1" }));
    let message = problem.json()["errors"][0]["message"].as_str().unwrap().to_owned();
    for form in ["CCCD", "12 digits", "CMND", "9 digits", "passport"] {
        assert!(message.contains(form), "{message}");
    }

    // Nothing refused was stored.
    assert!(app.get(CITIZENS, Some(&token)).ok(200)["items"].as_array().unwrap().is_empty());

    // Accepted forms of the same fields.
    let mut good = duc();
    good["phone"] = json!("+84 912 345 678");
    good["date_of_birth"] = json!(tiepdan::time::vietnam_today().to_string());
    let created = create(&app, &token, &good);
    assert_eq!(created["phone"], "0912345678");
    for (id_number, stored) in [("123456789", "123456789"), ("c03004857", "C03004857")] {
        let mut body = minimal("Người khác");
        body["id_number"] = json!(id_number);
        assert_eq!(create(&app, &token, &body)["id_number"], stored);
    }
}

#[test]
fn every_role_reads_but_only_reception_staff_write() {
    let app = TestApp::spawn();
    let (_, receptionist) = app.signed_in(Role::Receptionist);
    let citizen = create(&app, &receptionist, &duc());
    let path = citizen_path(id_of(&citizen));

    for role in [Role::Handler, Role::Head] {
        let (_, token) = app.signed_in(role);
        let mut body = minimal(&format!("Công dân do {} ghi", role.as_str()));
        body["phone"] = json!("0988000111");
        create(&app, &token, &body);
        app.patch(&path, Some(&token), &json!({ "address": format!("Địa chỉ do {} sửa", role.as_str()) })).ok(200);
    }

    for role in [Role::Auditor, Role::Admin] {
        let (_, token) = app.signed_in(role);
        let read = app.get(&path, Some(&token)).ok(200);
        assert_eq!(read["full_name"], "Nguyễn Văn Đức");
        assert_eq!(search_names(&app, &token, "duc"), ["Nguyễn Văn Đức"]);
        assert_eq!(app.get(CITIZENS, Some(&token)).ok(200)["items"].as_array().unwrap().len(), 3);
        app.post(CITIZENS, Some(&token), &minimal("Không được ghi")).problem(403, "forbidden");
        app.patch(&path, Some(&token), &json!({ "full_name": "Không được sửa" })).problem(403, "forbidden");
    }
    assert_eq!(app.get(&path, Some(&receptionist)).ok(200)["full_name"], "Nguyễn Văn Đức");
    assert!(search_names(&app, &receptionist, "khong duoc").is_empty());

    app.post(CITIZENS, None, &minimal("Ẩn danh")).problem(401, "unauthorized");
    app.get(CITIZENS, None).problem(401, "unauthorized");
    app.get(&path, None).problem(401, "unauthorized");
    app.patch(&path, None, &json!({ "full_name": "Ẩn danh" })).problem(401, "unauthorized");
    app.get(&path, Some("not-a-token")).problem(401, "unauthorized");
}

#[test]
fn unknown_citizens_are_not_found() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Receptionist);
    app.get(&citizen_path(999_999), Some(&token)).problem(404, "not_found");
    app.patch(&citizen_path(999_999), Some(&token), &json!({ "full_name": "Ai đó" })).problem(404, "not_found");
    app.get(&format!("{CITIZENS}/abc"), Some(&token)).problem(404, "not_found");
}

#[test]
fn a_correction_changes_what_it_names_and_clears_nulls() {
    let app = TestApp::spawn();
    let (_, token) = app.signed_in(Role::Receptionist);
    let before = create(&app, &token, &duc());
    let path = citizen_path(id_of(&before));

    let after = app.patch(&path, Some(&token), &json!({ "email": null })).ok(200);
    assert!(after["email"].is_null(), "{after}");
    let mut expected = before.clone();
    expected["email"] = Value::Null;
    expected["updated_at"] = after["updated_at"].clone();
    assert_eq!(after, expected, "only the e-mail changed");
    let instant = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    assert!(instant(&after["updated_at"]) >= instant(&before["updated_at"]));
    assert_eq!(after["created_at"], before["created_at"]);
    assert_eq!(app.get(&path, Some(&token)).ok(200), after);

    // Renaming and a new phone are found by search; the old name and phone no longer are.
    let renamed = app
        .patch(
            &path,
            Some(&token),
            &json!({ "full_name": "Nguyễn Văn Đạt", "phone": "+84 988 000 111", "gender": null, "date_of_birth": null }),
        )
        .ok(200);
    assert_eq!(renamed["full_name"], "Nguyễn Văn Đạt");
    assert_eq!(renamed["phone"], "0988000111");
    assert!(renamed["gender"].is_null() && renamed["date_of_birth"].is_null());
    assert_eq!(renamed["id_number"], "051090000123", "absent fields stay as they were");
    assert_eq!(renamed["address"], before["address"]);
    assert_eq!(search_names(&app, &token, "dat"), ["Nguyễn Văn Đạt"]);
    assert_eq!(search_names(&app, &token, "0988 000 111"), ["Nguyễn Văn Đạt"]);
    assert_eq!(search_names(&app, &token, "051090000123"), ["Nguyễn Văn Đạt"]);
    assert!(search_names(&app, &token, "duc").is_empty());
    assert!(search_names(&app, &token, "0912345678").is_empty());

    // Corrections follow the registration rules, and name and address cannot be cleared.
    let fields = invalid_fields(&app.patch(
        &path,
        Some(&token),
        &json!({ "full_name": null, "address": "", "phone": "12345", "id_number": "12345678", "email": "x" }),
    ));
    assert_eq!(fields, ["full_name", "address", "id_number", "phone", "email"]);
    assert_eq!(invalid_fields(&app.patch(&path, Some(&token), &json!({ "gender": "unknown" }))), ["gender"]);
    assert_eq!(invalid_fields(&app.patch(&path, Some(&token), &json!({ "created_by": 1 }))), ["created_by"]);
    assert_eq!(app.get(&path, Some(&token)).ok(200), renamed, "refused corrections changed nothing");

    // An empty correction changes nothing but the time.
    let same = app.patch(&path, Some(&token), &json!({})).ok(200);
    assert_eq!(same["full_name"], renamed["full_name"]);
    assert_eq!(same["phone"], renamed["phone"]);
}

/// Moves every stored `Idempotency-Key` response `by` into the past.
fn age_idempotency_keys(app: &TestApp, by: chrono::Duration) {
    use diesel::prelude::*;
    use tiepdan::persistence::schema::idempotency_keys::dsl::*;
    let then = (chrono::Utc::now() - by).naive_utc();
    app.ctx
        .db
        .write(|conn| {
            diesel::update(idempotency_keys)
                .set(created_at.eq(then))
                .execute(conn)
                .map_err(tiepdan::persistence::DbError::from)
        })
        .unwrap();
}

#[test]
fn an_idempotent_registration_happens_once() {
    let app = std::sync::Arc::new(TestApp::spawn());
    let (_, desk) = app.signed_in(Role::Receptionist);
    let body = json!({ "full_name": "Lý Thị Kim", "id_number": "079300000001", "address": "Xã Nghĩa Hà" });
    let send = |app: &TestApp, key: &str, body: &serde_json::Value| {
        app.send(
            app.client.post(app.url("/api/v1/citizens")).bearer_auth(&desk).header("Idempotency-Key", key).json(body),
        )
    };
    let first = send(&app, "reg-1", &body);
    let created = first.ok(201);
    let again = send(&app, "reg-1", &body);
    assert_eq!(again.status, 201, "a replay, not citizen_exists: {}", again.text);
    assert_eq!(again.json(), created);
    assert_eq!(again.header("location"), first.header("location"));
    let mut other = body.clone();
    other["full_name"] = json!("Lý Thị Khác");
    send(&app, "reg-1", &other).problem(422, "idempotency_key_reused");
    // Within 24 hours the response is replayed; after them the key is forgotten and makes a new
    // registration.
    age_idempotency_keys(&app, chrono::Duration::hours(23));
    assert_eq!(send(&app, "reg-1", &body).ok(201), created);
    age_idempotency_keys(&app, chrono::Duration::hours(25));
    let newcomer = json!({ "full_name": "Lý Thị Khác", "address": "Xã Nghĩa Hà" });
    let later = send(&app, "reg-1", &newcomer).ok(201);
    assert_ne!(later["id"], created["id"]);
    assert_eq!(later["full_name"], "Lý Thị Khác");
    assert_eq!(send(&app, "reg-1", &newcomer).ok(201), later, "and is kept again from then");
    send(&app, "reg-1", &body).problem(422, "idempotency_key_reused");
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let (app, desk) = (app.clone(), desk.clone());
            std::thread::spawn(move || {
                let body = json!({ "full_name": "Mai Văn Lộc", "address": "Xã Nghĩa Hà" });
                let response = app.send(
                    app.client
                        .post(app.url("/api/v1/citizens"))
                        .bearer_auth(&desk)
                        .header("Idempotency-Key", "reg-2")
                        .json(&body),
                );
                (response.status, response.json()["id"].clone())
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(results.iter().all(|(status, id)| *status == 201 && *id == results[0].1), "{results:?}");
    let found = app.get("/api/v1/citizens?q=mai%20van%20loc", Some(&desk)).ok(200);
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
}

#[test]
fn a_change_to_a_citizen_is_audited_by_field_without_the_values() {
    let app = TestApp::spawn();
    let (receptionist, desk) = app.signed_in(Role::Receptionist);
    let (_, head) = app.signed_in(Role::Head);
    let citizen = create(&app, &desk, &duc());
    let path = citizen_path(id_of(&citizen));
    let changes = json!({ "address": "Số 9 đường Hai Bà Trưng, Quảng Ngãi", "phone": "0905111222", "full_name": "Nguyễn Văn Đức" });
    app.patch(&path, Some(&desk), &changes).ok(200);
    // Sending what is already there changes nothing and records nothing.
    app.patch(&path, Some(&desk), &json!({ "address": "Số 9 đường Hai Bà Trưng, Quảng Ngãi" })).ok(200);

    let audit = app.get("/api/v1/audit?type=citizen_updated", Some(&head)).ok(200);
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{audit}");
    let entry = &items[0];
    assert_eq!(entry["actor_id"], receptionist.id);
    assert_eq!(entry["object_type"], "citizen");
    assert_eq!(entry["object_id"], citizen["id"]);
    assert_eq!(entry["ip"], "127.0.0.1");
    assert_eq!(entry["details"], json!({ "fields": ["address", "phone"] }));
    let text = audit.to_string();
    assert!(!text.contains("Hai Bà Trưng") && !text.contains("0905111222"), "{text}");
}
