//! The analysis as the worker posts it to the page, in pieces (see `protocol.rs` for the
//! message that carries them). Shared by the `app` and `worker` binaries, like the protocol.

use crate::protocol::DecodeError;
use phonehome::Analysis;

/// Destinations, or devices, in one piece of the analysis message.
const PIECE_ITEMS: usize = 4096;

/// The analysis as the worker posts it: postcard bytes (both sides are of one build: the
/// message version says so), in pieces given to `each` one after another. The first holds
/// everything but the destinations and the devices, with how many of each follow; then come
/// the destinations and the devices, [`PIECE_ITEMS`] to a piece. The page copies one piece at
/// a time into its memory, where one buffer of the whole (87 MB for 158,796 destinations)
/// would stay as the page's peak beside the analysis read from it.
pub fn analysis_pieces(analysis: &mut Analysis, mut each: impl FnMut(Vec<u8>)) -> Result<(), String> {
    let destinations = std::mem::take(&mut analysis.destinations);
    let devices = std::mem::take(&mut analysis.devices);
    let shell = postcard::to_allocvec(&(&*analysis, destinations.len(), devices.len()));
    analysis.destinations = destinations;
    analysis.devices = devices;
    each(shell.map_err(|e| e.to_string())?);
    let destinations = analysis.destinations.chunks(PIECE_ITEMS).map(postcard::to_allocvec);
    let devices = analysis.devices.chunks(PIECE_ITEMS).map(postcard::to_allocvec);
    for piece in destinations.chain(devices) {
        each(piece.map_err(|e| e.to_string())?);
    }
    Ok(())
}

/// Reads [`analysis_pieces`] back, each piece's bytes asked of `pieces` when it is read.
pub fn analysis_of_pieces(mut pieces: impl Iterator<Item = Vec<u8>>) -> Result<Analysis, DecodeError> {
    let malformed =
        |what: &str, e: &dyn std::fmt::Display| DecodeError::Malformed(format!("the analysis ({what}): {e}"));
    let shell = pieces.next().ok_or_else(|| malformed("its first piece", &"missing"))?;
    let (mut analysis, destinations, devices): (Analysis, usize, usize) =
        postcard::from_bytes(&shell).map_err(|e| malformed("its first piece", &e))?;
    drop(shell);
    // Each item takes more than a byte of the message: a count beyond what can follow is refused.
    let at_most = |count: usize| count.min(PIECE_ITEMS * 1024);
    analysis.destinations.reserve_exact(at_most(destinations));
    analysis.devices.reserve_exact(at_most(devices));
    for piece in pieces {
        if analysis.destinations.len() < destinations {
            let items: Vec<_> = postcard::from_bytes(&piece).map_err(|e| malformed("destinations", &e))?;
            analysis.destinations.extend(items);
        } else {
            let items: Vec<_> = postcard::from_bytes(&piece).map_err(|e| malformed("devices", &e))?;
            analysis.devices.extend(items);
        }
    }
    if (analysis.destinations.len(), analysis.devices.len()) != (destinations, devices) {
        let counts = format!(
            "{} destinations and {} devices where {destinations} and {devices} were announced",
            analysis.destinations.len(),
            analysis.devices.len()
        );
        return Err(malformed("its pieces", &counts));
    }
    Ok(analysis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonehome::report::model::{Destination, Device};

    #[test]
    fn an_analysis_reads_back_from_its_bytes() {
        // Every kind of value the analysis has: addresses, scopes, services, countries,
        // MACs, flags, diagnostics, options.
        let mut a =
            phonehome::report::json::from_json(include_str!("../../../tests/reports/demo.home-US.watch-CN.json"))
                .expect("a committed report")
                .0;
        a.capture.diagnostics.push(phonehome::report::model::Diagnostic {
            kind: phonehome::diagnostic::DiagnosticKind::TruncatedFile,
            count: 1,
            first_packet: 9,
            message: "cut".into(),
        });
        let pieces = |a: &Analysis| {
            let mut pieces = Vec::new();
            analysis_pieces(&mut a.clone(), |piece| pieces.push(piece)).expect("serialised");
            pieces
        };
        let bytes = pieces(&a);
        assert_eq!(bytes.len(), 3, "the rest, the destinations, the devices");
        assert_eq!(analysis_of_pieces(bytes.clone().into_iter()), Ok(a.clone()));
        let json = serde_json::to_string(&a).unwrap();
        let size: usize = bytes.iter().map(Vec::len).sum();
        assert!(size * 3 < json.len(), "{size} bytes against {} of JSON", json.len());
        let cut = bytes.iter().map(|b| b[..b.len() / 2].to_vec());
        assert!(matches!(analysis_of_pieces(cut), Err(DecodeError::Malformed(_))));
        assert!(matches!(analysis_of_pieces(bytes[..2].iter().cloned()), Err(DecodeError::Malformed(_))));
        assert!(matches!(analysis_of_pieces(std::iter::empty()), Err(DecodeError::Malformed(_))));

        // A big analysis goes in many pieces, and comes back whole and in order.
        let mut big = a.clone();
        let (destination, device) = (a.destinations[0].clone(), a.devices[0].clone());
        big.destinations =
            (0..PIECE_ITEMS * 2 + 5).map(|i| Destination { flows: i as u64, ..destination.clone() }).collect();
        big.devices = (0..PIECE_ITEMS + 1).map(|i| Device { id: i.to_string(), ..device.clone() }).collect();
        let bytes = pieces(&big);
        assert_eq!(bytes.len(), 1 + 3 + 2);
        assert_eq!(analysis_of_pieces(bytes.into_iter()), Ok(big));
    }
}
