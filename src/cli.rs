//! The command line: `tiepdan serve | worker | migrate | create-user | calendar | scan-deadlines |
//! report | seed-demo | seed-bench | export | import`.

use clap::{Args, Parser, Subcommand};

use crate::app::{self, Application, BackgroundWorker, FirstAdmin};
use crate::config::Settings;
use crate::domain::vocab::Role;
use crate::persistence::{Database, DatabaseUrl, dump, migrations};
use crate::service::users::CreateUser;

#[derive(Debug, Parser)]
#[command(
    name = "tiepdan",
    version,
    about = "Case system of a provincial Citizen Reception Board (Ban Tiếp công dân tỉnh)"
)]
#[command(after_help = "Configuration comes from the environment and an optional .env file; see docs/operations.md.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API (migrates the database and creates the first administrator if needed)
    /// and, unless --no-worker, the background worker that sends notifications.
    Serve {
        /// Leave background work to a separate `tiepdan worker` process.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run only the background worker (notifications), until SIGTERM or Ctrl-C. Several may run
    /// against PostgreSQL; on SQLite run one, the one inside `serve`.
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an account; the password comes from TIEPDAN_NEW_PASSWORD or is asked for.
    CreateUser(CreateUserArgs),
    /// Import or export the holiday calendar as CSV (`date,kind,name`).
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Print a report for the head (backlog, prolonged cases, the official period tables) as
    /// JSON or CSV; each one is recorded in the audit log as an export.
    Report(ReportArgs),
    /// Scan open cases once and queue the deadline reminders due (the worker does this every
    /// TIEPDAN_DEADLINE_SCAN_SECONDS); a reminder already queued is not queued again.
    ScanDeadlines {
        /// The day to judge the deadlines on (YYYY-MM-DD); today in Vietnam by default.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Fill an empty database with realistic demonstration data (every kind and status, overdue
    /// and prolonged cases, dialogues, group visits) and print a login per role.
    SeedDemo {
        /// Add the demonstration data even though the database already holds cases.
        #[arg(long)]
        force: bool,
    },
    /// Load synthetic cases in large batches, for benchmarks (see bench/).
    SeedBench(SeedBenchArgs),
    /// Write the whole database to FILE as JSON lines, to move it to the other backend or keep
    /// a copy. The file holds everything: denouncers' identities, password hashes and, unless
    /// TIEPDAN_JWT_SECRET is set, the key that signs tokens. Keep it as a backup.
    Export {
        /// The file to write; it must not exist yet. `-` writes to standard output (to pipe it
        /// through encryption).
        file: std::path::PathBuf,
    },
    /// Read a file written by `export` into a new, empty database (migrated first), in one
    /// transaction: nothing of a file that is cut off or damaged is kept.
    Import {
        /// The file written by `tiepdan export`; `-` reads standard input.
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SeedBenchArgs {
    /// How many cases to load.
    #[arg(long)]
    pub cases: u64,
    /// Cases written per transaction.
    #[arg(long, default_value_t = 10_000)]
    pub batch: usize,
    /// The seed of the generator: the same seed and day load the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How many handler accounts the cases are spread over.
    #[arg(long, default_value_t = 40)]
    pub handlers: usize,
    /// Load even though the database already holds cases.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Replace every year found in the file; open cases' due dates are recomputed.
    Import {
        /// CSV with the header `date,kind,name`; `kind` is `holiday` or `working_day`.
        file: std::path::PathBuf,
    },
    /// Print a year's holidays and make-up working days as CSV.
    Export {
        /// The year, e.g. 2026.
        year: i32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    Backlog,
    Prolonged,
    Period,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormatArg {
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report.
    #[arg(value_enum)]
    pub report: ReportKind,
    /// The day the backlog or the flags are evaluated on (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// First day of the period (the on-time period of the backlog; the period report's start).
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period, inclusive.
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
    /// An official period of the period report: a quarter, e.g. 2026-Q1 (15 Dec 2025 to
    /// 14 Mar 2026), or 2026-6M, 2026-9M, 2026-12M (15 Dec 2025 to 14 Jun, 14 Sep, 14 Dec 2026).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub quarter: Option<String>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: ReportFormatArg,
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    /// Login name: 3 to 64 lowercase letters, digits, '.', '_' or '-'.
    #[arg(long)]
    pub username: String,
    /// One of: receptionist, handler, head, auditor, admin.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// The person's full name, as it appears on documents.
    #[arg(long)]
    pub full_name: String,
    /// Where notifications for this user go.
    #[arg(long)]
    pub email: Option<String>,
    /// Make the user change the password at first login.
    #[arg(long)]
    pub must_change_password: bool,
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse().map_err(|e: crate::domain::vocab::UnknownValue| e.to_string())
}

/// Runs a command; the error is printed by `main` and makes the exit status non-zero.
pub fn run(cli: Cli) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    crate::telemetry::init(&settings.log_filter, settings.log_format);
    match cli.command {
        Command::Serve { no_worker } => serve(&settings, !no_worker),
        Command::Worker => worker(&settings),
        Command::Migrate => migrate(&settings),
        Command::CreateUser(args) => create_user(&settings, args),
        Command::Calendar(command) => calendar(&settings, command),
        Command::Report(args) => report(&settings, args),
        Command::ScanDeadlines { as_of } => scan_deadlines(&settings, as_of),
        Command::SeedDemo { force } => seed_demo(&settings, force),
        Command::SeedBench(args) => seed_bench(&settings, args),
        Command::Export { file } => export(&settings, &file),
        Command::Import { file } => import(&settings, &file),
    }
}

fn serve(settings: &Settings, with_worker: bool) -> Result<(), String> {
    let ctx = app::prepare(settings).map_err(|e| e.to_string())?;
    let first_admin = app::ensure_first_admin(&ctx).map_err(|e| e.to_string())?;
    if let Some(admin) = &first_admin {
        print_first_admin(admin, &settings.bind);
    }
    tracing::info!(backend = ctx.db.backend().name(), bind = %settings.bind, "starting");
    actix_web::rt::System::new().block_on(async move {
        let worker = if with_worker {
            Some(BackgroundWorker::start(settings, ctx.clone()).map_err(|e| e.to_string())?)
        } else {
            None
        };
        let application = Application::build(settings, ctx, None).map_err(|e| e.to_string())?;
        tracing::info!(port = application.port(), "listening");
        let served = application.run_until_stopped().await.map_err(|e| e.to_string());
        // The server has stopped (SIGTERM, SIGINT): the worker stops too and gives back its
        // claims (REL-11).
        if let Some(worker) = worker {
            worker.stop().await;
        }
        served
    })?;
    tracing::info!("stopped");
    Ok(())
}

fn worker(settings: &Settings) -> Result<(), String> {
    let ctx = app::prepare(settings).map_err(|e| e.to_string())?;
    tracing::info!(backend = ctx.db.backend().name(), "starting the background worker");
    actix_web::rt::System::new().block_on(async move {
        let worker = BackgroundWorker::start(settings, ctx).map_err(|e| e.to_string())?;
        wait_for_stop_signal().await;
        tracing::info!("stopping");
        worker.stop().await;
        Ok::<(), String>(())
    })?;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM (what orchestrators send) or SIGINT (Ctrl-C).
async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn print_first_admin(admin: &FirstAdmin, bind: &str) {
    // Printed on the console, never logged: it is a credential.
    println!();
    println!("  First administrator account created. This password is shown only once.");
    println!("    username: {}", admin.username);
    println!("    password: {}", admin.password);
    println!("  Sign in and set a new password before anything else:");
    println!(
        "    curl -s -X POST http://{bind}/api/v1/auth/login -H 'Content-Type: application/json' \\\n      -d '{{\"username\":\"{}\",\"password\":\"<the password above>\"}}'",
        admin.username
    );
    println!();
}

fn migrate(settings: &Settings) -> Result<(), String> {
    let db = Database::connect(&settings.database).map_err(|e| e.to_string())?;
    let applied = migrations::run_pending(&db).map_err(|e| e.to_string())?;
    let installed = crate::service::rules::install_builtin(&db, crate::time::now()).map_err(|e| e.to_string())?;
    if applied.is_empty() && installed.is_empty() {
        println!("The database is up to date.");
    }
    for name in &applied {
        println!("applied {name}");
    }
    for id in &installed {
        println!("installed rule set {id}");
    }
    Ok(())
}

fn create_user(settings: &Settings, args: CreateUserArgs) -> Result<(), String> {
    let password = match std::env::var("TIEPDAN_NEW_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let first =
                rpassword::prompt_password("New password: ").map_err(|e| format!("cannot read the password: {e}"))?;
            let second =
                rpassword::prompt_password("Repeat it: ").map_err(|e| format!("cannot read the password: {e}"))?;
            if first != second {
                return Err("the two passwords differ".into());
            }
            first
        }
    };
    let ctx = app::prepare(settings).map_err(|e| e.to_string())?;
    let request = CreateUser {
        username: args.username,
        full_name: args.full_name,
        email: args.email,
        role: args.role,
        password,
        must_change_password: args.must_change_password,
    };
    let user = crate::service::users::create(&ctx, None, &request, crate::time::now()).map_err(|e| match e {
        crate::service::ServiceError::Validation(errors) => format!("invalid input: {errors}"),
        other => other.to_string(),
    })?;
    println!("created user {} (id {}, role {})", user.username, user.id, user.role);
    Ok(())
}

fn calendar(settings: &Settings, command: CalendarCommand) -> Result<(), String> {
    let ctx = app::prepare(settings).map_err(|e| e.to_string())?;
    match command {
        CalendarCommand::Import { file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let entries = crate::domain::calendar::parse_csv(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let changed =
                crate::service::calendar::import(&ctx, &entries, crate::time::now()).map_err(|e| match e {
                    crate::service::ServiceError::Validation(errors) => format!("{}: {errors}", file.display()),
                    other => other.to_string(),
                })?;
            for (year, cases) in changed {
                println!("replaced {year}: {cases} open case(s) had their due dates recomputed");
            }
        }
        CalendarCommand::Export { year } => {
            let entries = crate::service::calendar::year(&ctx, year).map_err(|e| e.to_string())?;
            print!("{}", crate::domain::calendar::to_csv(&entries));
        }
    }
    Ok(())
}

fn scan_deadlines(settings: &Settings, as_of: Option<chrono::NaiveDate>) -> Result<(), String> {
    let ctx = app::prepare(settings).map_err(|e| e.to_string())?;
    let now = crate::time::now();
    let as_of = as_of.unwrap_or_else(|| crate::time::vietnam_date(now));
    let report = crate::jobs::deadlines::scan(&ctx, as_of, now).map_err(|e| e.to_string())?;
    for reminder in &report.queued {
        println!(
            "queued {} for {} ({} clock, due {}): {} message(s)",
            reminder.template, reminder.code, reminder.clock, reminder.due_on, reminder.messages
        );
    }
    println!(
        "as of {as_of}: {} open case(s) due soon or overdue, {} reminder(s) queued",
        report.cases_examined,
        report.queued.len()
    );
    Ok(())
}

fn report(settings: &Settings, args: ReportArgs) -> Result<(), String> {
    use crate::reports::{self, Document, Format};
    let ctx = app::prepare(settings).map_err(|e| e.to_string())?;
    let format = match args.format {
        ReportFormatArg::Json => Format::Json,
        ReportFormatArg::Csv => Format::Csv,
    };
    let as_of = args.as_of.unwrap_or_else(crate::time::vietnam_today);
    let failed = |e: crate::service::ServiceError| match e {
        crate::service::ServiceError::Validation(errors) => format!("invalid options: {errors}"),
        other => other.to_string(),
    };
    fn print<T: serde::Serialize>(document: Document<T>) -> Result<(), String> {
        match document {
            Document::Json(report) => {
                println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?)
            }
            Document::Csv(text) => print!("{text}"),
        }
        Ok(())
    }
    match args.report {
        ReportKind::Backlog => {
            let on_time = reports::on_time_period(as_of, args.from, args.to).map_err(failed)?;
            let query = reports::backlog::BacklogQuery { as_of, on_time };
            print(reports::backlog_report(&ctx, None, query, format).map_err(failed)?)
        }
        ReportKind::Prolonged => print(reports::prolonged_report(&ctx, None, as_of, format).map_err(failed)?),
        ReportKind::Period => {
            let period = reports::report_period(args.from, args.to, args.quarter.as_deref()).map_err(failed)?;
            print(reports::period_report(&ctx, None, period, format).map_err(failed)?)
        }
    }
}

fn seed_demo(settings: &Settings, force: bool) -> Result<(), String> {
    let ctx = app::prepare(settings).map_err(|e| e.to_string())?;
    let seeded = crate::seed::demo::seed(&ctx, force, crate::time::now()).map_err(|e| e.to_string())?;
    // Printed on the console, never logged: it holds the generated passwords.
    print!("{}", seeded.render(&settings.bind));
    Ok(())
}

fn seed_bench(settings: &Settings, args: SeedBenchArgs) -> Result<(), String> {
    use crate::seed::bench::{self, BenchOptions};
    let ctx = app::prepare(settings).map_err(|e| e.to_string())?;
    let existing = crate::seed::case_count(&ctx).map_err(|e| e.to_string())?;
    if existing > 0 && !args.force {
        return Err(format!(
            "the database already holds {existing} cases; seed-bench loads an empty database (use --force to add to them)"
        ));
    }
    let options = BenchOptions {
        cases: args.cases,
        batch: args.batch,
        seed: args.seed,
        handlers: args.handlers,
        password: std::env::var("TIEPDAN_NEW_PASSWORD").ok().filter(|p| !p.is_empty()),
    };
    let logins = bench::ensure_accounts(&ctx, &options).map_err(|e| e.to_string())?;
    let bar = indicatif::ProgressBar::new(args.cases);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} cases, {per_sec}, {eta} left",
        )
        .map_err(|e| e.to_string())?,
    );
    let started = std::time::Instant::now();
    let summary = bench::load(&ctx, &options, &logins, |done| bar.set_position(done)).map_err(|e| e.to_string())?;
    bar.finish();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "loaded {} cases ({} open), {} citizens, {} visits, {} timeline entries: {} rows in {seconds:.1} s ({:.0} cases/s)",
        summary.cases,
        summary.open,
        summary.citizens,
        summary.visits,
        summary.events,
        summary.rows,
        summary.cases as f64 / seconds.max(0.001)
    );
    // Printed on the console, never logged: they are credentials.
    for login in &logins {
        match &login.password {
            Some(password) => println!("{:<12} {:<22} {password}", login.role.as_str(), login.username),
            None => {
                println!("{:<12} {:<22} (existing account, password unchanged)", login.role.as_str(), login.username)
            }
        }
    }
    Ok(())
}

