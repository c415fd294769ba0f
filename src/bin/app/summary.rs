//! One line that identifies a destination, for the headline's list of flagged destinations.
//! The headline's sentence itself is the core's (`phonehome::report::wording::headline`),
//! shared with the CLI.

use crate::destination_query::network;
use phonehome::report::model::Destination;

/// "180.76.76.76 · AS38365 Beijing Baidu Netcom · CN": what identifies a destination in one line.
pub fn one_line(d: &Destination) -> String {
    let mut parts = vec![d.ip.to_string()];
    let net = network(d);
    if !net.is_empty() {
        parts.push(net);
    }
    if let Some(c) = d.country {
        parts.push(c.to_string());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::destination;

    #[test]
    fn a_destination_in_one_line() {
        let mut d = destination("180.76.76.76", Some("CN"));
        assert_eq!(one_line(&d), "180.76.76.76 · CN");
        d.asn = Some(38365);
        d.as_org = Some("Beijing Baidu Netcom".into());
        assert_eq!(one_line(&d), "180.76.76.76 · AS38365 Beijing Baidu Netcom · CN");
    }
}
