//! CAS 3.0 on the wire: the login URL and `/p3/serviceValidate`, whose XML answer is read with
//! quick-xml and no entities: a document type declaration (where entities are declared) is
//! refused, and only the predefined and character references are resolved.

use quick_xml::events::Event;
use std::collections::HashMap;
use yingji_core::security::sso::{self as rules, CasSettings};

/// The CAS server's login URL for `service`.
pub fn login_url(s: &CasSettings, service: &str) -> Result<String, &'static str> {
    let base = s.base_url.trim_end_matches('/');
    reqwest::Url::parse_with_params(&format!("{base}/login"), &[("service", service)])
        .map(Into::into)
        .map_err(|_| rules::PROVIDER_ERROR)
}

/// A validated ticket: the CAS user and the attributes released with it.
#[derive(Debug, Default, PartialEq)]
pub struct CasUser {
    pub user: String,
    pub attributes: HashMap<String, String>,
}

/// Validates `ticket` for `service` at the CAS server `base_url`.
pub async fn validate(
    http: &reqwest::Client,
    base_url: &str,
    service: &str,
    ticket: &str,
) -> Result<CasUser, &'static str> {
    let base = base_url.trim_end_matches('/');
    let url = reqwest::Url::parse_with_params(
        &format!("{base}/p3/serviceValidate"),
        &[("service", service), ("ticket", ticket)],
    )
    .map_err(|_| rules::PROVIDER_ERROR)?;
    let r = http
        .get(url)
        .send()
        .await
        .map_err(|_| rules::PROVIDER_UNREACHABLE)?;
    if !r.status().is_success() {
        return Err(rules::PROVIDER_ERROR);
    }
    let body = r.text().await.map_err(|_| rules::PROVIDER_ERROR)?;
    if body.len() > 256 * 1024 {
        return Err(rules::PROVIDER_ERROR);
    }
    parse(&body)
}

/// Reads a serviceValidate answer: the user of `<cas:authenticationSuccess>`, or the refusal.
pub fn parse(xml: &str) -> Result<CasUser, &'static str> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut out = CasUser::default();
    let mut success = false;
    loop {
        let ev = reader.read_event().map_err(|_| rules::PROVIDER_ERROR)?;
        match ev {
            Event::DocType(_) => return Err(rules::PROVIDER_ERROR),
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if name == "authenticationFailure" {
                    return Err(rules::TICKET_INVALID);
                }
                success |= name == "authenticationSuccess";
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => match quick_xml::escape::resolve_predefined_entity(&r.xml10_content()) {
                    Some(s) => text.push_str(s),
                    None => return Err(rules::PROVIDER_ERROR),
                },
            },
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str);
                let value = text.trim().to_string();
                if name == "user" && parent == Some("authenticationSuccess") {
                    out.user = value;
                } else if parent == Some("attributes") {
                    out.attributes.entry(name).or_insert(value);
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !success || out.user.is_empty() {
        return Err(rules::TICKET_INVALID);
    }
    Ok(out)
}

/// The service ticket a CAS single-logout request names (`<samlp:SessionIndex>` of the
/// `logoutRequest` the CAS server posts), read without entities like the validation answer.
pub fn logout_ticket(xml: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::DocType(_) | Event::Eof => return None,
            Event::Start(e) => {
                inside = e.local_name().as_ref() == "SessionIndex";
                text.clear();
            }
            Event::Text(t) if inside => text.push_str(&t.xml10_content()),
            Event::End(_) if inside => {
                let t = text.trim();
                return (!t.is_empty() && t.len() <= 256).then(|| t.to_string());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_failure_and_entities() {
        let ok = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess><cas:user>zhang&amp;san</cas:user>
    <cas:attributes><cas:uid>3604</cas:uid><cas:name>张三</cas:name></cas:attributes>
  </cas:authenticationSuccess></cas:serviceResponse>"#;
        let u = parse(ok).unwrap();
        assert_eq!(u.user, "zhang&san");
        assert_eq!(u.attributes["uid"], "3604");
        assert_eq!(u.attributes["name"], "张三");
        let refused = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">Ticket not recognized</cas:authenticationFailure></cas:serviceResponse>"#;
        assert_eq!(parse(refused), Err(rules::TICKET_INVALID));
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><cas:serviceResponse xmlns:cas="x"><cas:authenticationSuccess><cas:user>&a;</cas:user></cas:authenticationSuccess></cas:serviceResponse>"#;
        assert_eq!(parse(bomb), Err(rules::PROVIDER_ERROR));
        assert!(parse("not xml <").is_err());
        assert_eq!(parse("<a>b</a>"), Err(rules::TICKET_INVALID));
    }

    #[test]
    fn logout_request() {
        let ok = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="x" Version="2.0" IssueInstant="2026-12-05T10:00:00Z"><saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">@NOT_USED@</saml:NameID><samlp:SessionIndex>ST-1-abc</samlp:SessionIndex></samlp:LogoutRequest>"#;
        assert_eq!(logout_ticket(ok).as_deref(), Some("ST-1-abc"));
        assert_eq!(logout_ticket("<a>b</a>"), None);
        let dtd = r#"<!DOCTYPE r [<!ENTITY a "ST">]><samlp:LogoutRequest><samlp:SessionIndex>&a;</samlp:SessionIndex></samlp:LogoutRequest>"#;
        assert_eq!(logout_ticket(dtd), None);
    }
}
