//! Where a page lives in the URL, and the run a play link describes.
//!
//! `#/play?scenario=first-slo&role=sre&seed=42` opens a run directly; anything wrong in it
//! is explained to the player in words, never a blank page.

use ops_dojo_engine::play_link::PlayFields;
pub use ops_dojo_engine::play_link::{query_value, shorten, PlayQuery, Seat, DEFAULT_PARTNER};
use ops_dojo_engine::{catalog, Policy, Scenario};
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
    /// The alert lab: an OpenSLO SLO of one's own, run through incidents.
    AlertLab,
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
            Route::AlertLab => "/alert-lab",
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
            "/alert-lab" => Route::AlertLab,
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
    /// Parses `scenario=…&role=…&seed=…` (order free, a leading `?` allowed) through the
    /// engine's one reader of play links, then finds the scenario (built in, or loaded in
    /// this browser). Every problem is named, in the link's order.
    pub fn parse(query: &str) -> Result<PlayParams, String> {
        let fields = PlayFields::read(query);
        let scenario = fields
            .scenario
            .and_then(|id| match crate::own_scenarios::find(&id) {
                Some(Ok(scenario)) => Ok(scenario),
                Some(Err(error)) => Err(format!("scenario “{id}” could not be read: {error}")),
                None => Err(format!(
                    "there is no scenario “{}” (available: {})",
                    shorten(&id, 40),
                    catalog::ids().collect::<Vec<_>>().join(", ")
                )),
            });
        match (scenario, fields.seat, fields.partner, fields.seed) {
            (Ok(scenario), Ok(seat), Ok(partner), Ok(seed)) => Ok(PlayParams {
                scenario,
                seat,
                partner,
                seed,
            }),
            (scenario, seat, partner, seed) => {
                let problems: Vec<String> = [scenario.err(), seat.err(), partner.err(), seed.err()]
                    .into_iter()
                    .flatten()
                    .collect();
                Err(format!(
                    "This link cannot start a run: {}.",
                    problems.join("; ")
                ))
            }
        }
    }
}

/// Whether a query string asks for the projector profile (`profile=projector`).
pub fn wants_projector(query: &str) -> bool {
    query
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == "profile=projector")
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::Role;

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
        assert_eq!(Location::parse("#/alert-lab").route, Route::AlertLab);
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
