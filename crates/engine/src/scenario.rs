//! Scenario files: the TOML a teacher writes, parsed into checked values.
//!
//! Every field is checked while it is read, so an error carries the position of the value
//! that is wrong (`file:line:column: what was expected`), never a panic and never a silent
//! default. The format is versioned (`format = 1`); see `docs/scenario-format.md`.

use serde::{Deserialize, Deserializer, Serialize};
use thiserror::Error;

/// The scenario format version this engine reads.
pub const FORMAT_VERSION: u32 = 1;

/// A scenario: the world a run plays in.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version of the file; must be 1.
    pub format: Format,
    /// Short identifier used in links and on the command line, e.g. "first-slo".
    pub id: Identifier,
    pub title: String,
    /// What the player is told before starting (plain text).
    pub briefing: String,
    /// Concepts the scenario teaches, shown on its card.
    #[serde(default)]
    pub concepts: Vec<String>,
    /// 1 (first steps) to 5 (expert).
    pub difficulty: Bounded<1, 5>,
    /// Length of the run in simulated days.
    pub days: Bounded<1, 90>,
    /// Roles that can play it.
    pub roles: Vec<Role>,
    pub service: ServiceSpec,
    pub traffic: TrafficSpec,
    pub slo: SloSpec,
    pub delivery: DeliverySpec,
}

/// The one service of this first model.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub name: String,
    /// Replicas running when the run starts.
    pub replicas: Bounded<1, 200>,
    /// Requests per second one replica can serve; requests beyond capacity fail.
    pub capacity_rps: Positive,
    /// Share of requests that fail even when all is well (0–1).
    pub base_error_ratio: Ratio,
}

/// Open-loop traffic: a daily wave around a base rate, Poisson counts per tick.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficSpec {
    /// Mean arrival rate over a day, requests per second.
    pub base_rps: Positive,
    /// Relative height of the daily wave: 0 = flat, 0.5 = peak at 1.5 × base, trough 0.5 ×.
    pub diurnal_amplitude: Ratio,
    /// Hour of the day (0–24) when traffic peaks.
    pub peak_hour: HourOfDay,
    /// Growth of the daily mean per simulated day, as a share of `base_rps` (0 = none).
    #[serde(default = "no_growth")]
    pub growth_per_day: Ratio,
}

fn no_growth() -> Ratio {
    Ratio(0.0)
}

/// An availability SLO over a rolling window.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SloSpec {
    pub name: String,
    /// Target share of good requests, e.g. 0.999.
    pub target: Target,
    /// Rolling window in days (the workbook's default is 28).
    pub window_days: Bounded<1, 90>,
}

/// How shipping a feature can go wrong.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySpec {
    /// Chance that a shipped feature carries a defect (0–1).
    pub defect_probability: Ratio,
    /// Extra share of requests a typical defect makes fail (0–1); each defect draws
    /// between half and one and a half times this.
    pub defect_error_ratio: Ratio,
}

/// The player's job in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Ships features through the delivery pipeline.
    Devops,
    /// Keeps the service inside its SLOs.
    Sre,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Devops, Role::Sre];

    pub fn id(self) -> &'static str {
        match self {
            Role::Devops => "devops",
            Role::Sre => "sre",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Devops => "DevOps",
            Role::Sre => "SRE",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.id() == text)
    }
}

macro_rules! checked_value {
    ($(#[$doc:meta])* $name:ident($inner:ty), $expected:literal, |$v:ident| $ok:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let $v = <$inner>::deserialize(deserializer)?;
                if $ok {
                    Ok(Self($v))
                } else {
                    Err(serde::de::Error::custom(format!(
                        concat!("expected ", $expected, ", found {}"),
                        $v
                    )))
                }
            }
        }
    };
}

checked_value!(
    /// A number strictly above zero.
    Positive(f64), "a number above 0", |v| v.is_finite() && v > 0.0
);
checked_value!(
    /// A share from 0 to 1.
    Ratio(f64), "a number from 0 to 1", |v| (0.0..=1.0).contains(&v)
);
checked_value!(
    /// An SLO target: strictly between 0 and 1 (1 would leave no error budget at all).
    Target(f64), "a target between 0 and 1, e.g. 0.999 (1 leaves no error budget)",
    |v| v > 0.0 && v < 1.0
);
checked_value!(
    /// An hour of the day, 0 up to (not including) 24.
    HourOfDay(f64), "an hour of the day from 0 to 23.99", |v| (0.0..24.0).contains(&v)
);
checked_value!(
    /// The file format version.
    Format(u32), "format = 1 (the only version this Ops Dojo reads)", |v| v == FORMAT_VERSION
);

/// A whole number within `MIN..=MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Bounded<const MIN: u32, const MAX: u32>(pub u32);

impl<'de, const MIN: u32, const MAX: u32> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(deserializer)?;
        if (i64::from(MIN)..=i64::from(MAX)).contains(&value) {
            Ok(Self(value as u32))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected a whole number from {MIN} to {MAX}, found {value}"
            )))
        }
    }
}

/// An identifier: lowercase letters, digits and dashes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Identifier(pub String);

impl<'de> Deserialize<'de> for Identifier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let valid = !text.is_empty()
            && text.len() <= 40
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if valid {
            Ok(Self(text))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected an id of 1 to 40 lowercase letters, digits or dashes, found {text:?}"
            )))
        }
    }
}

/// A problem in a scenario file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{source_name}:{line}:{column}: {message}")]
pub struct ScenarioError {
    /// File name or other label of where the text came from.
    pub source_name: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column (in characters) of the problem.
    pub column: usize,
    pub message: String,
}

impl Scenario {
    /// Parses and checks a scenario. `source_name` labels errors (usually the file path).
    pub fn parse(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            let (line, column) = line_column(text, offset);
            ScenarioError {
                source_name: source_name.to_string(),
                line,
                column,
                message: error.message().trim().to_string(),
            }
        })?;
        scenario.check_whole(text, source_name)?;
        Ok(scenario)
    }

    /// Checks that need more than one field at a time.
    fn check_whole(&self, text: &str, source_name: &str) -> Result<(), ScenarioError> {
        let at_key = |key: &str, message: String| {
            let offset = find_key(text, key).unwrap_or(0);
            let (line, column) = line_column(text, offset);
            ScenarioError {
                source_name: source_name.to_string(),
                line,
                column,
                message,
            }
        };
        if self.roles.is_empty() {
            return Err(at_key(
                "roles",
                "expected at least one role: \"devops\" or \"sre\"".into(),
            ));
        }
        Ok(())
    }

    /// Ticks in the run.
    pub fn run_ticks(&self) -> u32 {
        self.days.0 * crate::clock::TICKS_PER_DAY
    }

    /// Ticks in the SLO window.
    pub fn window_ticks(&self) -> u32 {
        self.slo.window_days.0 * crate::clock::TICKS_PER_DAY
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of the first line that assigns `key` (for errors about a whole field).
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    None
}
