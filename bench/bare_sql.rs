//! The bare-SQL side of the benchmark (`bench/run`): runs the statements it is given directly on
//! the database, in the transactions the application would use, and prints the timings as JSON.
//!
//! Statements arrive as text with their values written in, and run through the same drivers the
//! application links (SQLite's library, libpq) with the same connection settings; rows are read
//! by the driver but not turned into values, which is the floor any application pays.
//!
//! Input on stdin, one JSON object:
//! `{"database_url": …, "mode": "latency", "warmup": 2, "runs": 20, "unit": [TX, …]}` or
//! `{"database_url": …, "mode": "throughput", "clients": 4, "jobs": [[TX, …], …]}`, where
//! `TX` is `{"shape": "read" | "write", "statements": ["…", …]}`.

use std::io::Read;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Task {
    database_url: String,
    mode: Mode,
    #[serde(default)]
    warmup: usize,
    #[serde(default)]
    runs: usize,
    #[serde(default)]
    unit: Vec<Transaction>,
    #[serde(default)]
    clients: usize,
    #[serde(default)]
    jobs: Vec<Vec<Transaction>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Latency,
    Throughput,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Shape {
    Read,
    Write,
}

#[derive(Deserialize, Clone)]
struct Transaction {
    shape: Shape,
    statements: Vec<String>,
}

enum Bare {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Bare {
    /// A connection set up as the application sets up its own.
    fn open(url: &str) -> Bare {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let mut conn = SqliteConnection::establish(path).expect("open the SQLite database");
            conn.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                 PRAGMA foreign_keys = ON; PRAGMA mmap_size = 17179869184; PRAGMA cache_size = -16384;",
            )
            .expect("set the PRAGMAs");
            Bare::Sqlite(conn)
        } else {
            let mut conn = PgConnection::establish(url).expect("connect to PostgreSQL");
            conn.batch_execute("SET TIME ZONE 'UTC';").expect("set the time zone");
            Bare::Postgres(conn)
        }
    }

    fn run(&mut self, sql: &str) {
        let done = match self {
            Bare::Sqlite(conn) => conn.batch_execute(sql),
            Bare::Postgres(conn) => conn.batch_execute(sql),
        };
        if let Err(e) = done {
            panic!("{e}: {sql}");
        }
    }

    fn transaction(&mut self, tx: &Transaction) {
        let sqlite = matches!(self, Bare::Sqlite(_));
        let (begin, end) = match (tx.shape, sqlite) {
            (Shape::Read, true) => ("BEGIN", "ROLLBACK"),
            (Shape::Read, false) => ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "ROLLBACK"),
            (Shape::Write, true) => ("BEGIN IMMEDIATE", "COMMIT"),
            (Shape::Write, false) => ("BEGIN", "COMMIT"),
        };
        self.run(begin);
        for statement in &tx.statements {
            self.run(statement);
        }
        self.run(end);
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("read the task");
    let task: Task = serde_json::from_str(&input).expect("a task as JSON");
    let result = match task.mode {
        Mode::Latency => {
            let mut conn = Bare::open(&task.database_url);
            for _ in 0..task.warmup {
                task.unit.iter().for_each(|tx| conn.transaction(tx));
            }
            let mut samples: Vec<f64> = (0..task.runs.max(1))
                .map(|_| {
                    let start = Instant::now();
                    task.unit.iter().for_each(|tx| conn.transaction(tx));
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            samples.sort_by(f64::total_cmp);
            let p95 = samples[((samples.len() as f64 * 0.95) as usize).min(samples.len() - 1)];
            let samples_ms: Vec<f64> = samples.iter().copied().map(round).collect();
            json!({
                "median_ms": round(median(&samples)),
                "p95_ms": round(p95),
                "runs": samples.len(),
                "samples_ms": samples_ms,
            })
        }
        Mode::Throughput => {
            let clients = task.clients.max(1);
            let shares: Vec<Vec<Vec<Transaction>>> =
                (0..clients).map(|c| task.jobs.iter().skip(c).step_by(clients).cloned().collect()).collect();
            let mut connections: Vec<Bare> = (0..clients).map(|_| Bare::open(&task.database_url)).collect();
            let start = Instant::now();
            std::thread::scope(|scope| {
                for (conn, share) in connections.iter_mut().zip(&shares) {
                    scope.spawn(move || share.iter().flatten().for_each(|tx| conn.transaction(tx)));
                }
            });
            let seconds = start.elapsed().as_secs_f64();
            json!({
                "ops_per_s": (task.jobs.len() as f64 / seconds * 10.0).round() / 10.0,
                "operations": task.jobs.len(),
                "clients": clients,
            })
        }
    };
    println!("{result}");
}

fn median(sorted: &[f64]) -> f64 {
    let middle = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) { (sorted[middle - 1] + sorted[middle]) / 2.0 } else { sorted[middle] }
}

fn round(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}
