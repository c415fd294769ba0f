//! NetBIOS name service (RFC 1002, UDP 137): the name a Windows or Samba machine (and many
//! printers and NAS boxes) registers for itself, or answers for when asked.
//!
//! Hand-written: the messages are DNS-shaped, but the names are NetBIOS's own "first-level"
//! encoding (16 bytes as 32 letters `A`..`P`), which no maintained crate decodes, and only
//! two message shapes matter. Every read is bounds-checked; a malformed message yields nothing.

use std::net::Ipv4Addr;

use super::device::clean_device_name;

const HEADER_LEN: usize = 12;
const FLAGS_OFFSET: usize = 2;
const QDCOUNT_OFFSET: usize = 4;
const ANCOUNT_OFFSET: usize = 6;
const ARCOUNT_OFFSET: usize = 10;
/// The R bit: a response.
const RESPONSE: u16 = 0x8000;
const OPCODE_SHIFT: u16 = 11;
const OPCODE_MASK: u16 = 0xF;
const RCODE_MASK: u16 = 0xF;
const OPCODE_QUERY: u16 = 0;
const OPCODE_REGISTRATION: u16 = 5;
/// Refresh: 8 in RFC 1002, 9 in what Windows sends.
const OPCODE_REFRESH: [u16; 2] = [8, 9];
/// The length byte of an encoded NetBIOS name: 16 bytes as 32 letters.
const ENCODED_LEN: u8 = 32;
/// Record type NB, the only one that carries a name's owner.
const TYPE_NB: u16 = 0x0020;
/// NB_FLAGS: the G bit, set for a group name (`WORKGROUP`), which no one machine owns.
const GROUP: u16 = 0x8000;
/// A compression pointer's top bits.
const POINTER: u8 = 0xC0;
/// The suffixes (16th byte) of a machine's own name: workstation and file server. The others
/// name a workgroup's browsers and domain controllers, or the logged-in user (messenger, 0x03),
/// which is no device's name.
const MACHINE_SUFFIXES: [u8; 2] = [0x00, 0x20];

/// A unique name a device claims, and the address it claims it for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub name: String,
    pub address: Ipv4Addr,
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

/// Reads the name at `at`: the encoded name and its scope labels up to the root, or a pointer
/// to one. Gives the 16 decoded bytes and where the name ends.
fn name_at(message: &[u8], at: usize) -> Option<([u8; 16], usize)> {
    let first = *message.get(at)?;
    if first & POINTER == POINTER {
        // Only backwards, so a pointer cannot loop (as registrations point at their question).
        let target = usize::from(u16_at(message, at)? & 0x3FFF);
        let (name, _) = if target < at { name_at(message, target)? } else { return None };
        return Some((name, at + 2));
    }
    if first != ENCODED_LEN {
        return None;
    }
    let encoded = message.get(at + 1..at + 1 + usize::from(ENCODED_LEN))?;
    let mut name = [0u8; 16];
    for (byte, pair) in name.iter_mut().zip(encoded.chunks_exact(2)) {
        let half = |c: u8| c.checked_sub(b'A').filter(|v| *v < 16);
        *byte = half(pair[0])? << 4 | half(pair[1])?;
    }
    // Scope labels (rare), up to the root label.
    let mut end = at + 1 + usize::from(ENCODED_LEN);
    loop {
        let len = usize::from(*message.get(end)?);
        end += 1;
        if len == 0 {
            return Some((name, end));
        }
        if len > 63 {
            return None;
        }
        end += len;
    }
}

