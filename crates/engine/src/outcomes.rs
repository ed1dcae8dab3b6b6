//! Outcomes of a run: delivery performance (DORA), the teams' load, what users and the
//! business got, and what it cost. Definitions and tiers: DOMAIN.md, "DORA metrics".

use serde::Serialize;

use crate::clock::{Tick, TICKS_PER_DAY, TICKS_PER_HOUR};
use crate::delivery::Deploy;
use crate::incident::median;

/// A 2024 State of DevOps performance cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Low,
    Medium,
    High,
    Elite,
}

impl Tier {
    pub fn label(self) -> &'static str {
        match self {
            Tier::Low => "Low",
            Tier::Medium => "Medium",
            Tier::High => "High",
            Tier::Elite => "Elite",
        }
    }

    /// Deploy frequency: elite on demand (≥ daily here), high daily–weekly, medium
    /// weekly–monthly, low less often.
    pub fn of_frequency(per_day: f64) -> Tier {
        if per_day >= 1.0 {
            Tier::Elite
        } else if per_day >= 1.0 / 7.0 {
            Tier::High
        } else if per_day >= 1.0 / 30.0 {
            Tier::Medium
        } else {
            Tier::Low
        }
    }

    /// Lead time: elite < 1 day, high < 1 week, medium < 1 month.
    pub fn of_lead_time(hours: f64) -> Tier {
        if hours < 24.0 {
            Tier::Elite
        } else if hours < 168.0 {
            Tier::High
        } else if hours < 720.0 {
            Tier::Medium
        } else {
            Tier::Low
        }
    }

    /// Change fail rate: the clusters sit at 5 % (elite), 10 % (medium), 20 % (high) and
    /// 40 % (low) — not in tier order — so a rate goes to the nearest cluster.
    pub fn of_change_failure(rate: f64) -> Tier {
        if rate < 0.075 {
            Tier::Elite
        } else if rate < 0.15 {
            Tier::Medium
        } else if rate < 0.30 {
            Tier::High
        } else {
            Tier::Low
        }
    }

    /// Recovery time: elite < 1 hour, high and medium < 1 day, low beyond.
    pub fn of_recovery(minutes: f64) -> Tier {
        if minutes < 60.0 {
            Tier::Elite
        } else if minutes < 1440.0 {
            Tier::High
        } else {
            Tier::Low
        }
    }
}

/// The four DORA keys (and the 2024 rework rate) over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dora {
    /// Deploys that reached production, hotfixes included.
    pub deployments: u32,
    pub deployment_frequency_per_day: f64,
    /// Median hours from commit to production; None without deployments.
    pub lead_time_hours_median: Option<f64>,
    /// Share of deployments that needed an intervention (rollback, hotfix, kill switch) or
    /// whose defect reached users.
    pub change_failure_rate: Option<f64>,
    /// Median minutes from a failed deployment reaching users to their recovery.
    pub recovery_time_minutes_median: Option<f64>,
    /// Share of deployments that were unplanned fixes (hotfixes).
    pub rework_rate: Option<f64>,
    /// Changes the canary analysis stopped before they reached everyone.
    pub stopped_by_canary: u32,
    /// The weakest tier of the metrics measured; None without deployments.
    pub tier: Option<Tier>,
}

impl Dora {
    /// From a run's deploys, after `ticks` simulated ticks.
    pub fn of(deploys: &[Deploy], ticks: Tick) -> Self {
        let hours = |from: Tick, to: Tick| f64::from(to - from) / f64::from(TICKS_PER_HOUR);
        let deployed: Vec<&Deploy> = deploys.iter().filter(|d| d.live_at.is_some()).collect();
        let n = deployed.len() as u32;
        let days = f64::from(ticks.max(1)) / f64::from(TICKS_PER_DAY);
        let frequency = f64::from(n) / days;
        let lead_time = median(
            deployed
                .iter()
                .map(|d| hours(d.committed_at, d.live_at.expect("filtered")))
                .collect(),
        );
        // A change failed if someone had to intervene, or if its defect reached users even
        // though nobody did (a dark flag that never went on harmed no one).
        let failed: Vec<&&Deploy> = deployed
            .iter()
            .filter(|d| {
                d.failed_at.is_some()
                    || (d.defect_shipped.is_some()
                        && (d.strategy != crate::delivery::Strategy::FeatureFlag || d.flag_on))
            })
            .collect();
        let share = |k: usize| (n > 0).then(|| k as f64 / f64::from(n));
        let change_failure_rate = share(failed.len());
        let recovery = median(
            failed
                .iter()
                .filter_map(|d| Some(hours(d.live_at?, d.recovered_at?) * 60.0))
                .collect(),
        );
        let rework_rate = share(deployed.iter().filter(|d| d.hotfix_of.is_some()).count());
        let tier = (n > 0).then(|| {
            let mut tiers = vec![Tier::of_frequency(frequency)];
            tiers.extend(lead_time.map(Tier::of_lead_time));
            tiers.extend(change_failure_rate.map(Tier::of_change_failure));
            tiers.extend(recovery.map(Tier::of_recovery));
            tiers.into_iter().min().expect("one tier at least")
        });
        Dora {
            deployments: n,
            deployment_frequency_per_day: frequency,
            lead_time_hours_median: lead_time,
            change_failure_rate,
            recovery_time_minutes_median: recovery,
            rework_rate,
            stopped_by_canary: deploys
                .iter()
                .filter(|d| d.stage == crate::delivery::Stage::StoppedByCanary)
                .count() as u32,
            tier,
        }
    }
}

