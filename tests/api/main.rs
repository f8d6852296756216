//! The HTTP-level test suite: one binary, one fresh database and one real server per test.

mod helpers;

mod auth;
mod cases;
mod citizens;
mod cli;
mod conventions;
mod dialogues;
mod dump;
mod faults;
mod migrations;
mod notifications;
mod reports;
mod rounds;
mod seed_bench;
mod seed_demo;
mod smtp_sink;
mod stories;
mod tokens;
mod users;
mod visits;
mod workflow;
