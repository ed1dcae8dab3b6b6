pub mod action_panel;
pub mod alert_feed;
pub mod chart_panel;
pub mod event_log;
pub mod headline;
pub mod run_complete;
pub mod scenario_card;
pub mod time_controls;
