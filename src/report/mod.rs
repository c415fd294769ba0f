//! The report: the JSON contract ([`model`]) and its renderings.

pub mod build;
pub mod csv;
pub mod model;
pub mod text;
