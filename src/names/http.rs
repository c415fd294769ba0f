//! The `Host` an HTTP/1 client asks for, from the start of its byte stream (httparse does
//! the parsing; this is its only user).

use super::tls::Probe;

/// Request heads larger than this are not worth waiting for.
pub const MAX_HEAD_LEN: usize = 16 * 1024;
const MAX_HEADERS: usize = 64;
const METHODS: [&[u8]; 9] =
    [b"GET ", b"POST ", b"PUT ", b"HEAD ", b"DELETE ", b"OPTIONS ", b"PATCH ", b"CONNECT ", b"TRACE "];

/// Whether a stream's first bytes could start an HTTP/1 request.
pub fn looks_like_http(first: &[u8]) -> bool {
    METHODS.iter().any(|m| first.starts_with(m) || (first.len() < m.len() && m.starts_with(first) && !first.is_empty()))
}

pub fn request_host(stream: &[u8]) -> Probe<String> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(stream) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => {
            // Headers parsed so far are usable even before the head is complete.
            if let Some(host) = host_of(request.headers) {
                return Probe::Found(host);
            }
            return if stream.len() > MAX_HEAD_LEN { Probe::No } else { Probe::NeedMore };
        }
        Err(httparse::Error::TooManyHeaders) | Err(_) => return Probe::No,
    }
    match host_of(request.headers) {
        Some(host) => Probe::Found(host),
        None => Probe::No,
    }
}

fn host_of(headers: &[httparse::Header<'_>]) -> Option<String> {
    let header = headers.iter().find(|h| h.name.eq_ignore_ascii_case("host"))?;
    let value = std::str::from_utf8(header.value).ok()?.trim();
    // Strip a port, but keep bracketed IPv6 literals intact.
    let host = if let Some(rest) = value.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        value.rsplit_once(':').map_or(value, |(h, p)| if p.chars().all(|c| c.is_ascii_digit()) { h } else { value })
    };
    super::clean_name(host.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_found_partial_and_absent() {
        let req = b"GET /fw.bin HTTP/1.1\r\nUser-Agent: x\r\nHost: Update.Example.net:8080\r\n\r\n";
        assert_eq!(request_host(req), Probe::Found("update.example.net".into()));
        assert_eq!(request_host(&req[..10]), Probe::NeedMore);
        assert_eq!(
            request_host(b"GET / HTTP/1.1\r\nHost: [2001:db8::1]:80\r\n\r\n"),
            Probe::Found("2001:db8::1".into())
        );
        assert_eq!(request_host(b"GET / HTTP/1.0\r\n\r\n"), Probe::No);
        assert_eq!(request_host(b"\x16\x03\x01garbage\r\n\r\n"), Probe::No);
        assert!(looks_like_http(b"GE") && looks_like_http(b"POST /") && !looks_like_http(b"\x16\x03"));
    }
}
