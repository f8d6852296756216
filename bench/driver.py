#!/usr/bin/env python3
"""Measures tiepdan's API against the bare SQL of the same work, in one run.

For every scenario the API is called over HTTP (keep-alive, one client thread for reads, several
for writes), and the statements the server runs for that request are handed to the bare-SQL tool
(bench/bare_sql.rs), which runs them directly on the same database through the same drivers, in
the same transaction shape (a read snapshot for reads, one write transaction for writes). The
ratio API / bare SQL is the cost of everything tiepdan adds: HTTP, the token check, the ORM,
turning rows into values, the workflow and deadline computations, JSON. Reads alternate between
the two sides in rounds, so that both meet the same moments of a shared machine, and are timed
by a compiled HTTP client (bench/timed_get.rs) so that the client's own work is not counted as
the server's.

Usage: driver.py --api http://127.0.0.1:PORT --database-url URL --password P --bare BIN --client BIN --out FILE
(run by bench/run, which loads the data and starts the server).
"""

import argparse
import base64
import datetime
import http.client
import json
import statistics
import threading
import time
import subprocess
import urllib.parse

OPEN = ("received", "accepted", "verifying", "suspended", "decided", "transferred")
# Codes of the cases the bare SQL creates are unique per run.
RUN = int(time.time())
CASE_COLUMNS = (
    "id, code, kind, round, parent_id, field, locality, title, summary, respondent, source, forwarded_by, "
    "received_at, received_on, status, status_before_suspension, assignee_id, created_by, group_size, complex, "
    "very_complex, remote_area, multi_site, central_list, filed_late, intake_count, intake_after_decision, "
    "accepted_on, transferred_on, decided_on, extensions, outcome, duplicate_of, retention_until, due_on, version, created_at, updated_at, "
    "processing_due_on, acceptance_due_on, review_due_on, resolution_due_on, reply_due_on"
)
# The clocks whose due dates are kept beside each case, in the order the backlog lists them.
CLOCKS = ("processing", "acceptance", "resolution", "review", "reply")
# The aging buckets of the backlog, in days since receipt.
AGING = ((0, 30), (31, 60), (61, 90), (91, 180), (181, 365), (366, None))


# --- The database, bare -------------------------------------------------------------------------

class Setup:
    """The driver's own connection, for finding ids and positions before a measurement."""

    def __init__(self, url):
        self.sqlite = url.startswith("sqlite:")
        if self.sqlite:
            import sqlite3
            self.conn = sqlite3.connect(url[len("sqlite://"):], isolation_level=None)
        else:
            import psycopg
            self.conn = psycopg.connect(url, autocommit=True)

    def q(self, sql, params=()):
        if not self.sqlite:
            sql = sql.replace("?", "%s")
        cur = self.conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def lit(value):
    """A value written into SQL text, as the application's driver would bind it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime.datetime):
        return "'" + value.strftime("%Y-%m-%d %H:%M:%S") + "'"
    if isinstance(value, datetime.date):
        return "'" + value.isoformat() + "'"
    return "'" + str(value).replace("'", "''") + "'"


def sql(text, *values):
    """`text` with each `?` replaced by the next value, written in."""
    parts = text.split("?")
    assert len(parts) == len(values) + 1, text
    out = [parts[0]]
    for value, part in zip(values, parts[1:]):
        out.append(lit(value) + part)
    return "".join(out)


def in_list(values):
    return ", ".join(lit(v) for v in values) or "NULL"


def read(*statements):
    return {"shape": "read", "statements": list(statements)}


def write(*statements):
    return {"shape": "write", "statements": list(statements)}


def auth_statements(setup, username):
    """What the server reads to authenticate a request: the token's session and its user."""
    user_id, = setup.q("SELECT id FROM users WHERE username = ?", [username])[0]
    session_id, = setup.q("SELECT id FROM sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 1", [user_id])[0]
    return read(
        f"SELECT id, user_id, refresh_generation, created_at, expires_at, revoked_at, revoked_reason FROM sessions "
        f"WHERE id = {lit(session_id)}",
        f"SELECT id, username, full_name, email, role, active, must_change_password, password_hash, created_at, updated_at "
        f"FROM users WHERE id = {user_id}",
    )


