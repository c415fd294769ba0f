//! IP address to AS number, AS organisation and country, from a table embedded in the app.
//!
//! Placeholder until the embedded table lands: every lookup answers `None`.

use std::net::IpAddr;

/// What the embedded table knows about one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoInfo {
    pub asn: Option<u32>,
    pub as_org: Option<&'static str>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<&'static str>,
}

/// Date of the embedded table's source data (`YYYY-MM-DD`), if a table is embedded.
pub fn table_date() -> Option<&'static str> {
    None
}

/// Looks up a public address. Callers classify special-purpose addresses first
/// ([`crate::scope`]); the table has no rows for them anyway.
pub fn lookup(_ip: IpAddr) -> Option<GeoInfo> {
    None
}
