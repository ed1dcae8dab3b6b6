//! The play link and the seat: the one definition of who plays what and how a link says
//! so (`scenario=…&role=…[&partner=…]&seed=…`). The app opens and writes these links, the
//! CLI prints them for a teacher (`ops-dojo link`), and result codes record the seat: all
//! three read this module, so the format cannot drift between them.

use crate::action::Actor;
use crate::action::Policy;
use crate::scenario::Role;

/// The seat a person takes: one role (a bot plays the other), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    One(Role),
    /// You build it, you run it.
    Both,
}

impl Seat {
    pub const ALL: [Seat; 3] = [Seat::One(Role::Devops), Seat::One(Role::Sre), Seat::Both];

    /// The word a link uses: `devops`, `sre` or `both`.
    pub fn id(self) -> &'static str {
        match self {
            Seat::One(role) => role.id(),
            Seat::Both => "both",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Seat::One(role) => role.label(),
            Seat::Both => "DevOps + SRE",
        }
    }

    pub fn parse(text: &str) -> Option<Seat> {
        Seat::ALL.into_iter().find(|s| s.id() == text)
    }

    /// Whether the person plays `role`.
    pub fn plays(self, role: Role) -> bool {
        self == Seat::Both || self == Seat::One(role)
    }

    /// Who the person's actions are stamped with.
    pub fn actor(self) -> Actor {
        match self {
            Seat::One(role) => Actor::person(role),
            Seat::Both => Actor::ANYONE,
        }
    }

    /// The roles the person plays, in [`Role::ALL`] order, as a result code records them.
    pub fn roles(self) -> Vec<Role> {
        match self {
            Seat::One(role) => vec![role],
            Seat::Both => Role::ALL.to_vec(),
        }
    }

    /// The seat that plays `roles` (as read back from a result code), if it is one.
    pub fn of_roles(roles: &[Role]) -> Option<Seat> {
        Seat::ALL.into_iter().find(|seat| seat.roles() == roles)
    }

    /// The role a bot plays, if any.
    pub fn other(self) -> Option<Role> {
        match self {
            Seat::One(Role::Devops) => Some(Role::Sre),
            Seat::One(Role::Sre) => Some(Role::Devops),
            Seat::Both => None,
        }
    }
}

/// The bot a link gets when it names none.
pub const DEFAULT_PARTNER: Policy = Policy::Balanced;

/// The query part of a play link, to write one.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayQuery<'a> {
    pub scenario: &'a str,
    pub role: &'static str,
    /// The bot playing the other role.
    pub partner: Option<&'static str>,
    pub seed: u64,
    /// Display profile carried over from the page the run was started from.
    pub profile: Option<&'static str>,
}

impl<'a> PlayQuery<'a> {
    pub fn new(scenario: &'a str, seat: Seat, partner: Policy, seed: u64) -> Self {
        Self {
            scenario,
            role: seat.id(),
            partner: (seat != Seat::Both).then_some(partner.id()),
            seed,
            profile: None,
        }
    }

    /// `scenario=…&role=…[&partner=…]&seed=…[&profile=…]`.
    pub fn to_query(&self) -> String {
        let mut query = format!("scenario={}&role={}", encode(self.scenario), self.role);
        if let Some(partner) = self.partner {
            query += &format!("&partner={partner}");
        }
        query += &format!("&seed={}", self.seed);
        if let Some(profile) = self.profile {
            query += &format!("&profile={profile}");
        }
        query
    }
}

/// The fields of a play link as read, each one read or refused with a sentence that says
/// what to change. The scenario is left as an id: where scenarios come from (built in, a
/// loaded file) is the reader's business.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayFields {
    pub scenario: Result<String, String>,
    pub seat: Result<Seat, String>,
    pub partner: Result<Policy, String>,
    pub seed: Result<u64, String>,
}

impl PlayFields {
    /// Reads `scenario=…&role=…&seed=…[&partner=…]` (order free, a leading `?` allowed,
    /// other keys ignored).
    pub fn read(query: &str) -> PlayFields {
        let (mut scenario, mut role, mut seed, mut partner) = (None, None, None, None);
        for pair in query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "scenario" => scenario = Some(value),
                "role" => role = Some(value),
                "seed" => seed = Some(value),
                "partner" => partner = Some(value),
                _ => {}
            }
        }
        PlayFields {
            scenario: match scenario {
                None | Some("") => Err("the link names no scenario (scenario=…)".to_string()),
                Some(id) => Ok(id.to_string()),
            },
            seat: match role {
                None | Some("") => {
                    Err("the link names no role (role=devops, role=sre or role=both)".to_string())
                }
                Some(text) => Seat::parse(text).ok_or_else(|| {
                    format!(
                        "“{}” is not a role: use role=devops, role=sre or role=both",
                        shorten(text, 40)
                    )
                }),
            },
            partner: match partner {
                None | Some("") => Ok(DEFAULT_PARTNER),
                Some(text) => Policy::parse(text).ok_or_else(|| {
                    let names: Vec<_> = Policy::ALL.iter().map(|p| p.id()).collect();
                    format!(
                        "“{}” is not a bot: use partner={}",
                        shorten(text, 40),
                        names.join(", partner=")
                    )
                }),
            },
            seed: match seed {
                None | Some("") => Err("the link names no seed (seed=<whole number>)".to_string()),
                Some(text) => text.parse::<u64>().map_err(|_| {
                    format!(
                        "seed “{}” is not a whole number from 0 to {}",
                        shorten(text, 40),
                        u64::MAX
                    )
                }),
            },
        }
    }
}

/// Percent-encodes what is not plainly safe in a query value (ids are usually safe already).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The value of `key` in a query string (`a=1&b=2`), if present and not empty.
pub fn query_value(query: &str, key: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
        .filter(|value| !value.is_empty())
        .map(str::to_string)
}

/// Keeps echoed link text short and free of control characters.
pub fn shorten(text: &str, max_chars: usize) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(max_chars)
        .collect();
    if text.chars().count() > max_chars {
        format!("{cleaned}…")
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_link_reads_back() {
        let query = PlayQuery::new("first-slo", Seat::One(Role::Sre), Policy::ShipFast, 7);
        let text = query.to_query();
        assert_eq!(text, "scenario=first-slo&role=sre&partner=ship-fast&seed=7");
        let fields = PlayFields::read(&text);
        assert_eq!(fields.scenario.as_deref(), Ok("first-slo"));
        assert_eq!(fields.seat, Ok(Seat::One(Role::Sre)));
        assert_eq!(fields.partner, Ok(Policy::ShipFast));
        assert_eq!(fields.seed, Ok(7));
        let both = PlayQuery::new("x", Seat::Both, Policy::ShipFast, 1).to_query();
        assert_eq!(both, "scenario=x&role=both&seed=1");
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn seats_and_roles_agree() {
        for seat in Seat::ALL {
            assert_eq!(Seat::of_roles(&seat.roles()), Some(seat));
            assert_eq!(Seat::parse(seat.id()), Some(seat));
        }
        assert_eq!(Seat::of_roles(&[]), None);
        assert_eq!(Seat::Both.actor(), Actor::ANYONE);
    }
}
