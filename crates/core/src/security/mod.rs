pub mod retention;
pub mod syslog;
