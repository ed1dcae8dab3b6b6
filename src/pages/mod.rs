pub mod alert_lab;
pub mod class;
pub mod compare;
pub mod concepts;
pub mod home;
pub mod play;
pub mod roles;
pub mod you;
