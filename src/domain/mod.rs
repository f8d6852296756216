//! The domain: the vocabulary, rules and calculations of citizen reception and case handling.
//! Pure Rust: no HTTP, database or mail types in here, so every rule can be tested on its own.

pub mod account;
pub mod validation;
pub mod vocab;
