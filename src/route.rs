//! Where a page lives in the URL, and the run a play link describes.
//!
//! `#/play?scenario=first-slo&role=sre&seed=42` opens a run directly; anything wrong in it
//! is explained to the player in words, never a blank page.

use ops_dojo_engine::{catalog, Role, Scenario};
use serde::Serialize;
use yew_router::prelude::*;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/play")]
    Play,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// A run as a link describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayParams {
    pub scenario: Scenario,
    pub role: Role,
    pub seed: u64,
}

impl PlayParams {
    /// Parses `scenario=…&role=…&seed=…` (order free, a leading `?` allowed).
    pub fn parse(query: &str) -> Result<PlayParams, String> {
        let mut scenario = None;
        let mut role = None;
        let mut seed = None;
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
                _ => {}
            }
        }
        let mut problems = Vec::new();
        let scenario = match scenario {
            None | Some("") => {
                problems.push("the link names no scenario (scenario=…)".to_string());
                None
            }
            Some(id) => match catalog::load(id) {
                Some(Ok(scenario)) => Some(scenario),
                Some(Err(error)) => {
                    problems.push(format!("scenario “{id}” could not be read: {error}"));
                    None
                }
                None => {
                    problems.push(format!(
                        "there is no scenario “{}” (available: {})",
                        shorten(id),
                        catalog::ids().collect::<Vec<_>>().join(", ")
                    ));
                    None
                }
            },
        };
        let role = match role {
            None | Some("") => {
                problems.push("the link names no role (role=devops or role=sre)".to_string());
                None
            }
            Some(text) => Role::parse(text).or_else(|| {
                problems.push(format!(
                    "“{}” is not a role: use role=devops or role=sre",
                    shorten(text)
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
                    shorten(text),
                    u64::MAX
                ));
                None
            }),
        };
        match (scenario, role, seed) {
            (Some(scenario), Some(role), Some(seed)) => Ok(PlayParams {
                scenario,
                role,
                seed,
            }),
            _ => Err(format!(
                "This link cannot start a run: {}.",
                problems.join("; ")
            )),
        }
    }
}

/// The query part of a play link, as the router writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlayQuery<'a> {
    pub scenario: &'a str,
    pub role: &'static str,
    pub seed: u64,
    /// Display profile carried over from the page the run was started from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'static str>,
}

impl<'a> PlayQuery<'a> {
    pub fn new(scenario: &'a str, role: Role, seed: u64) -> Self {
        Self {
            scenario,
            role: role.id(),
            seed,
            profile: None,
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

/// Keeps echoed URL text short and free of markup-looking noise.
fn shorten(text: &str) -> String {
    let cleaned: String = text.chars().filter(|c| !c.is_control()).take(40).collect();
    if text.chars().count() > 40 {
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
        assert_eq!(params.role, Role::Sre);
        assert_eq!(params.seed, 42);
        assert_eq!(params.scenario.id.0, "first-slo");
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
        let error = PlayParams::parse("scenario=nope&role=wizard&seed=abc").expect_err("invalid");
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
