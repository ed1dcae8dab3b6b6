//! Where a page lives in the URL, and the run a play link describes.
//!
//! `#/play?scenario=first-slo&role=sre&seed=42` opens a run directly; anything wrong in it
//! is explained to the player in words, never a blank page.

use ops_dojo_engine::{catalog, Actor, Policy, Role, Scenario};
use yew::prelude::*;

/// The app's pages. The page lives in the URL's hash (`#/play?…`), so the app is a set of
/// static files any server (or none: file://) can host, and a link opens the same page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Home,
    Play,
    /// The teacher's page: result codes handed in, replayed and summed up.
    Class,
    /// Runs of one scenario and seed side by side (`?scenario=…&seed=…`).
    Compare,
    /// Every concept the scenarios teach; `?concept=<slug>` shows one entry.
    Concepts,
    /// The two jobs side by side, as careers.
    Roles,
    /// "Your two jobs": what the runs kept in this browser show about each role.
    You,
    NotFound,
}

impl Route {
    pub fn path(self) -> &'static str {
        match self {
            Route::Home => "/",
            Route::Play => "/play",
            Route::Class => "/class",
            Route::Compare => "/compare",
            Route::Concepts => "/concepts",
            Route::Roles => "/roles",
            Route::You => "/you",
            Route::NotFound => "/404",
        }
    }

    fn recognize(path: &str) -> Route {
        match path.trim_end_matches('/') {
            "" => Route::Home,
            "/play" => Route::Play,
            "/class" => Route::Class,
            "/compare" => Route::Compare,
            "/concepts" => Route::Concepts,
            "/roles" => Route::Roles,
            "/you" => Route::You,
            _ => Route::NotFound,
        }
    }

    /// The link to this page with `query` (`scenario=…&seed=…`, may be empty).
    pub fn href(self, query: &str) -> String {
        if query.is_empty() {
            format!("#{}", self.path())
        } else {
            format!("#{}?{query}", self.path())
        }
    }
}

/// Where the app is: the page, and the query after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub route: Route,
    pub query: String,
}

impl Location {
    /// Reads a URL hash: `#/play?scenario=x` → Play with query `scenario=x`.
    pub fn parse(hash: &str) -> Self {
        let rest = hash.trim_start_matches('#');
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        Self {
            route: Route::recognize(path),
            query: query.to_string(),
        }
    }

    fn current() -> Self {
        Self::parse(&gloo::utils::window().location().hash().unwrap_or_default())
    }
}

/// The current location, kept up to date: the component re-renders when the hash changes
/// (a link, the back button, [`go`]).
#[hook]
pub fn use_location() -> Location {
    let location = use_state(Location::current);
    {
        let location = location.clone();
        use_effect_with((), move |()| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    location.set(Location::current())
                });
            move || drop(listener)
        });
    }
    (*location).clone()
}

/// Shows another address for the page in place (no new history entry): for cleaning a
/// one-off parameter out of the address bar.
pub fn replace(route: Route, query: &str) {
    if gloo::utils::window()
        .location()
        .replace(&route.href(query))
        .is_err()
    {
        gloo::console::warn!("could not clean the address bar");
    }
}

/// Opens a page (the browser keeps it in its history, so Back works).
pub fn go(route: Route, query: &str) {
    if gloo::utils::window()
        .location()
        .set_hash(&route.href(query))
        .is_err()
    {
        gloo::console::warn!("could not open the page");
    }
}

/// The seat a person takes: one role (a bot plays the other), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    One(Role),
    /// You build it, you run it.
    Both,
}

impl Seat {
    pub const ALL: [Seat; 3] = [Seat::One(Role::Devops), Seat::One(Role::Sre), Seat::Both];

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

