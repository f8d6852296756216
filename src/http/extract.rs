//! Request extractors: JSON bodies and query strings with field-level errors, and the signed-in
//! user.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::{StatusCode, header};
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::{AppState, blocking};
use crate::domain::validation::{FieldError, ValidationErrors};
use crate::domain::vocab::Role;
use crate::service::idempotency::IdempotencyKey;
use crate::service::{Actor, accounts};

type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// A JSON request body. Refuses another content type (415), a body over the limit (413),
/// malformed JSON (400), and unknown, missing or mistyped fields (422, naming the field).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalFuture<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = json_bytes(req, payload);
        Box::pin(async move { parse_json(&bytes.await?).map(JsonBody) })
    }
}

/// A JSON body with the request's `Idempotency-Key`, if any, and the fingerprint of the body
/// it came with.
#[derive(Debug)]
pub struct IdempotentJson<T>(pub T, pub Option<IdempotencyKey>);

impl<T: DeserializeOwned + 'static> FromRequest for IdempotentJson<T> {
    type Error = ApiError;
    type Future = LocalFuture<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = json_bytes(req, payload);
        let key = super::idempotency::key_of(req);
        let (method, path) = (req.method().to_string(), req.path().to_owned());
        Box::pin(async move {
            let key = key?;
            let bytes = bytes.await?;
            let value = parse_json(&bytes)?;
            let key = key.map(|key| IdempotencyKey {
                key,
                fingerprint: super::idempotency::fingerprint(&method, &path, &bytes),
            });
            Ok(IdempotentJson(value, key))
        })
    }
}

/// The body of a JSON request: 415 for another content type, 413 over the limit.
fn json_bytes(req: &HttpRequest, payload: &mut Payload) -> LocalFuture<Result<Bytes, ApiError>> {
    let is_json = req
        .mime_type()
        .ok()
        .flatten()
        .is_some_and(|m| m.essence_str() == "application/json" || m.suffix().is_some_and(|s| s == "json"));
    let limit = req.app_data::<web::Data<AppState>>().map(|s| s.max_body_bytes).unwrap_or(1_048_576);
    let declared_length =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    let body = Bytes::from_request(req, payload);
    Box::pin(async move {
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "The request body must be JSON, sent with `Content-Type: application/json`.",
            ));
        }
        if declared_length.is_some_and(|n| n > limit) {
            return Err(too_large(limit));
        }
        let bytes = body.await.map_err(|e| match e.as_error::<PayloadError>() {
            Some(PayloadError::Overflow) => too_large(limit),
            _ => ApiError::new(StatusCode::BAD_REQUEST, "malformed_body", "The request body could not be read."),
        })?;
        if bytes.len() > limit {
            return Err(too_large(limit));
        }
        Ok(bytes)
    })
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("The request body is larger than {limit} bytes."),
    )
}

/// Parses JSON, turning serde's messages into field errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde reads a struct from an array too, which would bypass field names and the unknown
    // field check: every request body of this API is an object.
    if bytes.trim_ascii_start().first() == Some(&b'[') {
        return Err(ApiError::field("(body)", "must be a JSON object"));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if matches!(inner.classify(), serde_json::error::Category::Data) {
            ApiError::validation(field_error(&path, &inner.to_string()).into())
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("The request body is not valid JSON: {inner}."),
            )
        }
    })?;
    deserializer.end().map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("The request body is not valid JSON: {e}."))
    })?;
    Ok(value)
}

/// A field error from a serde message: `unknown field`/`missing field` name the field inside
/// the path's object; other messages belong to the path itself.
fn field_error(path: &str, message: &str) -> FieldError {
    let message = message.split(" at line ").next().unwrap_or(message).to_owned();
    let named = |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split('`').next()).map(str::to_owned);
    // serde_path_to_error already ends the path with an unknown field's name, not a missing one's.
    let join = |name: String| {
        if path == "." || path.is_empty() {
            name
        } else if path == name || path.ends_with(&format!(".{name}")) {
            path.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = named("unknown field `") {
        return FieldError::new(join(name), "is not a known field");
    }
    if let Some(name) = named("missing field `") {
        return FieldError::new(join(name), "is required");
    }
    let field = if path == "." || path.is_empty() { "(body)".to_owned() } else { path.to_owned() };
    FieldError::new(field, message)
}

/// For optional members that may be cleared: tells an absent member (`None`, with
/// `#[serde(default)]`) from an explicit `null` (`Some(None)`).
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// `#[serde(default, deserialize_with = "super::extract::filter_date")]` on an
/// `Option<NaiveDate>` query parameter: refuses a date outside [`crate::time::FILTER_YEARS`],
/// which chrono reads but the databases cannot compare with.
pub fn filter_date<'de, D>(deserializer: D) -> Result<Option<NaiveDate>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let date: Option<NaiveDate> = serde::Deserialize::deserialize(deserializer)?;
    match date.and_then(crate::time::outside_filter_years) {
        Some(problem) => Err(serde::de::Error::custom(problem)),
        None => Ok(date),
    }
}

