//! Who is on the other end: the connection's address, or, behind a reverse
//! proxy we trust (`TRUSTED_PROXIES`), the address it says it forwarded
//! for. Sign-in throttling counts failures by it.

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// Extractor: the client address of a request, when known.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl axum::extract::FromRequestParts<crate::state::AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(of_request(parts, &state.config.trusted_proxies)))
    }
}

/// The client address of a request, when the server was started with
/// connection info (`axum::serve` with `into_make_service_with_connect_info`).
pub fn of_request(parts: &Parts, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    client_ip(&parts.headers, peer?, trusted_proxies)
}

/// The client behind `peer`: `peer` itself, unless it is a trusted proxy;
/// then the nearest `X-Forwarded-For` hop that is not a trusted proxy (the
/// ones further left are whatever the client wrote, so never believed).
pub fn client_ip(headers: &HeaderMap, peer: IpAddr, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let trusted = |ip: &IpAddr| trusted_proxies.contains(&canonical(*ip));
    if !trusted(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A hop we cannot read ends the chain: the last one read stands.
        let Some(ip) = parse_hop(hop) else {
            break;
        };
        client = ip;
        if !trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// An `X-Forwarded-For` entry: an address, maybe with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// IPv4 addresses mapped into IPv6 as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                "x-forwarded-for",
                HeaderValue::from_str(value).expect("value"),
            );
        }
        headers
    }

    #[test]
    fn a_direct_client_is_its_connection_whatever_it_says() {
        let trusted = [ip("127.0.0.1")];
        let headers = forwarded(&["10.9.9.9"]);
        assert_eq!(
            client_ip(&headers, ip("203.0.113.5"), &trusted),
            Some(ip("203.0.113.5"))
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_untrusted_hop_counts() {
        let trusted = [ip("127.0.0.1"), ip("10.0.0.2")];
        // The client wrote "6.6.6.6" itself; nginx appended the real one.
        let headers = forwarded(&["6.6.6.6, 203.0.113.5", "10.0.0.2"]);
        assert_eq!(
            client_ip(&headers, ip("127.0.0.1"), &trusted),
            Some(ip("203.0.113.5"))
        );
        assert_eq!(
            client_ip(&HeaderMap::new(), ip("127.0.0.1"), &trusted),
            Some(ip("127.0.0.1"))
        );
        let with_port = forwarded(&["[2001:db8::1]:4711"]);
        assert_eq!(
            client_ip(&with_port, ip("::ffff:127.0.0.1"), &trusted),
            Some(ip("2001:db8::1"))
        );
    }

    #[test]
    fn an_unreadable_hop_ends_the_chain() {
        let trusted = [ip("127.0.0.1"), ip("10.0.0.2")];
        let headers = forwarded(&["203.0.113.5, garbage, 10.0.0.2"]);
        assert_eq!(
            client_ip(&headers, ip("127.0.0.1"), &trusted),
            Some(ip("10.0.0.2"))
        );
    }
}
