//! The numbers a comparison puts side by side: one list of metrics, each with its unit and
//! which way is better, read from a run's summary. The class table, the side-by-side compare,
//! the many-seed spreads and the CSV exports all read this one list, so they always agree on
//! what a metric means.

use serde::Serialize;

use crate::outcomes::Tier;
use crate::report::Summary;

/// What a metric's number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A share from 0 to 1, shown as a percentage.
    Share,
    Count,
    Hours,
    Minutes,
    /// Product value points (a feature is worth 1 to 8).
    Points,
}

impl Unit {
    /// The unit as written after a number ("%", "h"); empty for counts.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Share => "%",
            Unit::Count => "",
            Unit::Hours => "h",
            Unit::Minutes => "min",
            Unit::Points => "points",
        }
    }
}

/// Which way a metric improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// One metric of the scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metric {
    /// Stable name, used as a CSV column.
    pub id: &'static str,
    pub label: &'static str,
    /// Which job the metric speaks for first: SRE, DevOps, or the product (users and value).
    pub side: Side,
    pub unit: Unit,
    pub better: Better,
}

/// Whose outcome a metric mostly tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Sre,
    Devops,
    Product,
}

impl Side {
    pub fn label(self) -> &'static str {
        match self {
            Side::Sre => "Reliability (SRE)",
            Side::Devops => "Delivery (DevOps, DORA)",
            Side::Product => "Users and product",
        }
    }
}

const fn metric(
    id: &'static str,
    label: &'static str,
    side: Side,
    unit: Unit,
    better: Better,
) -> Metric {
    Metric {
        id,
        label,
        side,
        unit,
        better,
    }
}

/// Every metric, in the order tables show them.
pub const METRICS: [Metric; 15] = [
    metric(
        "slo_attainment",
        "SLO attainment",
        Side::Sre,
        Unit::Share,
        Better::Higher,
    ),
    metric(
        "budget_left",
        "Error budget left",
        Side::Sre,
        Unit::Share,
        Better::Higher,
    ),
    metric("pages", "Pages", Side::Sre, Unit::Count, Better::Lower),
    metric(
        "pages_night",
        "Pages at night",
        Side::Sre,
        Unit::Count,
        Better::Lower,
    ),
    metric(
        "mttr_median",
        "MTTR (median)",
        Side::Sre,
        Unit::Minutes,
        Better::Lower,
    ),
    metric(
        "toil_share",
        "Toil share",
        Side::Sre,
        Unit::Share,
        Better::Lower,
    ),
    metric(
        "deployments",
        "Deployments",
        Side::Devops,
        Unit::Count,
        Better::Higher,
    ),
    metric(
        "lead_time_median",
        "Lead time (median)",
        Side::Devops,
        Unit::Hours,
        Better::Lower,
    ),
    metric(
        "change_failure_rate",
        "Change fail rate",
        Side::Devops,
        Unit::Share,
        Better::Lower,
    ),
    metric(
        "recovery_median",
        "Failed deploy recovery (median)",
        Side::Devops,
        Unit::Minutes,
        Better::Lower,
    ),
    metric(
        "features_shipped",
        "Features in users' hands",
        Side::Product,
        Unit::Count,
        Better::Higher,
    ),
    metric(
        "feature_value",
        "Value shipped",
        Side::Product,
        Unit::Points,
        Better::Higher,
    ),
    metric(
        "failed_requests",
        "Failed requests",
        Side::Product,
        Unit::Count,
        Better::Lower,
    ),
    metric(
        "impaired_minutes",
        "Impaired minutes (outage-equivalent)",
        Side::Product,
        Unit::Minutes,
        Better::Lower,
    ),
    metric(
        "replica_hours",
        "Replica-hours (cost)",
        Side::Product,
        Unit::Hours,
        Better::Lower,
    ),
];

/// The DORA tiers from lowest to highest (their numbers in [`Scorecard::to_numbers`]).
const TIERS: [Tier; 4] = [Tier::Low, Tier::Medium, Tier::High, Tier::Elite];

