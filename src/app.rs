//! Assembling the application: database, migrations, first administrator, token key, the
//! HTTP server bound to its address, and the background worker.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use tokio::sync::Semaphore;

use crate::auth::password::PasswordHasher;
use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::http::{self, AppState};
use crate::jobs::outbox::{OutboxWorker, Shutdown};
use crate::metrics::Metrics;
use crate::persistence::{Database, migrations};
use crate::service::{self, Context};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] crate::persistence::DbError),
    #[error("{0}")]
    Service(#[from] crate::service::ServiceError),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: String, source: std::io::Error },
    #[error("{0}")]
    Other(String),
}

/// The first administrator's one-time credentials, when `prepare` created them.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    pub username: String,
    pub password: String,
}

/// Opens the database, applies migrations, and builds the shared context.
pub fn prepare(settings: &Settings) -> Result<Context, StartError> {
    let db = Database::connect(&settings.database)?;
    let applied = migrations::run_pending(&db)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied migrations");
    }
    let installed = service::rules::install_builtin(&db, crate::time::now())?;
    if !installed.is_empty() {
        tracing::info!(rule_sets = ?installed, "installed rule sets");
    }
    let rules = service::rules::load(&db)?;
    let secret = service::load_or_create_token_secret(&db, settings.jwt_secret.as_ref().map(|s| s.expose()))?;
    let tokens = TokenKeys::new(&secret).map_err(|e| StartError::Other(format!("TIEPDAN_JWT_SECRET: {e}")))?;
    let hasher = PasswordHasher::new().map_err(|e| StartError::Other(e.to_string()))?;
    let ctx = Context { rules: std::sync::Arc::new(rules), ..Context::new(db, hasher, tokens) };
    let seeded = service::calendar::seed_if_empty(&ctx)?;
    if seeded > 0 {
        tracing::info!(days = seeded, "seeded the default holiday calendar");
    }
    service::calendar::load(&ctx)?;
    if let Some(recounted) = service::clocks::keep_current(&ctx, crate::time::now())? {
        tracing::info!(
            open_cases = recounted.open,
            decided_cases = recounted.decided,
            "counted the kept due dates under the rule sets in force"
        );
    }
    Ok(ctx)
}

/// On an empty database, creates the first administrator (what `serve` does at start).
pub fn ensure_first_admin(ctx: &Context) -> Result<Option<FirstAdmin>, StartError> {
    Ok(service::users::ensure_first_admin(ctx, crate::time::now())?
        .map(|(username, password)| FirstAdmin { username, password }))
}

/// A server bound to its listener, ready to run.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds the listener (port 0 picks a free one) and builds the server.
    pub fn build(settings: &Settings, ctx: Context, workers: Option<usize>) -> Result<Self, StartError> {
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|source| StartError::Bind { address: settings.bind.clone(), source })?;
        let port = listener.local_addr().map_err(|e| StartError::Other(e.to_string()))?.port();
        let metrics = Metrics::new().map_err(|e| StartError::Other(e.to_string()))?;
        let hashing_slots = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(1);
        let state = web::Data::new(AppState {
            ctx,
            hashing: Arc::new(Semaphore::new(hashing_slots)),
            metrics,
            max_body_bytes: settings.max_body_bytes,
        });
        let max_body_bytes = settings.max_body_bytes;
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(max_body_bytes))
                .configure(http::app_config)
                .configure(http::configure)
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(http::error::ApiError::not_found())
                }))
                .wrap(http::error_pages())
                .wrap(http::security_headers())
                .wrap(from_fn(http::middleware::observe))
        })
        .shutdown_timeout(20)
        .client_request_timeout(Duration::from_secs(30));
        if let Some(n) = workers {
            server = server.workers(n);
        }
        let server = server
            .listen(listener)
            .map_err(|source| StartError::Bind { address: settings.bind.clone(), source })?
            .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGTERM (graceful: in-flight requests get up to 20 seconds to finish),
    /// SIGINT or SIGQUIT (immediate), or `handle().stop()`.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The background worker running on the current async runtime; `stop` ends it.
pub struct BackgroundWorker {
    shutdown: Shutdown,
    task: tokio::task::JoinHandle<()>,
    periodic: tokio::task::JoinHandle<()>,
}

impl BackgroundWorker {
    /// Starts the outbox sender and the periodic jobs (deadline scan, weekly digest) on the
    /// current runtime (inside `serve`, `tiepdan worker`, or a test's server thread).
    pub fn start(settings: &Settings, ctx: Context) -> Result<Self, StartError> {
        let worker = OutboxWorker::new(ctx.clone(), settings).map_err(StartError::Other)?;
        let shutdown = Shutdown::new();
        let task = actix_web::rt::spawn(worker.run(shutdown.clone()));
        let periodic = actix_web::rt::spawn(crate::jobs::schedule::run(
            ctx,
            settings.outbox.deadline_scan_interval,
            shutdown.listener(),
        ));
        Ok(BackgroundWorker { shutdown, task, periodic })
    }

    /// Stops claiming, lets the message in hand finish, gives back the remaining claims (REL-11).
    pub async fn stop(self) {
        self.shutdown.signal();
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the background worker ended abnormally");
        }
        if let Err(e) = self.periodic.await {
            tracing::error!(error = %e, "the periodic jobs ended abnormally");
        }
    }
}
