//! The report: the JSON contract ([`model`]) and its renderings.

pub mod model;
