//! The `Host` an HTTP/1 client asks for, from the start of its byte stream, and what a device
//! says of itself in SSDP, HTTP over UDP (httparse does the parsing; this is its only user).

use super::device::clean_device_name;
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

/// What an SSDP message (UPnP Device Architecture 2.0, section 1) sent by a device says of it:
/// its `SERVER` header (`Linux/3.14 UPnP/1.0 IpBridge/1.26.0`) and the `uuid:` of its `USN`
/// (the part before `::`), in that order. Only announcements (`NOTIFY * HTTP/1.1`) and answers
/// to searches (`HTTP/1.1 200 OK`) are the device's own; a search (`M-SEARCH`) comes from
/// whoever looks. httparse reads both shapes: `NOTIFY` is a method token like any other and
/// `*` a valid request target.
pub fn ssdp_names(datagram: &[u8]) -> Vec<String> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    // A datagram is the whole message: headers read before a missing blank line still count.
    let headers: &[httparse::Header<'_>] = if datagram.starts_with(b"NOTIFY ") {
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(datagram) {
            Ok(_) => request.headers,
            Err(_) => return Vec::new(),
        }
    } else if datagram.starts_with(b"HTTP/1.") {
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(datagram) {
            Ok(_) if response.code == Some(200) => response.headers,
            _ => return Vec::new(),
        }
    } else {
        return Vec::new();
    };
    let header = |name: &str| headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value);
    let server = header("server").and_then(clean_device_name);
    let uuid = header("usn").and_then(|usn| {
        let end = usn.windows(2).position(|w| w == b"::").unwrap_or(usn.len());
        let uuid = clean_device_name(&usn[..end])?;
        uuid.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("uuid:")).then_some(uuid)
    });
    server.into_iter().chain(uuid).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssdp_notify_and_search_answer_name_the_device() {
        let notify = b"NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=100\r\n\
            LOCATION: http://192.168.1.20:80/description.xml\r\nSERVER: Linux/3.14.0 UPnP/1.0 IpBridge/1.26.0\r\n\
            NTS: ssdp:alive\r\nNT: upnp:rootdevice\r\n\
            USN: uuid:2f402f80-da50-11e1-9b23-001788102201::upnp:rootdevice\r\n\r\n";
        let want = ["Linux/3.14.0 UPnP/1.0 IpBridge/1.26.0", "uuid:2f402f80-da50-11e1-9b23-001788102201"];
        assert_eq!(ssdp_names(notify), want);
        let answer = b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\n\
            SERVER: Unspecified, UPnP/1.0, Unspecified\r\nST: upnp:rootdevice\r\n\
            USN: uuid:f5bd487e-816d-5ea6-bef9-0d89f9950a72\r\n\r\n";
        assert_eq!(
            ssdp_names(answer),
            ["Unspecified, UPnP/1.0, Unspecified", "uuid:f5bd487e-816d-5ea6-bef9-0d89f9950a72"]
        );
        // Without the final blank line (some firmwares), the headers still count.
        assert_eq!(ssdp_names(&notify[..notify.len() - 2]), want);
    }

    #[test]
    fn ssdp_searches_failures_and_junk_name_nothing() {
        let search = b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n\
            MX: 1\r\nST: ssdp:all\r\nUSER-AGENT: Phone/1.0\r\n\r\n";
        assert!(ssdp_names(search).is_empty());
        assert!(ssdp_names(b"HTTP/1.1 404 Not Found\r\nSERVER: x\r\n\r\n").is_empty());
        assert!(ssdp_names(b"NOTIFY * HTTP/1.1\r\nSERVER: <b>\r\nUSN: urn:x::y\r\n\r\n").is_empty());
        let notify = b"NOTIFY * HTTP/1.1\r\nSERVER: a\r\nUSN: uuid:1::x\r\n\r\n";
        for cut in 0..notify.len() {
            let _ = ssdp_names(&notify[..cut]);
        }
    }

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
