//! The domain: the vocabulary, rules and calculations of citizen reception and case handling.
//! Pure Rust: no HTTP, database or mail types in here, so every rule can be tested on its own.

pub mod access;
pub mod account;
pub mod calendar;
pub mod case;
pub mod citizen;
pub mod deadline;
pub mod dialogue;
pub mod rounds;
pub mod text;
pub mod validation;
pub mod visit;
pub mod vocab;
pub mod workflow;
