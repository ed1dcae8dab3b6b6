pub mod use_keyboard_shortcuts;
pub mod use_record_progress;
pub mod use_set_aside_unreadable;
pub mod use_share_intake;
pub mod use_sim_clock;