/// A run's values for [`METRICS`], in the same order; None where a run has no value (no
/// deployments means no lead time, no incident means no MTTR).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub values: Vec<Option<f64>>,
    /// The DORA 2024 tier (the weakest of the four keys); None without deployments.
    pub tier: Option<Tier>,
}

impl Scorecard {
    pub fn of(summary: &Summary) -> Self {
        let slo = summary.slos.first();
        let values = METRICS
            .iter()
            .map(|metric| match metric.id {
                "slo_attainment" => slo.map(|s| s.attainment),
                "budget_left" => slo.map(|s| s.budget_remaining),
                "pages" => Some(f64::from(summary.alerts.pages)),
                "pages_night" => Some(f64::from(summary.alerts.pages_night)),
                "mttr_median" => summary.incidents.mttr_minutes_median,
                "toil_share" => Some(summary.team.toil_share),
                "deployments" => Some(f64::from(summary.dora.deployments)),
                "lead_time_median" => summary.dora.lead_time_hours_median,
                "change_failure_rate" => summary.dora.change_failure_rate,
                "recovery_median" => summary.dora.recovery_time_minutes_median,
                "features_shipped" => Some(f64::from(summary.features.shipped)),
                "feature_value" => Some(f64::from(summary.features.value)),
                "failed_requests" => Some(summary.user_impact.failed_requests as f64),
                "impaired_minutes" => Some(summary.user_impact.impaired_minutes),
                "replica_hours" => Some(summary.cost.replica_hours),
                other => unreachable!("metric {other} has no reading"),
            })
            .collect();
        Self {
            values,
            tier: summary.dora.tier,
        }
    }

    /// The card as plain numbers, to cross from a Web Worker to the page: the values in
    /// [`METRICS`] order, then the tier (0 = low … 3 = elite); NaN where there is none.
    pub fn to_numbers(&self) -> Vec<f64> {
        let tier = self.tier.map(|t| TIERS.iter().position(|&x| x == t));
        self.values
            .iter()
            .copied()
            .chain([tier.flatten().map(|i| i as f64)])
            .map(|v| v.unwrap_or(f64::NAN))
            .collect()
    }

    /// A card from [`Scorecard::to_numbers`]; None if the numbers do not make one.
    pub fn from_numbers(numbers: &[f64]) -> Option<Self> {
        let (tier, values) = numbers.split_last()?;
        if values.len() != METRICS.len() {
            return None;
        }
        let present = |v: f64| (!v.is_nan()).then_some(v);
        Some(Self {
            values: values.iter().map(|&v| present(v)).collect(),
            tier: present(*tier)
                .filter(|i| *i >= 0.0 && i.fract() == 0.0)
                .and_then(|i| TIERS.get(i as usize).copied()),
        })
    }

    /// The value of the metric named `id`.
    pub fn get(&self, id: &str) -> Option<f64> {
        let index = METRICS.iter().position(|m| m.id == id)?;
        self.values[index]
    }
}

/// The spread of every metric (in [`METRICS`] order) over a group of runs.
pub fn spreads(cards: &[&Scorecard]) -> Vec<Option<Spread>> {
    (0..METRICS.len())
        .map(|i| {
            let values: Vec<f64> = cards.iter().filter_map(|c| c.values[i]).collect();
            Spread::of(&values)
        })
        .collect()
}

/// The DORA tier most of a group reached ("High (3 of 5)"; "no deploys" counts as a tier).
pub fn usual_tier(cards: &[&Scorecard]) -> String {
    let tiers: Vec<&str> = cards
        .iter()
        .map(|c| c.tier.map_or("no deploys", |t| t.label()))
        .collect();
    let count = |tier: &&str| tiers.iter().filter(|t| *t == tier).count();
    tiers
        .iter()
        .max_by_key(|t| count(t))
        .map_or(String::new(), |t| {
            format!("{t} ({} of {})", count(t), tiers.len())
        })
}

/// Two groups played on the same seeds, compared seed by seed for one metric: on the same
/// seed both met the same traffic, backlog and faults, so only their choices differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Paired {
    pub first_better: usize,
    pub second_better: usize,
    pub tied: usize,
}

