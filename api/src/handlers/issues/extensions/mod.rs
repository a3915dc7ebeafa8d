//! 延期: a handler asks for more working days on the reply deadline, and staff decide.

pub mod decide;
pub mod request;
