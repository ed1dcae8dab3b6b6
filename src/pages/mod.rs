pub mod home;
pub mod play;
