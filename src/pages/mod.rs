pub mod class;
pub mod concepts;
pub mod home;
pub mod play;