def people_query(ids):
    return (f"SELECT p.case_id, p.citizen_id, p.role, p.position, c.full_name, c.id_number, c.phone, c.email, c.address "
            f"FROM case_people p JOIN citizens c ON c.id = p.citizen_id WHERE p.case_id IN ({in_list(ids)}) "
            f"ORDER BY p.case_id, p.position")


def page_statements(setup, page_sql, reader_id, limit=50, shown_denouncers=True):
    """The statements the server runs for a page of cases (service::cases::list and views), and,
    for a reader shown denouncers (a head), the audit entry of every denunciation on the page."""
    rows = setup.q(page_sql)[:limit]
    ids = [r[0] for r in rows]
    statements = [page_sql, people_query(ids)]
    users = sorted({u for r in rows for u in (r[16], r[17]) if u is not None})
    statements.append(f"SELECT id, full_name FROM users WHERE id IN ({in_list(users)})")
    statements.append(f"SELECT id, case_id, effective_on, resumed_on FROM case_suspensions WHERE case_id IN ({in_list(ids)}) "
                      f"ORDER BY case_id, effective_on, id")
    # The workflow history of each case (service::transitions::histories).
    split = dict(setup.q(f"SELECT id, split_from FROM cases WHERE id IN ({in_list(ids)}) AND split_from IS NOT NULL"))
    originals = [split.get(i, i) for i in ids]
    statements.append(f"SELECT id, split_from FROM cases WHERE id IN ({in_list(ids)}) AND split_from IS NOT NULL")
    statements.append(f"SELECT id, parent_id FROM cases WHERE parent_id IN ({in_list(ids)})")
    statements.append(f"SELECT id, duplicate_of FROM cases WHERE duplicate_of IN ({in_list(ids)})")
    statements.append(f"SELECT id, split_from FROM cases WHERE split_from IN ({in_list(originals)})")
    related = sorted(set(ids) | {r[32] for r in rows if r[32]} | {r[4] for r in rows if r[4]})
    events_sql = (f"SELECT case_id, event_type FROM case_events WHERE case_id IN ({in_list(related)}) "
                  f"AND event_type IN ('guide', 'transfer') ORDER BY id")
    statements.append(events_sql)
    guided_elsewhere = {e[0] for e in setup.q(events_sql) if e[1] == "guide"} - set(ids)
    if guided_elsewhere:
        statements.append(people_query(sorted(guided_elsewhere)))
    statements.append(f"SELECT DISTINCT case_id FROM dialogues WHERE case_id IN ({in_list(ids)}) AND status = 'held'")
    now = datetime.datetime.utcnow()
    disclosures = [
        sql("INSERT INTO audit_log (at, actor_id, event_type, object_type, object_id, ip, details) "
            "VALUES (?, ?, 'identity_disclosed', 'case', ?, '127.0.0.1', ?)", now, reader_id, r[0], json.dumps({"case_code": r[1]}))
        for r in rows if r[2] == "denunciation" and shown_denouncers
    ]
    return [read(*statements)] + ([write(*disclosures)] if disclosures else [])


def working_days_after(setup, day, n):
    """The n-th working day after `day` under the stored calendar (weekends off unless listed as
    working days; listed holidays off)."""
    rows = setup.q("SELECT date, kind FROM calendar_days WHERE date > ? AND date <= ?",
                   [day.isoformat(), (day + datetime.timedelta(days=n * 7 + 60)).isoformat()])
    kinds = {(r[0] if isinstance(r[0], str) else r[0].isoformat()): r[1] for r in rows}
    while n > 0:
        day += datetime.timedelta(days=1)
        kind = kinds.get(day.isoformat())
        if kind == "working_day" or (kind is None and day.weekday() < 5):
            n -= 1
    return day


