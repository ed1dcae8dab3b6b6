//! Objectives as a scenario file writes them (`[[objectives]]` with a `kind`). How a run
//! meets them is the business of `objectives.rs`, one layer up.

use serde::{Deserialize, Serialize};

use super::values::{Bounded, Ratio};

/// One objective as a scenario file writes it (`[[objectives]]` with a `kind`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "RawObjective"
)]
pub enum ObjectiveSpec {
    /// End the run with every SLO inside its error budget.
    SlosMet,
    /// End the run with at least this share of the headline SLO's budget left.
    BudgetLeft { at_least: Ratio },
    /// Have at least this many features in users' hands at the end.
    FeaturesShipped { at_least: Bounded<1, 100> },
    /// Wake the on-call at most this many times (pages at night, 22:00–07:00).
    NightPages { at_most: Bounded<0, 1000> },
    /// Keep toil at or under this share of both teams' hours.
    ToilShare { at_most: Ratio },
}

/// An objective as read, before its kind decides which number it needs. Read flat rather
/// than as a tagged enum: serde's tagged enums buffer every field, which cost 14 KB of the
/// shipped wasm; this costs a fraction, with the same messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    kind: Kind,
    #[serde(default)]
    at_least: Option<f64>,
    #[serde(default)]
    at_most: Option<f64>,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    SlosMet,
    BudgetLeft,
    FeaturesShipped,
    NightPages,
    ToilShare,
}

impl TryFrom<RawObjective> for ObjectiveSpec {
    type Error = String;

    fn try_from(raw: RawObjective) -> Result<Self, String> {
        // The one number each kind takes, by name; any other is refused as serde would.
        let (wanted, other) = match raw.kind {
            Kind::SlosMet => (None, [("at_least", raw.at_least), ("at_most", raw.at_most)]),
            Kind::BudgetLeft | Kind::FeaturesShipped => (
                Some(("at_least", raw.at_least)),
                [("at_most", raw.at_most), ("", None)],
            ),
            Kind::NightPages | Kind::ToilShare => (
                Some(("at_most", raw.at_most)),
                [("at_least", raw.at_least), ("", None)],
            ),
        };
        if let Some((name, _)) = other.iter().find(|(_, v)| v.is_some()) {
            return Err(format!("unknown field `{name}` for this kind of objective"));
        }
        let value = match wanted {
            None => 0.0,
            Some((name, value)) => value.ok_or_else(|| format!("missing field `{name}`"))?,
        };
        let ratio = || {
            (0.0..=1.0)
                .contains(&value)
                .then_some(Ratio(value))
                .ok_or_else(|| format!("expected a number from 0 to 1, found {value}"))
        };
        let whole = |min: u32, max: u32| {
            (value.fract() == 0.0 && (f64::from(min)..=f64::from(max)).contains(&value))
                .then_some(value as u32)
                .ok_or_else(|| {
                    format!("expected a whole number from {min} to {max}, found {value}")
                })
        };
        Ok(match raw.kind {
            Kind::SlosMet => ObjectiveSpec::SlosMet,
            Kind::BudgetLeft => ObjectiveSpec::BudgetLeft { at_least: ratio()? },
            Kind::FeaturesShipped => ObjectiveSpec::FeaturesShipped {
                at_least: Bounded(whole(1, 100)?),
            },
            Kind::NightPages => ObjectiveSpec::NightPages {
                at_most: Bounded(whole(0, 1000)?),
            },
            Kind::ToilShare => ObjectiveSpec::ToilShare { at_most: ratio()? },
        })
    }
}
