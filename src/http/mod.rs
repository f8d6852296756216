//! HTTP: the route table, the shared state and the thin handlers that turn requests into use
//! cases and results into JSON. Handlers never touch the database directly.

pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod citizens;
pub mod dialogues;
pub mod error;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod json_time;
pub mod meta;
pub mod middleware;
pub mod notifications;
pub mod openapi;
pub mod pagination;
pub mod reports;
pub mod users;
pub mod visits;

use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::middleware::{DefaultHeaders, ErrorHandlers};
use actix_web::web;
use tokio::sync::Semaphore;

use crate::metrics::Metrics;
use crate::service::{Context, ServiceError};
use error::ApiError;

/// What every handler can reach.
#[derive(Debug)]
pub struct AppState {
    pub ctx: Context,
    /// Bounds concurrent Argon2 work (19 MiB and tens of milliseconds each), so that a burst of
    /// logins cannot starve the rest of the API.
    pub hashing: Arc<Semaphore>,
    pub metrics: Metrics,
    pub max_body_bytes: usize,
}

/// How long a request waits for a hashing slot before the server answers 503.
const HASHING_WAIT: Duration = Duration::from_secs(10);

/// Runs blocking work (database, hashing) off the async threads, keeping the request's span.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ApiError> {
    let span = tracing::Span::current();
    web::block(move || span.in_scope(work)).await.map_err(ApiError::internal)?.map_err(ApiError::from)
}

/// Like `blocking`, holding one of the bounded hashing slots.
pub async fn hashing<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = tokio::time::timeout(HASHING_WAIT, state.hashing.clone().acquire_owned())
        .await
        .map_err(|_| {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "Too many sign-ins at once; try again shortly.")
                .retry_after(2)
        })?
        .map_err(ApiError::internal)?;
    let result = blocking(work).await;
    drop(permit);
    result
}

/// `value` as a 200 JSON response, written into a buffer of `capacity` bytes to begin with.
pub fn json_with_capacity(value: &impl serde::Serialize, capacity: usize) -> Result<HttpResponse, ApiError> {
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut body, value).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().content_type(ContentType::json()).body(body))
}

/// The whole route table.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        .service(web::resource("/metrics").route(web::get().to(health::metrics)))
        .service(
            web::scope("/api/v1")
                .wrap(error_pages())
                .wrap(DefaultHeaders::new().add(("Cache-Control", "no-store")))
                .service(web::resource("/meta").route(web::get().to(meta::get_meta)))
                .service(web::resource("/openapi.json").route(web::get().to(openapi::get_openapi)))
                .service(web::resource("/auth/login").route(web::post().to(auth::login)))
                .service(web::resource("/auth/refresh").route(web::post().to(auth::refresh)))
                .service(web::resource("/auth/logout").route(web::post().to(auth::logout)))
                .service(web::resource("/me").route(web::get().to(auth::get_me)))
                .service(web::resource("/me/password").route(web::post().to(auth::change_password)))
                .service(
                    web::resource("/users")
                        .route(web::get().to(users::list_users))
                        .route(web::post().to(users::create_user)),
                )
                .service(
                    web::resource("/users/{id}")
                        .route(web::get().to(users::get_user))
                        .route(web::patch().to(users::update_user)),
                )
                .service(web::resource("/users/{id}/password").route(web::post().to(users::set_user_password)))
                .service(
                    web::resource("/citizens")
                        .route(web::get().to(citizens::search_citizens))
                        .route(web::post().to(citizens::create_citizen)),
                )
                .service(
                    web::resource("/citizens/{id}")
                        .route(web::get().to(citizens::get_citizen))
                        .route(web::patch().to(citizens::update_citizen)),
                )
                .service(web::resource("/citizens/{id}/cases").route(web::get().to(cases::cases_of_citizen)))
                .service(
                    web::resource("/cases")
                        .route(web::get().to(cases::list_cases))
                        .route(web::post().to(cases::create_case)),
                )
                .service(
                    web::resource("/cases/{id}")
                        .route(web::get().to(cases::get_case))
                        .route(web::patch().to(cases::patch_case)),
                )
                .service(web::resource("/cases/{id}/assignment").route(web::post().to(cases::assign_case)))
                .service(web::resource("/cases/{id}/notes").route(web::post().to(cases::add_note)))
                .service(web::resource("/cases/{id}/transitions").route(web::post().to(cases::transition_case)))
                .service(web::resource("/cases/{id}/split").route(web::post().to(cases::split_case)))
                .service(web::resource("/cases/{id}/follow-ups").route(web::post().to(cases::create_follow_up)))
                .service(web::resource("/cases/{id}/deadlines/explain").route(web::get().to(cases::explain_deadlines)))
                .service(web::resource("/cases/{id}/timeline").route(web::get().to(cases::get_timeline)))
                .service(
                    web::resource("/cases/{id}/intakes")
                        .route(web::get().to(cases::list_intakes))
                        .route(web::post().to(cases::add_intake)),
                )
                .service(web::resource("/cases/{id}/dialogues").route(web::post().to(dialogues::schedule_dialogue)))
                .service(web::resource("/dialogues").route(web::get().to(dialogues::list_dialogues)))
                .service(
                    web::resource("/dialogues/{id}")
                        .route(web::get().to(dialogues::get_dialogue))
                        .route(web::patch().to(dialogues::patch_dialogue)),
                )
                .service(
                    web::resource("/visits")
                        .route(web::get().to(visits::list_visits))
                        .route(web::post().to(visits::create_visit)),
                )
                .service(web::resource("/visits/{id}").route(web::get().to(visits::get_visit)))
                .service(web::resource("/audit").route(web::get().to(audit::list_audit)))
                .service(web::resource("/notifications").route(web::get().to(notifications::list_notifications)))
                .service(web::resource("/reports/backlog").route(web::get().to(reports::backlog)))
                .service(web::resource("/reports/prolonged").route(web::get().to(reports::prolonged)))
                .service(web::resource("/reports/period").route(web::get().to(reports::period)))
                .service(web::resource("/calendar/add").route(web::get().to(calendar::add)))
                .service(
                    web::resource("/calendar/{year}")
                        .route(web::get().to(calendar::get_year))
                        .route(web::put().to(calendar::replace_year)),
                ),
        );
}

/// Middleware and extractor settings shared by the server and the tests.
pub fn app_config(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into()));
}

/// Headers every response carries (OWASP REST Security: nosniff, no framing, no referrer, and
/// HTTPS only for a year once a browser has reached the service through its TLS proxy; browsers
/// ignore the last over plain HTTP).
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"))
        .add(("Referrer-Policy", "no-referrer"))
}

pub fn error_pages<B: actix_web::body::MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new()
        .handler(StatusCode::NOT_FOUND, middleware::problem_for_bare_error)
        .handler(StatusCode::METHOD_NOT_ALLOWED, middleware::problem_for_bare_error)
}