def backlog_statements(setup, as_of, actor_id):
    """The statements of reports::backlog::build and resolution::tally_decided, and the audit entry."""
    o = in_list(OPEN)
    year_start = as_of.replace(month=1, day=1)
    window = json.loads(setup.q("SELECT document FROM rule_sets WHERE in_force_from <= ? ORDER BY in_force_from DESC LIMIT 1",
                                [as_of.isoformat()])[0][0])["due_soon_working_days"]
    until = working_days_after(setup, as_of, window)
    open_cases = sql(f"FROM cases WHERE status IN ({o}) AND received_on <= ?", as_of)

    def count_where(condition, *values):
        return sql(f"COUNT(CASE WHEN {condition} THEN 1 END)", *values)

    def age(low, high):
        latest = as_of - datetime.timedelta(days=low)
        if high is None:
            return count_where("received_on <= ?", latest)
        return count_where("received_on BETWEEN ? AND ?", as_of - datetime.timedelta(days=high), latest)

    clocks = [count_where("due_on < ?", as_of), count_where("due_on BETWEEN ? AND ?", as_of, until)]
    for clock in CLOCKS:
        clocks.append(count_where(f"{clock}_due_on < ?", as_of))
        clocks.append(count_where(f"{clock}_due_on BETWEEN ? AND ?", as_of, until))
    clocks.append(count_where("resolution_due_on < ? AND resolution_due_on BETWEEN ? AND ?", as_of, year_start, as_of))
    handlers_sql = sql(f"SELECT assignee_id, COUNT(*), COUNT(CASE WHEN due_on < ? THEN 1 END) {open_cases} GROUP BY assignee_id",
                       as_of)
    most_overdue_sql = sql(f"SELECT id, code, title, due_on, assignee_id {open_cases} AND due_on < ? ORDER BY due_on, id LIMIT 20",
                           as_of)
    users = sorted({r[0] for r in setup.q(handlers_sql) if r[0] is not None}
                   | {r[4] for r in setup.q(most_overdue_sql) if r[4] is not None})
    return [
        read(
            f"SELECT kind, status, COUNT(*) {open_cases} GROUP BY kind, status",
            f"SELECT field, COUNT(*) {open_cases} GROUP BY field",
            handlers_sql,
            f"SELECT COUNT(*), {', '.join(age(low, high) for low, high in AGING)} {open_cases}",
            f"SELECT {', '.join(clocks)} {open_cases}",
            sql("SELECT COUNT(*), COUNT(CASE WHEN decided_due_on IS NULL OR decided_on <= decided_due_on THEN 1 END) "
                "FROM cases WHERE decided_on BETWEEN ? AND ?", year_start, as_of),
            most_overdue_sql,
            f"SELECT id, full_name FROM users WHERE id IN ({in_list(users)})",
        ),
        write(sql("INSERT INTO audit_log (at, actor_id, event_type, object_type, object_id, ip, details) "
                  "VALUES (?, ?, 'report_exported', 'report', NULL, '127.0.0.1', ?)",
                  datetime.datetime.utcnow(), actor_id, '{"report":"backlog","format":"json"}')),
    ]