impl Paired {
    /// `first[k]` and `second[k]` are the same seed's values; a seed where either has no
    /// value is left out.
    pub fn of(first: &[Option<f64>], second: &[Option<f64>], better: Better) -> Self {
        let mut paired = Paired::default();
        for (a, b) in first.iter().zip(second) {
            let (Some(a), Some(b)) = (a, b) else { continue };
            let first_ahead = match better {
                Better::Higher => a > b,
                Better::Lower => a < b,
            };
            if a == b {
                paired.tied += 1;
            } else if first_ahead {
                paired.first_better += 1;
            } else {
                paired.second_better += 1;
            }
        }
        paired
    }
}

/// The spread of one metric over many runs (seeds): what a comparison needs to tell a real
/// difference from luck.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Runs that had a value.
    pub n: usize,
    pub min: f64,
    /// 10th percentile (nearest rank).
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
    pub max: f64,
    pub mean: f64,
}

impl Spread {
    /// The spread of `values`; None when there are none.
    pub fn of(values: &[f64]) -> Option<Self> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        crate::order::sort_by(&mut sorted, f64::total_cmp);
        let n = sorted.len();
        // Nearest rank: the smallest value with at least q of the runs at or below it.
        let rank = |q: f64| sorted[(crate::math::ceil(q * n as f64) as usize).clamp(1, n) - 1];
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Self {
            n,
            min: sorted[0],
            p10: rank(0.1),
            median,
            p90: rank(0.9),
            max: sorted[n - 1],
            mean: sorted.iter().sum::<f64>() / n as f64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_seeds_count_wins_by_which_way_is_better() {
        let first = [Some(1.0), Some(5.0), Some(3.0), None, Some(2.0)];
        let second = [Some(2.0), Some(4.0), Some(3.0), Some(9.0), None];
        assert_eq!(
            Paired::of(&first, &second, Better::Higher),
            Paired {
                first_better: 1,
                second_better: 1,
                tied: 1
            }
        );
        let lower = Paired::of(&first[..1], &second[..1], Better::Lower);
        assert_eq!((lower.first_better, lower.second_better), (1, 0));
    }

    #[test]
    fn ids_are_unique() {
        for (i, a) in METRICS.iter().enumerate() {
            assert!(
                METRICS[i + 1..].iter().all(|b| b.id != a.id),
                "{} twice",
                a.id
            );
        }
    }

    #[test]
    fn a_run_reads_into_every_metric() {
        let mut scenario = crate::catalog::load("friday-deploy")
            .expect("built in")
            .expect("parses");
        scenario.days = crate::scenario::Bounded(2);
        let mut sim = crate::Simulation::new(scenario, 3);
        sim.add_bot(crate::Role::Devops, crate::Policy::ShipFast);
        while sim.step().is_some() {}
        let summary = sim.summary();
        let card = Scorecard::of(&summary);
        assert_eq!(card.values.len(), METRICS.len());
        assert_eq!(
            Scorecard::from_numbers(&card.to_numbers()).as_ref(),
            Some(&card),
            "a card survives the trip through plain numbers"
        );
        assert_eq!(
            card.get("budget_left"),
            Some(summary.slos[0].budget_remaining)
        );
        assert_eq!(
            card.get("deployments"),
            Some(f64::from(summary.dora.deployments))
        );
        assert!(summary.dora.deployments > 0, "ship-fast ships in two days");
        assert_eq!(
            card.get("lead_time_median"),
            summary.dora.lead_time_hours_median
        );
        assert_eq!(card.tier, summary.dora.tier);
        assert_eq!(card.get("no such metric"), None);
    }

    #[test]
    fn spread_of_known_values() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let spread = Spread::of(&values).expect("values");
        assert_eq!(spread.n, 10);
        assert_eq!((spread.min, spread.max), (1.0, 10.0));
        assert_eq!(spread.median, 5.5);
        assert_eq!((spread.p10, spread.p90), (1.0, 9.0));
        assert!((spread.mean - 5.5).abs() < 1e-12);
        assert_eq!(
            Spread::of(&[3.0]).map(|s| (s.median, s.p90)),
            Some((3.0, 3.0))
        );
        assert_eq!(Spread::of(&[]), None);
        assert_eq!(Spread::of(&[f64::NAN]), None);
    }
}
