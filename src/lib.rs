//! tiepdan: the case system of a Vietnamese provincial Citizen Reception Board.
//!
//! Layers, from the inside out: `domain` (pure rules), `persistence` (the database), `service`
//! (use cases, one transaction each), `http` (thin handlers). `auth` holds password hashing and
//! tokens; `app` assembles the server; `cli` is the command line. `notifications`, `jobs` and
//! `reports` are where the outbox, background work and the head's reports belong.

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod notifications;
pub mod persistence;
pub mod reports;
pub mod seed;
pub mod service;
pub mod telemetry;
pub mod time;