def create_case_statements(sqlite, citizen_id, actor_id, n):
    """The statements of service::cases::create_in for a letter with no e-mail to send."""
    now = datetime.datetime.utcnow().replace(microsecond=0)
    scope = f"case:KN:{now.year}"
    code = f"KN-{now.year}-B{RUN}-{n:07}"
    case = f"(SELECT id FROM cases WHERE code = {lit(code)})"
    ignore = "INSERT OR IGNORE INTO counters (scope, value) VALUES (?, 0)" if sqlite else \
        "INSERT INTO counters (scope, value) VALUES (?, 0) ON CONFLICT DO NOTHING"
    return [write(
        sql(ignore, scope),
        sql("UPDATE counters SET value = value + 1 WHERE scope = ? RETURNING value", scope),
        sql("INSERT INTO cases (code, kind, round, field, locality, locality_norm, title, summary, respondent, search_text, "
            "source, received_at, received_on, status, created_by, group_size, complex, very_complex, remote_area, multi_site, "
            "central_list, due_on, created_at, updated_at) VALUES (?, 'complaint', 1, 'civil_service', ?, ?, ?, ?, ?, ?, 'post', "
            "?, ?, 'received', ?, 1, FALSE, FALSE, FALSE, FALSE, FALSE, ?, ?, ?) RETURNING id",
            code, "xã Quảng Tâm", "xa quang tam", "Khiếu nại quyết định kỷ luật", "Công chức khiếu nại quyết định kỷ luật khiển trách",
            "UBND xã Quảng Tâm", code.lower() + " khieu nai quyet dinh ky luat", now, now.date(), actor_id,
            now.date() + datetime.timedelta(days=14), now, now),
        sql(f"INSERT INTO case_people (case_id, citizen_id, role, position) VALUES ({case}, ?, 'complainant', 0)", citizen_id),
        sql(f"INSERT INTO intakes (case_id, visit_id, channel, received_at, summary, created_by, created_at) "
            f"VALUES ({case}, NULL, 'letter', ?, NULL, ?, ?) RETURNING id", now, actor_id, now),
        sql(f"INSERT INTO case_events (case_id, at, actor_id, event_type, from_status, to_status, data) "
            f"VALUES ({case}, ?, ?, 'created', NULL, 'received', ?) RETURNING id", now, actor_id, json.dumps({"code": code})),
        f"SELECT {CASE_COLUMNS} FROM cases WHERE code = {lit(code)}",
        f"SELECT p.case_id, c.email FROM case_people p JOIN citizens c ON c.id = p.citizen_id WHERE p.case_id = {case}",
    )]


def accept_statements(case_id, version, actor_id):
    """The statements of service::transitions::transition for `accept`."""
    now = datetime.datetime.utcnow().replace(microsecond=0)
    one = lit(case_id)
    return [write(
        f"SELECT {CASE_COLUMNS} FROM cases WHERE id = {one}",
        f"SELECT id, split_from FROM cases WHERE id IN ({one}) AND split_from IS NOT NULL",
        f"SELECT id, parent_id FROM cases WHERE parent_id IN ({one})",
        f"SELECT id, duplicate_of FROM cases WHERE duplicate_of IN ({one})",
        f"SELECT id, split_from FROM cases WHERE split_from IN ({one})",
        f"SELECT case_id, event_type FROM case_events WHERE case_id IN ({one}) AND event_type IN ('guide', 'transfer') ORDER BY id",
        people_query([case_id]),
        f"SELECT DISTINCT case_id FROM dialogues WHERE case_id IN ({one}) AND status = 'held'",
        sql("UPDATE cases SET status = 'accepted', accepted_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
            now.date(), now, case_id, version),
        sql("INSERT INTO case_events (case_id, at, actor_id, event_type, from_status, to_status, data) "
            "VALUES (?, ?, ?, 'accept', 'received', 'accepted', ?) RETURNING id", case_id, now, actor_id, '{"decision_no":"1/QD"}'),
        f"SELECT {CASE_COLUMNS} FROM cases WHERE id = {one}",
        sql("UPDATE cases SET due_on = ? WHERE id = ?", now.date() + datetime.timedelta(days=30), case_id),
        f"SELECT {CASE_COLUMNS} FROM cases WHERE id = {one}",
        f"SELECT p.case_id, c.email FROM case_people p JOIN citizens c ON c.id = p.citizen_id WHERE p.case_id = {one}",
    )]


def bare(binary, database_url, **task):
    """Runs a task with the bare-SQL tool and returns its figures."""
    task["database_url"] = database_url
    done = subprocess.run([binary], input=json.dumps(task, default=str), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout)


# --- The API ------------------------------------------------------------------------------------