/// `-` for a file: standard output or input, to pipe the export through encryption.
fn is_standard_stream(file: &std::path::Path) -> bool {
    file.as_os_str() == "-"
}

fn export(settings: &Settings, file: &std::path::Path) -> Result<(), String> {
    use std::io::BufWriter;
    if !is_standard_stream(file) && file.exists() {
        return Err(format!("{} already exists; export writes a new file", file.display()));
    }
    // Connecting would create a database at a mistyped path, and export an empty one.
    if let DatabaseUrl::Sqlite(path) = &settings.database.url
        && !path.exists()
    {
        return Err(format!("there is no database at {}", path.display()));
    }
    let db = Database::connect(&settings.database).map_err(|e| e.to_string())?;
    if is_standard_stream(file) {
        // Recorded before the first row leaves: a reader that stops early (a pipe closed, an
        // encryption that fails) has still received identities.
        let now = crate::time::now();
        dump::record_export(&db, "standard output", None, now).map_err(|e| format!("export failed: {e}"))?;
        let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
        let summary = dump::export(&db, &mut out, now.naive_utc(), |table, rows| eprintln!("{table}: {rows} row(s)"))
            .map_err(|e| format!("export failed: {e}"))?;
        eprintln!("exported {} rows of {} tables to standard output", summary.rows(), summary.tables.len());
        return Ok(());
    }
    // Written beside the file and renamed once complete and recorded, so that FILE is never a
    // part of one.
    let mut partial = file.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let opened = options.open(&partial).map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, opened);
    let now = crate::time::now();
    let exported = dump::export(&db, &mut out, now.naive_utc(), |table, rows| {
        eprintln!("{table}: {rows} row(s)");
    })
    .and_then(|summary| {
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        dump::record_export(&db, &file.display().to_string(), Some(&summary), now)?;
        Ok(summary)
    });
    match exported {
        Ok(summary) => {
            // A link, unlike a rename, never replaces a file that appeared meanwhile.
            let placed = match std::fs::hard_link(&partial, file) {
                Ok(()) => std::fs::remove_file(&partial),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
                // A file system without links.
                Err(_) => std::fs::rename(&partial, file),
            };
            placed.map_err(|e| {
                format!("cannot put the export at {}: {e}; {} holds it, in clear", file.display(), partial.display())
            })?;
            // The rename itself is durable only once the directory is synced.
            #[cfg(unix)]
            {
                let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
                std::fs::File::open(dir)
                    .and_then(|d| d.sync_all())
                    .map_err(|e| format!("{} is written, but syncing {} failed: {e}", file.display(), dir.display()))?;
            }
            println!("exported {} rows of {} tables to {}", summary.rows(), summary.tables.len(), file.display());
            Ok(())
        }
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            Err(format!("export failed: {err}"))
        }
    }
}

fn import(settings: &Settings, file: &std::path::Path) -> Result<(), String> {
    let name = if is_standard_stream(file) { "standard input".to_owned() } else { file.display().to_string() };
    let failed = |e: dump::DumpError| format!("{name}: {e}");
    let input: Box<dyn std::io::Read> = if is_standard_stream(file) {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?)
    };
    let export = dump::ExportFile::open(std::io::BufReader::with_capacity(1 << 20, input)).map_err(failed)?;
    // A file of another schema is refused before the database is touched, migrations included.
    dump::check_schema(export.schema(), settings.database.url.backend()).map_err(failed)?;
    let db = Database::connect(&settings.database).map_err(|e| e.to_string())?;
    dump::refuse_if_in_use(&db).map_err(failed)?;
    migrations::run_pending(&db).map_err(|e| e.to_string())?;
    let summary = dump::import(&db, export, |table, rows| eprintln!("{table}: {rows} row(s)")).map_err(failed)?;
    println!("imported {} rows of {} tables from {name}", summary.rows(), summary.tables.len());
    Ok(())
}
