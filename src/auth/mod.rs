//! Credentials: password hashing and bearer tokens. Pure computation; storage and policy live in
//! the service layer.

pub mod password;
pub mod tokens;