/// The name a device claims in a registration or refresh it sends, or in its positive answer
/// to a name query: a unique machine name (not a group), trimmed of its padding spaces.
pub fn claim(message: &[u8]) -> Option<Claim> {
    if message.len() < HEADER_LEN {
        return None;
    }
    let flags = u16_at(message, FLAGS_OFFSET)?;
    let opcode = (flags >> OPCODE_SHIFT) & OPCODE_MASK;
    let response = flags & RESPONSE != 0;
    // A registration or refresh asks with its name in the question and its NB record in the
    // additional section; a positive answer carries the name in its one answer record.
    let record_at = if !response && (opcode == OPCODE_REGISTRATION || OPCODE_REFRESH.contains(&opcode)) {
        if u16_at(message, QDCOUNT_OFFSET)? != 1 || u16_at(message, ARCOUNT_OFFSET)? != 1 {
            return None;
        }
        let (_, question_end) = name_at(message, HEADER_LEN)?;
        question_end + 4 // type and class
    } else if response && opcode == OPCODE_QUERY && flags & RCODE_MASK == 0 {
        if u16_at(message, ANCOUNT_OFFSET)? == 0 {
            return None;
        }
        HEADER_LEN
    } else {
        return None;
    };
    let (raw, name_end) = name_at(message, record_at)?;
    // Type, class, TTL, data length, then NB_FLAGS and the address.
    if u16_at(message, name_end)? != TYPE_NB || u16_at(message, name_end + 8)? < 6 {
        return None;
    }
    let nb_flags = u16_at(message, name_end + 10)?;
    let address = message.get(name_end + 12..name_end + 16)?;
    if nb_flags & GROUP != 0 || !MACHINE_SUFFIXES.contains(&raw[15]) {
        return None;
    }
    let name = clean_device_name(&raw[..15])?;
    Some(Claim { name, address: Ipv4Addr::new(address[0], address[1], address[2], address[3]) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(name: &str, suffix: u8) -> Vec<u8> {
        let mut raw = [b' '; 16];
        raw[..name.len()].copy_from_slice(name.as_bytes());
        raw[15] = suffix;
        let mut out = vec![ENCODED_LEN];
        for b in raw {
            out.extend([b'A' + (b >> 4), b'A' + (b & 0xF)]);
        }
        out.push(0);
        out
    }

    /// A registration as Windows broadcasts it: question, then the NB record pointing at it.
    fn registration(name: &str, suffix: u8, nb_flags: u16) -> Vec<u8> {
        let mut m = vec![0x80, 0x01, 0x29, 0x10, 0, 1, 0, 0, 0, 0, 0, 1];
        m.extend(encode(name, suffix));
        m.extend([0, 0x20, 0, 1, 0xC0, 0x0C, 0, 0x20, 0, 1, 0, 0x04, 0x93, 0xE0, 0, 6]);
        m.extend(nb_flags.to_be_bytes());
        m.extend([192, 168, 100, 206]);
        m
    }

    #[test]
    fn registration_names_the_machine() {
        let got = claim(&registration("DESKTOP-4F2A", 0x00, 0x0000)).unwrap();
        assert_eq!(got, Claim { name: "DESKTOP-4F2A".into(), address: Ipv4Addr::new(192, 168, 100, 206) });
        let mut refresh = registration("NAS", 0x20, 0x0000);
        refresh[2] = 0x48; // opcode 9, as Windows refreshes
        assert_eq!(claim(&refresh).map(|c| c.name).as_deref(), Some("NAS"));
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
    }

    /// Frames 2 and 287 of tests/captures/suricata-verify__tls-tls-subjectaltname-input.pcap
    /// (UDP payloads): registrations of `WORKGROUP<1e>`, a group name, and `WORKGROUP<1d>`, a
    /// unique name but the workgroup's master browser's: neither names the machine.
    #[test]
    fn real_workgroup_registrations_name_nothing() {
        let group = hex("895a2910000100000000000120464845504643454c45484643455046464641434143414341434143414341424f\
            0000200001c00c00200001000493e000068000c0a864ce");
        let browser = hex("89652910000100000000000120464845504643454c45484643455046464641434143414341434143414341424e\
            0000200001c00c00200001000493e000060000c0a864ce");
        assert_eq!(claim(&group), None);
        assert_eq!(claim(&browser), None);
        // The same message for a machine name is read: only the name and flags decide.
        let mut machine = browser.clone();
        machine[12..46].copy_from_slice(&encode("WORKGROUP", 0x00)[..34]);
        assert_eq!(claim(&machine).map(|c| c.name).as_deref(), Some("WORKGROUP"));
        assert_eq!(claim(&registration("ANNA", 0x03, 0x0000)), None, "the messenger name is a user's");
    }

    #[test]
    fn positive_query_answer_names_the_machine() {
        let mut m = vec![0x12, 0x34, 0x85, 0x00, 0, 0, 0, 1, 0, 0, 0, 0];
        m.extend(encode("BRWC0CB383D1F42", 0x00));
        m.extend([0, 0x20, 0, 1, 0, 0, 0, 0, 0, 6, 0x00, 0x00, 141, 142, 220, 226]);
        let got = claim(&m).unwrap();
        assert_eq!((got.name.as_str(), got.address), ("BRWC0CB383D1F42", Ipv4Addr::new(141, 142, 220, 226)));
        m[3] = 0x03; // name error: a negative answer
        assert_eq!(claim(&m), None);
    }

    #[test]
    fn queries_loops_and_junk_name_nothing() {
        let mut query = vec![0x12, 0x34, 0x01, 0x10, 0, 1, 0, 0, 0, 0, 0, 0];
        query.extend(encode("WPAD", 0x00));
        query.extend([0, 0x20, 0, 1]);
        assert_eq!(claim(&query), None);
        let full = registration("PLUG", 0, 0);
        for cut in 0..full.len() {
            assert_eq!(claim(&full[..cut]), None);
        }
        let mut looped = full.clone();
        looped[12..14].copy_from_slice(&[0xC0, 0x0C]); // the question points at itself
        assert_eq!(claim(&looped), None);
        let mut bad_letter = full;
        bad_letter[13] = b'Z';
        assert_eq!(claim(&bad_letter), None);
    }
}
