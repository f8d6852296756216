//! The command line: `tiepdan serve | worker | migrate | create-user | calendar`.

use clap::{Args, Parser, Subcommand};

use crate::app::{self, Application, BackgroundWorker, FirstAdmin};
use crate::config::Settings;
use crate::domain::vocab::Role;
use crate::persistence::{Database, migrations};
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
    if applied.is_empty() {
        println!("The database is up to date.");
    } else {
        for name in &applied {
            println!("applied {name}");
        }
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