    /// The roles the person plays, as a result code records them.
    pub fn roles(self) -> Vec<Role> {
        match self {
            Seat::One(role) => vec![role],
            Seat::Both => vec![Role::Devops, Role::Sre],
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

/// A run as a link describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayParams {
    pub scenario: Scenario,
    pub seat: Seat,
    /// The bot playing the other role (unused when the seat is both).
    pub partner: Policy,
    pub seed: u64,
}

impl PlayParams {
    /// Parses `scenario=…&role=…&seed=…` (order free, a leading `?` allowed).
    pub fn parse(query: &str) -> Result<PlayParams, String> {
        let mut scenario = None;
        let mut role = None;
        let mut seed = None;
        let mut partner = None;
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
        let mut problems = Vec::new();
        let scenario = match scenario {
            None | Some("") => {
                problems.push("the link names no scenario (scenario=…)".to_string());
                None
            }
            Some(id) => match crate::own_scenarios::find(id) {
                Some(Ok(scenario)) => Some(scenario),
                Some(Err(error)) => {
                    problems.push(format!("scenario “{id}” could not be read: {error}"));
                    None
                }
                None => {
                    problems.push(format!(
                        "there is no scenario “{}” (available: {})",
                        shorten(id, 40),
                        catalog::ids().collect::<Vec<_>>().join(", ")
                    ));
                    None
                }
            },
        };
        let role = match role {
            None | Some("") => {
                problems.push(
                    "the link names no role (role=devops, role=sre or role=both)".to_string(),
                );
                None
            }
            Some(text) => Seat::parse(text).or_else(|| {
                problems.push(format!(
                    "“{}” is not a role: use role=devops, role=sre or role=both",
                    shorten(text, 40)
                ));
                None
            }),
        };
        let partner = match partner {
            None | Some("") => Some(DEFAULT_PARTNER),
            Some(text) => Policy::parse(text).or_else(|| {
                let names: Vec<_> = Policy::ALL.iter().map(|p| p.id()).collect();
                problems.push(format!(
                    "“{}” is not a bot: use partner={}",
                    shorten(text, 40),
                    names.join(", partner=")
                ));
                None
            }),
        };
        let seed = match seed {
            None | Some("") => {
                problems.push("the link names no seed (seed=<whole number>)".to_string());
                None
            }
            Some(text) => text.parse::<u64>().ok().or_else(|| {
                problems.push(format!(
                    "seed “{}” is not a whole number from 0 to {}",
                    shorten(text, 40),
                    u64::MAX
                ));
                None
            }),
        };
        match (scenario, role, partner, seed) {
            (Some(scenario), Some(seat), Some(partner), Some(seed)) => Ok(PlayParams {
                scenario,
                seat,
                partner,
                seed,
            }),
            _ => Err(format!(
                "This link cannot start a run: {}.",
                problems.join("; ")
            )),
        }
    }
}

/// The query part of a play link.
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

/// Percent-encodes what is not plainly safe in a query value (ids are usually safe already).
fn encode(value: &str) -> String {
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

/// Whether a query string asks for the projector profile (`profile=projector`).
pub fn wants_projector(query: &str) -> bool {
    query
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == "profile=projector")
}

/// Keeps echoed URL text short and free of markup-looking noise.
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
    fn a_good_link_opens_the_run() {
        let params = PlayParams::parse("?seed=42&role=sre&scenario=first-slo").expect("valid");
        assert_eq!(params.seat, Seat::One(Role::Sre));
        assert_eq!(params.partner, DEFAULT_PARTNER);
        let both = PlayParams::parse("scenario=first-slo&role=both&seed=1").expect("valid");
        assert_eq!(both.seat, Seat::Both);
        let guarded = PlayParams::parse("scenario=first-slo&role=sre&seed=1&partner=ship-fast")
            .expect("valid");
        assert_eq!(guarded.partner, Policy::ShipFast);
        assert_eq!(params.seed, 42);
        assert_eq!(params.scenario.id.0, "first-slo");
    }

    #[test]
    fn hashes_name_pages_and_links_round_trip() {
        assert_eq!(Location::parse("").route, Route::Home);
        assert_eq!(Location::parse("#/").route, Route::Home);
        assert_eq!(Location::parse("#/class").route, Route::Class);
        assert_eq!(Location::parse("#/roles").route, Route::Roles);
        assert_eq!(Location::parse("#/you?profile=projector").route, Route::You);
        assert_eq!(Location::parse("#/nowhere").route, Route::NotFound);
        let query = PlayQuery::new("first-slo", Seat::One(Role::Sre), Policy::ShipFast, 7);
        let link = Route::Play.href(&query.to_query());
        assert_eq!(
            link,
            "#/play?scenario=first-slo&role=sre&partner=ship-fast&seed=7"
        );
        let location = Location::parse(&link);
        assert_eq!(location.route, Route::Play);
        let params = PlayParams::parse(&location.query).expect("opens");
        assert_eq!(
            (params.seat, params.partner, params.seed),
            (Seat::One(Role::Sre), Policy::ShipFast, 7)
        );
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn projector_profile_is_read_from_any_link() {
        assert!(wants_projector("profile=projector"));
        assert!(wants_projector(
            "?scenario=first-slo&role=sre&seed=1&profile=projector"
        ));
        assert!(!wants_projector("profile=projectors"));
        assert!(!wants_projector(""));
        // The play link still opens the run with the profile in it.
        assert!(PlayParams::parse("scenario=first-slo&role=sre&seed=1&profile=projector").is_ok());
    }

    #[test]
    fn every_problem_in_a_bad_link_is_named() {
        let error = PlayParams::parse("scenario=nope&role=wizard&seed=abc&partner=robot")
            .expect_err("invalid");
        assert!(error.contains("“robot” is not a bot"), "{error}");
        assert!(error.contains("no scenario “nope”"), "{error}");
        assert!(error.contains("“wizard” is not a role"), "{error}");
        assert!(error.contains("seed “abc”"), "{error}");
        let error = PlayParams::parse("").expect_err("empty");
        assert!(error.contains("names no scenario"), "{error}");
        assert!(error.contains("names no role"), "{error}");
        assert!(error.contains("names no seed"), "{error}");
        let error = PlayParams::parse("scenario=first-slo&role=sre&seed=-1").expect_err("negative");
        assert!(error.contains("seed “-1”"), "{error}");
    }
}
