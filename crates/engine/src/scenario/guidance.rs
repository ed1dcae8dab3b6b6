//! Guidance steps as a scenario file writes them (`[[guidance]]`): a trigger (a time, or a
//! state of the run such as the budget falling below a share), a text and an optional hint.
//! When a trigger fires is the model's business (`guidance.rs`, one layer up).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::clock::{Tick, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE};

/// When a guidance step shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// At the start of the run.
    Start,
    /// At a time of the run: day (from 1), hour, minute.
    At { day: u32, hour: u32, minute: u32 },
    /// When the headline SLO's budget first falls below this share.
    BudgetBelow(f64),
    /// When the first page fires.
    FirstPage,
    /// When the first deploy reaches production.
    FirstDeployLive,
    /// When deploys freeze.
    DeploysFrozen,
    /// When the first incident is mitigated.
    IncidentMitigated,
}

const FORMS: &str = r#""start", "day 2 10:00", "budget below 50 %", "first page", "first deploy live", "deploys frozen" or "incident mitigated""#;

impl Trigger {
    /// Reads a trigger as a scenario file writes it.
    pub fn parse(text: &str) -> Result<Trigger, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let bad = || format!("expected a trigger: {FORMS}; found {text:?}");
        match words.as_slice() {
            ["start"] => Ok(Trigger::Start),
            ["first", "page"] => Ok(Trigger::FirstPage),
            ["first", "deploy", "live"] => Ok(Trigger::FirstDeployLive),
            ["deploys", "frozen"] => Ok(Trigger::DeploysFrozen),
            ["incident", "mitigated"] => Ok(Trigger::IncidentMitigated),
            ["budget", "below", share, rest @ ..] => {
                let written = [*share].into_iter().chain(rest.iter().copied());
                let percent =
                    parse_percent(&written.collect::<Vec<_>>().join(" ")).ok_or_else(bad)?;
                Ok(Trigger::BudgetBelow(percent / 100.0))
            }
            ["day", day, time] => {
                let day = crate::clock::parse_digits(day).ok_or_else(bad)?;
                let (hour, minute) = crate::clock::parse_hh_mm(time).ok_or_else(bad)?;
                if day == 0 {
                    return Err(bad());
                }
                Ok(Trigger::At { day, hour, minute })
            }
            _ => Err(bad()),
        }
    }

    /// The tick a time trigger names.
    pub fn tick(&self) -> Option<Tick> {
        match *self {
            Trigger::At { day, hour, minute } => {
                Some((day - 1) * TICKS_PER_DAY + hour * TICKS_PER_HOUR + minute * TICKS_PER_MINUTE)
            }
            _ => None,
        }
    }
}

/// Reads a percentage written "50 %" or "50%" (digits, an optional decimal part, then one
/// percent sign, with at most one space before it) from 0 to 100. The one reader of
/// percentages in scenario files, and a strict one: "50%%" or "+5 %" are refused.
pub fn parse_percent(text: &str) -> Option<f64> {
    let number = text.strip_suffix('%')?;
    let number = number.strip_suffix(' ').unwrap_or(number);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || whole.len() > 3 {
        return None;
    }
    let percent: f64 = number.parse().ok()?;
    (0.0..=100.0).contains(&percent).then_some(percent)
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trigger::Start => write!(f, "start"),
            Trigger::At { day, hour, minute } => write!(f, "day {day} {hour:02}:{minute:02}"),
            Trigger::BudgetBelow(share) => write!(f, "budget below {} %", share * 100.0),
            Trigger::FirstPage => write!(f, "first page"),
            Trigger::FirstDeployLive => write!(f, "first deploy live"),
            Trigger::DeploysFrozen => write!(f, "deploys frozen"),
            Trigger::IncidentMitigated => write!(f, "incident mitigated"),
        }
    }
}

impl<'de> Deserialize<'de> for Trigger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Trigger::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Trigger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One guidance step of a scenario (`[[guidance]]`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuidanceSpec {
    /// Kept with its place in the file, so a time past the run's end is reported there.
    pub when: super::Spanned<Trigger>,
    /// What to look at now (plain text).
    pub text: String,
    /// A nudge towards what to do, shown only when asked for.
    #[serde(default)]
    pub hint: Option<String>,
}
