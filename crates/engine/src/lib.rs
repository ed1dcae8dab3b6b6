//! Ops Dojo's simulation engine: a deterministic model of a service under load, its SLOs
//! and error budget, and the actions SRE and DevOps players take on it.
//!
//! Pure Rust with no web dependencies: the same code runs in the browser (wasm), in the
//! CLI and in tests, and a scenario + seed + action log always gives the same run hash.

pub mod action;
pub mod action_items;
pub mod action_log;
pub mod alert_lab;
pub mod alert_policy;
pub mod alerts;
pub mod base64url;
pub mod bots;
pub mod catalog;
pub mod clock;
pub mod debrief;
pub mod delivery;
pub mod error;
pub mod faults;
pub mod freeze_request;
pub mod guidance;
pub mod incident;
pub mod latency;
pub mod math;
pub mod objectives;
pub mod openslo_import;
pub mod order;
pub mod outcomes;
pub mod par;
pub mod percentiles;
pub mod play_link;
pub mod queueing;
pub mod report;
pub mod rng;
pub mod run_hash;
pub mod scenario;
pub mod scorecard;
pub mod service;
pub mod session;
pub mod share;
pub mod sim;
pub mod slo;
pub mod slo_export;
pub mod team;
pub mod traffic;
pub mod triage;
pub mod what_if;

pub use action::{Action, ActionError, Actor, Policy, StampedAction};
pub use clock::{ClockTime, Tick};
pub use delivery::Strategy;
pub use report::Summary;
pub use scenario::{Role, Scenario, ScenarioError};
pub use session::Simulation;
pub use sim::{Event, EventKind, Freeze, SloStatus, TickRecord, World};
pub use team::Investment;
