//! TLS started inside a plain-text protocol (STARTTLS): SMTP (RFC 3207), POP3 and IMAP
//! (RFC 2595), FTP (`AUTH TLS`, RFC 4217). Cameras mail their snapshots and upload them by FTP
//! this way. The client's first bytes are command lines; after the one that asks for TLS, and
//! the server's go-ahead, its next bytes are a ClientHello, which `tls.rs` reads for the name.
//!
//! Hand-written: only the client's command lines are looked at, and only to find where TLS
//! starts; no crate parses the commands of these four protocols for that alone.

/// Client text looked at before giving up on an upgrade (the dialogue before STARTTLS is a
/// greeting and a capability request: a few dozen bytes).
pub const MAX_DIALOGUE_LEN: usize = 4096;

/// Whether a stream's first bytes could be a client's command line of one of these protocols:
/// printable ASCII starting with a letter (a command, or an IMAP tag).
pub fn looks_like_commands(first: &[u8]) -> bool {
    first.first().is_some_and(u8::is_ascii_alphanumeric)
        && first.iter().all(|&b| b.is_ascii_graphic() || matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Where TLS starts in the client's text: the offset just after the complete line that asks
/// for it, if one has been sent.
pub fn upgrade_at(text: &[u8]) -> Option<usize> {
    let mut start = 0;
    while let Some(end) = text[start..].iter().position(|&b| b == b'\n') {
        let line = &text[start..start + end];
        if asks_for_tls(line) {
            return Some(start + end + 1);
        }
        start += end + 1;
    }
    None
}

/// `STARTTLS` (SMTP), `STLS` (POP3), `<tag> STARTTLS` (IMAP), `AUTH TLS` or `AUTH SSL` (FTP),
/// in any case.
fn asks_for_tls(line: &[u8]) -> bool {
    let line = String::from_utf8_lossy(line).trim().to_ascii_uppercase();
    let words: Vec<&str> = line.split_ascii_whitespace().collect();
    matches!(words.as_slice(), ["STARTTLS"] | ["STLS"] | [_, "STARTTLS"] | ["AUTH", "TLS" | "SSL" | "TLS-C"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protocols_upgrade_command_is_found_after_its_line() {
        let smtp = b"EHLO cam.local\r\nSTARTTLS\r\n";
        assert_eq!(upgrade_at(smtp), Some(smtp.len()));
        assert_eq!(upgrade_at(b"CAPA\r\nSTLS\r\n"), Some(12));
        assert_eq!(upgrade_at(b"a001 CAPABILITY\r\na002 starttls\r\n"), Some(32));
        assert_eq!(upgrade_at(b"AUTH TLS\r\n"), Some(10));
        // Not yet asked, or asked on a line not yet complete.
        assert_eq!(upgrade_at(b"EHLO cam.local\r\n"), None);
        assert_eq!(upgrade_at(b"EHLO cam.local\r\nSTART"), None);
        // Words that only mention TLS are no request.
        assert_eq!(upgrade_at(b"MAIL FROM:<starttls@example.com>\r\n"), None);
    }

    #[test]
    fn command_text_is_told_from_binary() {
        assert!(looks_like_commands(b"EHLO cam.local\r\n"));
        assert!(looks_like_commands(b"a1 CAPABILITY\r\n"));
        assert!(!looks_like_commands(&[22, 3, 1, 0, 5]));
        assert!(!looks_like_commands(b"\x00\x01binary"));
        assert!(!looks_like_commands(b""));
    }
}
