//! Deputies as people reach them (their accounts are managed under `/users`).

pub mod qrcode;
pub mod voters;
