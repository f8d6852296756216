//! Bearer tokens (RFC 8725): HS256 only, with issuer, audience, expiry, not-before, subject,
//! session id and a token type. Access and refresh tokens differ in audience and type, so neither
//! is ever accepted in place of the other.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "tiepdan";
pub const ACCESS_AUDIENCE: &str = "tiepdan-api";
pub const REFRESH_AUDIENCE: &str = "tiepdan-refresh";
pub const ACCESS_TYPE: &str = "access";
pub const REFRESH_TYPE: &str = "refresh";
/// Access tokens live 15 minutes; revocation takes effect sooner through the session check.
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// A session (and its refresh tokens) lasts one long working day at most.
pub const SESSION_TTL: Duration = Duration::hours(12);
/// Tolerated clock skew between instances.
const LEEWAY_SECONDS: u64 = 5;
/// HMAC keys shorter than this are refused (RFC 8725 §3.5).
pub const MIN_SECRET_BYTES: usize = 32;

/// The claims of both token types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub sid: String,
    pub typ: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    /// The refresh generation; only in refresh tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#gen: Option<i32>,
}

/// What a valid access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub user_id: i64,
    pub session_id: String,
}

/// What a valid refresh token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshClaims {
    pub user_id: i64,
    pub session_id: String,
    pub generation: i32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token is invalid: {0}")]
    Invalid(String),
    #[error("the secret must be at least {MIN_SECRET_BYTES} bytes")]
    WeakSecret,
}

/// The signing key and the two validation rules.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    access: Validation,
    refresh: Validation,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys([redacted])")
    }
}

fn validation(audience: &str) -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.algorithms = vec![Algorithm::HS256];
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.leeway = LEEWAY_SECONDS;
    validation
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Result<Self, TokenError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(TokenError::WeakSecret);
        }
        // The backend is chosen by feature; installing it explicitly keeps that choice robust.
        let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
        let encoding = EncodingKey::from_secret(secret).map_err(|e| TokenError::Invalid(e.to_string()))?;
        let decoding = DecodingKey::from_secret(secret).map_err(|e| TokenError::Invalid(e.to_string()))?;
        Ok(TokenKeys { encoding, decoding, access: validation(ACCESS_AUDIENCE), refresh: validation(REFRESH_AUDIENCE) })
    }

    fn sign(&self, claims: &Claims) -> String {
        let header = Header { typ: Some("JWT".into()), ..Header::new(Algorithm::HS256) };
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap_or_else(|e| {
            // Encoding a fixed claims struct with an HMAC key cannot fail; keep the process alive anyway.
            tracing::error!(error = %e, "token signing failed");
            String::new()
        })
    }

    /// A 15-minute access token for a session.
    pub fn issue_access(&self, user_id: i64, session_id: &str, now: DateTime<Utc>) -> String {
        self.sign(&Claims {
            iss: ISSUER.into(),
            aud: ACCESS_AUDIENCE.into(),
            sub: user_id.to_string(),
            sid: session_id.into(),
            typ: ACCESS_TYPE.into(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
            r#gen: None,
        })
    }

    /// A refresh token for one generation of a session, valid until the session expires.
    pub fn issue_refresh(
        &self,
        user_id: i64,
        session_id: &str,
        generation: i32,
        now: DateTime<Utc>,
        session_expires_at: DateTime<Utc>,
    ) -> String {
        self.sign(&Claims {
            iss: ISSUER.into(),
            aud: REFRESH_AUDIENCE.into(),
            sub: user_id.to_string(),
            sid: session_id.into(),
            typ: REFRESH_TYPE.into(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: session_expires_at.timestamp(),
            r#gen: Some(generation),
        })
    }

    fn decode(&self, token: &str, validation: &Validation, expected_type: &str) -> Result<Claims, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, validation)
            .map_err(|e| TokenError::Invalid(e.kind_name()))?;
        if data.claims.typ != expected_type {
            return Err(TokenError::Invalid(format!("not an {expected_type} token")));
        }
        Ok(data.claims)
    }

    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let claims = self.decode(token, &self.access, ACCESS_TYPE)?;
        let user_id = claims.sub.parse().map_err(|_| TokenError::Invalid("bad subject".into()))?;
        Ok(AccessClaims { user_id, session_id: claims.sid })
    }

    pub fn verify_refresh(&self, token: &str) -> Result<RefreshClaims, TokenError> {
        let claims = self.decode(token, &self.refresh, REFRESH_TYPE)?;
        let user_id = claims.sub.parse().map_err(|_| TokenError::Invalid("bad subject".into()))?;
        let generation = claims.r#gen.ok_or_else(|| TokenError::Invalid("no refresh generation".into()))?;
        Ok(RefreshClaims { user_id, session_id: claims.sid, generation })
    }
}

/// A short name of a decoding failure, for logs (never the token itself).
trait KindName {
    fn kind_name(&self) -> String;
}

impl KindName for jsonwebtoken::errors::Error {
    fn kind_name(&self) -> String {
        format!("{:?}", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn keys() -> TokenKeys {
        TokenKeys::new(SECRET).unwrap()
    }

    #[test]
    fn access_tokens_round_trip() {
        let now = Utc::now();
        let token = keys().issue_access(7, "s1", now);
        assert_eq!(keys().verify_access(&token).unwrap(), AccessClaims { user_id: 7, session_id: "s1".into() });
    }

    #[test]
    fn refresh_and_access_tokens_are_not_interchangeable() {
        let now = Utc::now();
        let refresh = keys().issue_refresh(7, "s1", 3, now, now + SESSION_TTL);
        assert_eq!(keys().verify_refresh(&refresh).unwrap().generation, 3);
        assert!(keys().verify_access(&refresh).is_err());
        let access = keys().issue_access(7, "s1", now);
        assert!(keys().verify_refresh(&access).is_err());
    }

    #[test]
    fn short_secrets_are_refused() {
        assert_eq!(TokenKeys::new(b"short").unwrap_err(), TokenError::WeakSecret);
    }

    #[test]
    fn expired_and_future_tokens_are_refused() {
        let long_ago = Utc::now() - Duration::hours(1);
        assert!(keys().verify_access(&keys().issue_access(7, "s1", long_ago)).is_err());
        let later = Utc::now() + Duration::minutes(5);
        assert!(keys().verify_access(&keys().issue_access(7, "s1", later)).is_err());
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let other = TokenKeys::new(b"another-secret-another-secret-xx").unwrap();
        let token = other.issue_access(7, "s1", Utc::now());
        assert!(keys().verify_access(&token).is_err());
    }
}
