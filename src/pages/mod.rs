pub mod class;
pub mod home;
pub mod play;