/// The teams' load.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamOutcome {
    /// Share of both teams' hours spent on toil (SRE book: keep under 50 %).
    pub toil_share: f64,
    pub toil_hours: f64,
    pub pages_day: u32,
    pub pages_night: u32,
    pub incidents: u32,
    /// Hours each team had free at the end.
    pub devops_hours_free: f64,
    pub sre_hours_free: f64,
}

/// What the business got.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureOutcome {
    /// Features in users' hands at the end (live; for flags, switched on).
    pub shipped: u32,
    /// Their value, points.
    pub value: u32,
    /// Features still in the backlog.
    pub backlog_left: u32,
}

/// What users suffered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserImpact {
    pub failed_requests: u64,
    /// User-minutes of impairment as minutes of full outage: Σ over the run of the share
    /// of requests failing × minutes (10 minutes at 30 % failing count 3).
    pub impaired_minutes: f64,
}

/// What the run cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cost {
    /// Replicas × hours, every service (blue/green's second fleet included).
    pub replica_hours: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::{Stage, Strategy};

    fn deploy(number: u32, committed: Tick, live: Option<Tick>) -> Deploy {
        Deploy {
            number,
            feature: Some(number),
            hotfix_of: None,
            strategy: Strategy::AllAtOnce,
            committed_at: committed,
            stage: if live.is_some() {
                Stage::Live
            } else {
                Stage::Build
            },
            stage_ends: 0,
            exposure: 1.0,
            live_at: live,
            flag_on: false,
            defect: None,
            defect_shipped: None,
            failed_at: None,
            recovered_at: None,
            blue_until: None,
            leak_since: 0,
        }
    }

    #[test]
    fn dora_of_a_hand_built_week() {
        let h = TICKS_PER_HOUR;
        // 7 days; 4 deploys reach production, one more is still building.
        let mut deploys = vec![
            deploy(1, 0, Some(h)),           // lead 1 h
            deploy(2, 10 * h, Some(12 * h)), // lead 2 h, fails, recovers in 30 min
            deploy(3, 30 * h, Some(34 * h)), // lead 4 h
            deploy(4, 40 * h, Some(48 * h)), // lead 8 h: a hotfix of #2
            deploy(5, 100 * h, None),
        ];
        deploys[1].failed_at = Some(12 * h + 6);
        deploys[1].recovered_at = Some(12 * h + h / 2);
        deploys[3].hotfix_of = Some(2);
        let dora = Dora::of(&deploys, 7 * TICKS_PER_DAY);
        assert_eq!(dora.deployments, 4);
        assert!((dora.deployment_frequency_per_day - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(
            dora.lead_time_hours_median,
            Some(3.0),
            "median of 1, 2, 4, 8"
        );
        assert_eq!(dora.change_failure_rate, Some(0.25));
        assert_eq!(dora.recovery_time_minutes_median, Some(30.0));
        assert_eq!(dora.rework_rate, Some(0.25));
        // Frequency: high (weekly–daily); lead: elite; 25 % fails: high; 30 min: elite.
        assert_eq!(dora.tier, Some(Tier::High));
    }

    #[test]
    fn no_deployments_no_tier() {
        let dora = Dora::of(&[deploy(1, 0, None)], TICKS_PER_DAY);
        assert_eq!((dora.deployments, dora.tier), (0, None));
        assert_eq!(dora.change_failure_rate, None);
    }

    #[test]
    fn tiers_follow_the_2024_table() {
        assert_eq!(Tier::of_frequency(3.0), Tier::Elite);
        assert_eq!(Tier::of_frequency(0.2), Tier::High);
        assert_eq!(Tier::of_frequency(0.05), Tier::Medium);
        assert_eq!(Tier::of_frequency(0.01), Tier::Low);
        assert_eq!(Tier::of_lead_time(23.0), Tier::Elite);
        assert_eq!(Tier::of_lead_time(100.0), Tier::High);
        assert_eq!(Tier::of_lead_time(500.0), Tier::Medium);
        assert_eq!(Tier::of_lead_time(1000.0), Tier::Low);
        assert_eq!(Tier::of_change_failure(0.05), Tier::Elite);
        assert_eq!(Tier::of_change_failure(0.10), Tier::Medium);
        assert_eq!(Tier::of_change_failure(0.20), Tier::High);
        assert_eq!(Tier::of_change_failure(0.40), Tier::Low);
        assert_eq!(Tier::of_recovery(30.0), Tier::Elite);
        assert_eq!(Tier::of_recovery(300.0), Tier::High);
        assert_eq!(Tier::of_recovery(3000.0), Tier::Low);
    }
}