/// Query-string parameters, with the same field errors as bodies (repeated keys fill a `Vec`).
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(QueryParams))
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    // No parameter has a use for control characters, and PostgreSQL refuses NUL in text. Those
    // around a value (a search pasted with its line break) are whitespace like any other. The
    // HTTP parser refuses raw ASCII control bytes, so only a query with `%` or non-ASCII bytes
    // can hold one, and any other is not decoded twice.
    if (query.contains('%') || !query.is_ascii())
        && let Ok(pairs) = serde_html_form::from_str::<Vec<(String, String)>>(query)
        && let Some((name, _)) = pairs.iter().find(|(_, value)| value.trim().chars().any(char::is_control))
    {
        let error = FieldError::new(name.as_str(), "must not contain control characters");
        return Err(ApiError::validation(ValidationErrors::from(error)));
    }
    let deserializer = serde_html_form::Deserializer::from_bytes(query.as_bytes());
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let mut error = field_error(&path, &message);
        // A repeated parameter is named once, without the index of the bad value.
        if let Some(bracket) = error.field.find('[') {
            error.field.truncate(bracket);
        }
        if error.field == "(body)" {
            error.field = "(query)".into();
        }
        ApiError::validation(ValidationErrors::from(error))
    })
}

/// The signed-in user, who has no pending forced password change.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Actor);

/// The signed-in user, even one who must still change the password (for `/me`,
/// `/me/password` and logout).
#[derive(Debug, Clone)]
pub struct SessionUser(pub Actor);

impl CurrentUser {
    /// Refuses the request unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<&Actor, ApiError> {
        if roles.contains(&self.0.role) { Ok(&self.0) } else { Err(ApiError::forbidden("Your role may not do this.")) }
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned()).filter(|t| !t.is_empty())
}

async fn authenticate(req: HttpRequest) -> Result<Actor, ApiError> {
    if let Some(actor) = req.extensions().get::<Actor>() {
        return Ok(actor.clone());
    }
    let token = bearer_token(&req).ok_or_else(|| ApiError::unauthorized("A bearer token is required."))?;
    let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal("no app state"))?;
    let now = crate::time::now();
    let invalid = || ApiError::unauthorized("The token is invalid, expired or revoked.");
    let claims = accounts::access_claims(&state.ctx, &token).ok_or_else(invalid)?;
    let found = match accounts::authenticate_at_once(&state.ctx, &claims, now) {
        Some(found) => found?,
        None => blocking(move || accounts::authenticate(&state.ctx, &claims, now)).await?,
    };
    let mut actor = found.ok_or_else(invalid)?;
    actor.ip = req.peer_addr().map(|a| a.ip());
    req.extensions_mut().insert(actor.clone());
    Ok(actor)
}

impl FromRequest for SessionUser {
    type Error = ApiError;
    type Future = LocalFuture<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map(SessionUser) })
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalFuture<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let actor = authenticate(req).await?;
            if actor.must_change_password {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "password_change_required",
                    "Change your password first (POST /api/v1/me/password).",
                ));
            }
            Ok(CurrentUser(actor))
        })
    }
}

/// The version in `If-Match` (RFC 9110 §13.1.1): 428 when absent, naming what to send; a value
/// that is no version (a weak tag, garbage) can never match and so answers 412 later.
pub fn if_match(req: &HttpRequest, what: &str) -> Result<i32, ApiError> {
    optional_if_match(req).ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            format!("Send the {what}'s version in `If-Match` (its ETag)."),
        )
    })
}

/// The version in `If-Match`, if the header is sent; a value that is no version reads as -1,
/// which no object has, so that the request is refused as stale.
pub fn optional_if_match(req: &HttpRequest) -> Option<i32> {
    let value = req.headers().get(header::IF_MATCH)?;
    Some(value.to_str().ok().and_then(|v| v.trim().trim_matches('"').parse().ok()).unwrap_or(-1))
}

/// Adds `ETag: "<version>"` (a strong tag) to a response.
pub fn with_etag(mut response: actix_web::HttpResponse, version: i32) -> actix_web::HttpResponse {
    if let Ok(value) = header::HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The address of the connected peer (a proxy's forwarding headers are not trusted).
pub fn peer_ip(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        role: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        count: Option<u32>,
        people: Vec<Inner>,
    }

    fn problem(json: &str) -> ApiError {
        parse_json::<Body>(json.as_bytes()).unwrap_err()
    }

    fn first_field(err: &ApiError) -> String {
        err.to_problem().errors[0].field.clone()
    }

    #[test]
    fn malformed_json_is_400() {
        for bad in ["{", "not json", "{\"title\": }", "{\"title\":\"x\",\"people\":[]} trailing"] {
            let err = problem(bad);
            assert_eq!(err.status(), StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(err.code(), "malformed_json");
        }
    }

    #[test]
    fn field_problems_are_422_and_name_the_field() {
        let err = problem(r#"{"title":"x","people":[],"status":"closed"}"#);
        assert_eq!((err.status(), err.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
        assert_eq!(first_field(&err), "status");
        assert_eq!(first_field(&problem(r#"{"people":[]}"#)), "title");
        assert_eq!(first_field(&problem(r#"{"title":"x","count":-1,"people":[]}"#)), "count");
        assert_eq!(first_field(&problem(r#"{"title":"x","people":[{"role":"a"},{"rolle":"b"}]}"#)), "people[1].rolle");
        assert_eq!(first_field(&problem(r#"{"title":"x","people":[{}]}"#)), "people[0].role");
        assert_eq!(first_field(&problem(r#""text""#)), "(body)");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Query {
        limit: Option<u32>,
        #[serde(default)]
        status: Vec<String>,
    }

    #[test]
    fn queries_accept_repeated_keys_and_name_bad_fields() {
        let q: Query = parse_query("limit=5&status=received&status=accepted").unwrap();
        assert_eq!(q.limit, Some(5));
        assert_eq!(q.status, ["received", "accepted"]);
        let err = parse_query::<Query>("limit=many").unwrap_err();
        assert_eq!(first_field(&err), "limit");
        let err = parse_query::<Query>("limt=5").unwrap_err();
        assert_eq!(first_field(&err), "limt");
    }
}