class Api:
    def __init__(self, base):
        parsed = urllib.parse.urlparse(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def call(self, method, path, token=None, body=None, headers=None):
        h = {"Accept": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        try:
            self.conn.request(method, path, body=data, headers=h)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # The server closed an idle keep-alive connection: open another.
            self.conn.close()
            self.conn.request(method, path, body=data, headers=h)
            response = self.conn.getresponse()
        payload = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload) if payload else None

    def login(self, username, password):
        return self.call("POST", "/api/v1/auth/login", body={"username": username, "password": password})["access_token"]


class TimedGet:
    """GETs of one path, timed by the compiled client (bench/timed_get.rs) over one keep-alive
    connection, from the first byte sent to the body's last byte: a Python client takes about
    0.1 ms longer to read a list page, which would be counted as the server's."""

    def __init__(self, binary, api, token, path):
        self.binary = binary
        self.task = {"address": f"{api.host}:{api.port}", "path": path, "token": token}

    def __call__(self, runs, warmup):
        task = dict(self.task, runs=runs, warmup=warmup)
        done = subprocess.run([self.binary], input=json.dumps(task), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        return json.loads(done.stdout)["samples_ms"]


# --- Measuring ----------------------------------------------------------------------------------

def paired(api_side, binary, database_url, unit, runs, warmup, rounds):
    """The API's and the bare SQL's latencies, measured in alternating rounds so that both see
    the same moments of a shared machine: medians over all the rounds' runs."""
    api_side(runs=0, warmup=warmup)
    runs = max(1, runs)
    rounds = max(1, min(rounds, runs))
    api_samples, bare_samples = [], []
    for i in range(rounds):
        # Every run is made: the first rounds take one more when they do not divide evenly.
        per_round = runs // rounds + (1 if i < runs % rounds else 0)
        # Each side opens a new connection a round and makes one untimed request or run on it
        # first: the first request after the other side's round is the slower, and on SQLite
        # the other side's commits also make a connection re-read its pages.
        api_samples += api_side(runs=per_round, warmup=1)
        bare_samples += bare(binary, database_url, mode="latency", warmup=1, runs=per_round, unit=unit)["samples_ms"]

    def figures(samples):
        samples.sort()
        return {"median_ms": round(statistics.median(samples), 3),
                "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 3),
                "runs": len(samples)}
    return figures(api_samples), figures(bare_samples)


def throughput(make_worker, threads, per_thread):
    """Operations per second with `threads` clients doing `per_thread` operations each."""
    workers = [make_worker(t) for t in range(threads)]
    errors = []

    def run(worker):
        try:
            for i in range(per_thread):
                worker(i)
        except Exception as e:  # reported after the run
            errors.append(repr(e))

    start = time.perf_counter()
    pool = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(errors[0])
    return {"ops_per_s": round(threads * per_thread / elapsed, 1), "operations": threads * per_thread, "clients": threads}


def cursor_for(received_at, case_id):
    position = {"k": "r", "at": received_at.strftime("%Y-%m-%dT%H:%M:%S"), "id": case_id}
    text = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--bare", required=True, help="the bare-SQL tool (target/release/examples/bare_sql)")
    parser.add_argument("--client", required=True, help="the timed HTTP client (target/release/examples/timed_get)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--writes", type=int, default=300, help="operations per client in the write scenarios")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--reads-only", action="store_true", help="skip the write scenarios (they add cases)")
    args = parser.parse_args()

    api = Api(args.api)
    setup = Setup(args.database_url)
    url = args.database_url
    head = api.login("bench-head", args.password)
    head_id = setup.q("SELECT id FROM users WHERE username = 'bench-head'")[0][0]
    receptionist_id = setup.q("SELECT id FROM users WHERE username = 'bench-receptionist-1'")[0][0]
    total = setup.q("SELECT COUNT(*) FROM cases")[0][0]
    today = (datetime.datetime.utcnow() + datetime.timedelta(hours=7)).date()
    head_auth = auth_statements(setup, "bench-head")
    results = {"cases": total, "backend": "sqlite" if setup.sqlite else "postgres", "scenarios": {}}

    def record(name, api_figures, bare_figures, note):
        bare_figures = {k: v for k, v in bare_figures.items() if k != "samples_ms"}
        if "median_ms" in api_figures:
            ratio = api_figures["median_ms"] / bare_figures["median_ms"]
        else:
            ratio = bare_figures["ops_per_s"] / api_figures["ops_per_s"]
        results["scenarios"][name] = {"api": api_figures, "bare_sql": bare_figures, "ratio": round(ratio, 2), "note": note}
        print(f"{name:34} api {api_figures}  bare {bare_figures}  ratio {ratio:.2f}", flush=True)

    def get(path):
        return TimedGet(args.client, api, head, path)

    # 1. The backlog report.
    runs = max(5, args.runs // 4)
    record("backlog_report",
           *paired(get("/api/v1/reports/backlog"), args.bare, url,
                   [head_auth] + backlog_statements(setup, today, head_id), runs, 2, rounds=runs // 2),
           "GET /reports/backlog as of today, on-time period 1 January to today")

    # 2. The floor of any request: the token check and the caller's profile.
    record("me",
           *paired(get("/api/v1/me"), args.bare, url, [head_auth], args.runs, 5, rounds=8),
           "GET /me: HTTP and the token check, against the session and user reads")

    # 3. The first page of a filtered list: the head's open cases in one field.
    page_sql = (f"SELECT {CASE_COLUMNS} FROM cases WHERE status IN ('accepted', 'verifying') AND field = 'land_housing' "
                f"ORDER BY received_at DESC, id DESC LIMIT 51")
    path = "/api/v1/cases?status=accepted&status=verifying&field=land_housing&limit=50"
    assert api.call("GET", path, head)["items"], "the filtered list is empty"
    api_first, bare_first = paired(get(path), args.bare, url,
                                   [head_auth] + page_statements(setup, page_sql, head_id), args.runs, 5, rounds=8)
    record("list_filtered_first_page", api_first, bare_first,
           "GET /cases?status=accepted&status=verifying&field=land_housing&limit=50 (head), against every statement it runs")
    record("list_filtered_first_page_query_only", api_first,
           bare(args.bare, url, mode="latency", warmup=5, runs=args.runs, unit=[read(page_sql)]),
           "the same page against its page query alone (no authentication, people, names, histories, audit)")

    # 4. A deep page of the whole list: 90 % of the way down, by cursor.
    depth = int(total * 0.9)
    at, case_id = setup.q("SELECT received_at, id FROM cases ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET ?", [depth])[0]
    if isinstance(at, str):
        at = datetime.datetime.fromisoformat(at)
    deep_path = "/api/v1/cases?limit=50&cursor=" + cursor_for(at, case_id)
    assert api.call("GET", deep_path, head)["items"], "the deep page is empty"
    deep_sql = sql(f"SELECT {CASE_COLUMNS} FROM cases WHERE received_at <= ? AND (received_at < ? OR (received_at = ? AND id < ?)) "
                   f"ORDER BY received_at DESC, id DESC LIMIT 51", at, at, at, case_id)
    record("list_deep_cursor_page",
           *paired(get(deep_path), args.bare, url,
                   [head_auth] + page_statements(setup, deep_sql, head_id), args.runs, 5, rounds=8),
           f"GET /cases?cursor=… at row {depth:,} of {total:,} (head), against every statement it runs")
    # The same page for an auditor, who is shown no denouncer: the server writes no audit entry,
    # so both sides only read.
    auditor = api.login("bench-auditor", args.password)
    auditor_id = setup.q("SELECT id FROM users WHERE username = 'bench-auditor'")[0][0]
    record("list_deep_cursor_page_auditor",
           *paired(TimedGet(args.client, api, auditor, deep_path), args.bare, url,
                   [auth_statements(setup, "bench-auditor")]
                   + page_statements(setup, deep_sql, auditor_id, shown_denouncers=False), args.runs, 5, rounds=8),
           f"GET /cases?cursor=… at row {depth:,} of {total:,} (auditor: no denouncer shown, no audit entry)")
    offset_sql = f"SELECT {CASE_COLUMNS} FROM cases ORDER BY received_at DESC, id DESC LIMIT 51 OFFSET {depth}"
    offset = bare(args.bare, url, mode="latency", warmup=1, runs=5, unit=[read(offset_sql)])
    results["scenarios"]["deep_page_by_offset_for_contrast"] = {k: v for k, v in offset.items() if k != "samples_ms"}
    print("the same depth by OFFSET (bare, never used by the API):", results["scenarios"]["deep_page_by_offset_for_contrast"])

    if not args.reads_only:
        measure_writes(args, api, setup, url, today, head_auth, head_id, receptionist_id, record)

    with open(args.out, "w") as f:
        json.dump(results, f, indent=2, default=str)


def measure_writes(args, api, setup, url, today, head_auth, head_id, receptionist_id, record):
    # 5. Case creation, `clients` receptionists at once.
    citizens = [r[0] for r in setup.q("SELECT id FROM citizens ORDER BY id LIMIT 1000")]
    created = []
    lock = threading.Lock()

    def api_creator(t):
        client = Api(args.api)
        token = client.login(f"bench-receptionist-{t + 1}", args.password)

        def create(i):
            # Not in the field the measured page filters on: the cases the writes add would
            # otherwise become that page in the next run.
            body = {"kind": "complaint", "field": "civil_service", "locality": "xã Quảng Tâm",
                    "title": "Khiếu nại quyết định kỷ luật", "summary": "Công chức khiếu nại quyết định kỷ luật khiển trách",
                    "source": "post", "received_at": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "people": [{"citizen_id": citizens[(t * 97 + i) % len(citizens)], "role": "complainant"}],
                    "respondent": "UBND xã Quảng Tâm"}
            case = client.call("POST", "/api/v1/cases", token, body)
            with lock:
                created.append((case["id"], case["version"]))
        return create

    operations = args.clients * args.writes
    Api(args.api).login("bench-receptionist-1", args.password)
    receptionist_auth = auth_statements(setup, "bench-receptionist-1")
    record("create_case",
           throughput(api_creator, args.clients, args.writes),
           bare(args.bare, url, mode="throughput", clients=args.clients,
                jobs=[[receptionist_auth] + create_case_statements(setup.sqlite, citizens[i % len(citizens)], receptionist_id, i)
                      for i in range(operations)]),
           f"POST /cases, {args.clients} clients at once; ratio = bare ops/s ÷ API ops/s")

    # 6. A transition: the head accepts the cases just created (the API's by HTTP, the bare
    # tool's with its statements).
    chunks = [created[t::args.clients] for t in range(args.clients)]

    def api_acceptor(t):
        client = Api(args.api)
        token = client.login("bench-head", args.password)

        def accept(i):
            case_id, version = chunks[t][i]
            client.call("POST", f"/api/v1/cases/{case_id}/transitions", token,
                        {"action": "accept", "decision_no": f"{case_id}/QĐ-TCD", "accepted_on": today.isoformat()},
                        {"If-Match": f'"{version}"'})
        return accept

    targets = setup.q("SELECT id, version FROM cases WHERE status = 'received' AND code LIKE ? ORDER BY id", [f"KN-%-B{RUN}-%"])
    per_client = min(args.writes, min(len(c) for c in chunks), len(targets) // args.clients)
    record("transition_accept",
           throughput(api_acceptor, args.clients, per_client),
           bare(args.bare, url, mode="throughput", clients=args.clients,
                jobs=[[head_auth] + accept_statements(case_id, version, head_id)
                      for case_id, version in targets[:per_client * args.clients]]),
           f"POST /cases/{{id}}/transitions accept, {args.clients} clients at once; ratio = bare ops/s ÷ API ops/s")


if __name__ == "__main__":
    main()
