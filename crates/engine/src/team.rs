//! Engineer-hours: what each team has, what toil takes, and what investments cost.
//!
//! Hours accrue through the day (engineers × focused hours a day). Toil must be done, so it
//! is paid even into debt; engineering work (features, automation, postmortems) needs the
//! hours first. Toil and on-call numbers follow the SRE book (DOMAIN.md, "Toil, on-call").

use serde::{Deserialize, Serialize};

use crate::clock::TICKS_PER_DAY;
use crate::scenario::{Role, TeamSpec};

/// Work that costs hours now and pays later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Investment {
    /// DevOps: more automated tests; each level halves the chance a defect ships (2 levels).
    TestCoverage,
    /// DevOps: the pipeline builds, tests, rolls out and back in half the time, and
    /// deploys need no manual steps.
    DeployAutomation,
    /// DevOps: dashboards and tracing; the canary analysis notices smaller slowdowns.
    Observability,
    /// SRE: runbooks for the known failures; fail-overs and rollbacks go faster.
    Runbooks,
    /// SRE: certificates renew themselves (no certificate-expiry fault any more).
    AutomateCertificates,
    /// SRE: old logs and files are cleaned up by a job (no disk-full fault any more).
    AutomateDiskCleanup,
    /// SRE: leaking processes are recycled before they crash (no memory-leak fault, and a
    /// leaking deploy does not crash); restarts need no one.
    AutomateRestarts,
}

impl Investment {
    pub const ALL: [Investment; 7] = [
        Investment::TestCoverage,
        Investment::DeployAutomation,
        Investment::Observability,
        Investment::Runbooks,
        Investment::AutomateCertificates,
        Investment::AutomateDiskCleanup,
        Investment::AutomateRestarts,
    ];

    /// Engineer-hours it costs.
    pub fn hours(self) -> f64 {
        match self {
            Investment::TestCoverage => 24.0,
            Investment::DeployAutomation => 32.0,
            Investment::Observability => 16.0,
            Investment::Runbooks => 12.0,
            Investment::AutomateCertificates => 10.0,
            Investment::AutomateDiskCleanup => 8.0,
            Investment::AutomateRestarts => 12.0,
        }
    }

    /// The team whose hours it takes.
    pub fn role(self) -> Role {
        match self {
            Investment::TestCoverage | Investment::DeployAutomation | Investment::Observability => {
                Role::Devops
            }
            _ => Role::Sre,
        }
    }

    /// How many times it can be bought.
    pub fn levels(self) -> u8 {
        match self {
            Investment::TestCoverage => 2,
            _ => 1,
        }
    }

    /// Stable name (as in the action log, with dashes).
    pub fn id(self) -> &'static str {
        match self {
            Investment::TestCoverage => "test-coverage",
            Investment::DeployAutomation => "deploy-automation",
            Investment::Observability => "observability",
            Investment::Runbooks => "runbooks",
            Investment::AutomateCertificates => "automate-certificates",
            Investment::AutomateDiskCleanup => "automate-disk-cleanup",
            Investment::AutomateRestarts => "automate-restarts",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Investment::TestCoverage => "Test coverage",
            Investment::DeployAutomation => "Deploy automation",
            Investment::Observability => "Observability",
            Investment::Runbooks => "Runbooks",
            Investment::AutomateCertificates => "Automate certificate renewal",
            Investment::AutomateDiskCleanup => "Automate disk clean-up",
            Investment::AutomateRestarts => "Automate restarts",
        }
    }

    /// What it buys, for the action panel.
    pub fn explain(self) -> &'static str {
        match self {
            Investment::TestCoverage => "halves the chance a feature ships with a defect",
            Investment::DeployAutomation => {
                "halves build, test, rollout and rollback times; no manual deploy toil"
            }
            Investment::Observability => {
                "the canary analysis notices a 10 % slowdown instead of 25 %"
            }
            Investment::Runbooks => "fail-overs and rollbacks take half as long",
            Investment::AutomateCertificates => {
                "no more manual renewals, and no certificate expires"
            }
            Investment::AutomateDiskCleanup => "no more manual clean-ups, and no disk fills up",
            Investment::AutomateRestarts => {
                "leaking processes are recycled before they slow down; no manual restarts"
            }
        }
    }

    /// Its place in [`Investment::ALL`]: the declaration order, which `ALL` follows (a test
    /// checks), so no search on the per-tick paths that ask what was bought.
    #[inline(always)]
    fn code(self) -> usize {
        self as usize
    }

    /// Byte for the action encoding.
    pub fn tag(self) -> u32 {
        self.code() as u32
    }
}

/// Kinds of toil, each with its hours (automating one removes them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Toil {
    /// Renewing certificates: 1 hour per service per week.
    CertificateRenewal,
    /// Cleaning disks: 15 minutes per service per day.
    DiskCleanup,
    /// A manual restart: 30 minutes.
    ManualRestart,
    /// The manual steps of a deploy without automation: 1 hour.
    ManualDeploy,
    /// Answering a page: 2 hours of interrupt work per incident (SRE book: ~6 h with the
    /// postmortem, which is counted apart).
    IncidentResponse,
}

impl Toil {
    pub fn hours(self) -> f64 {
        match self {
            Toil::CertificateRenewal => 1.0 / 7.0,
            Toil::DiskCleanup => 0.25,
            Toil::ManualRestart => 0.5,
            Toil::ManualDeploy => 1.0,
            Toil::IncidentResponse => 2.0,
        }
    }
}

/// Hours a postmortem takes to write.
pub const POSTMORTEM_HOURS: f64 = 4.0;

/// One team's hours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Hours {
    /// Engineers in the team.
    pub engineers: u32,
    /// Hours free for engineering now (negative: toil ran into overtime).
    pub available: f64,
    /// Hours the team had over the run so far.
    pub accrued: f64,
    /// Of those, hours spent on toil.
    pub toil: f64,
    /// Hours spent on engineering (features, investments, postmortems).
    pub engineering: f64,
}

/// Both teams, their investments and the toil they carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Team {
    pub devops: Hours,
    pub sre: Hours,
    hours_per_engineer_per_tick: f64,
    /// Levels bought, indexed like `Investment::ALL`.
    bought: [u8; 7],
}

/// Unspent hours stop piling up after a week's worth (people do other things).
const MAX_BANKED_DAYS: f64 = 5.0;

impl Team {
    pub fn new(spec: &TeamSpec) -> Self {
        let per_day = spec.hours_per_engineer_per_day.0;
        // Each team starts the run with a day of hours to spend.
        let hours = |engineers: u32| Hours {
            engineers,
            available: f64::from(engineers) * per_day,
            ..Hours::default()
        };
        Self {
            devops: hours(spec.devops_engineers.0),
            sre: hours(spec.sre_engineers.0),
            hours_per_engineer_per_tick: per_day / f64::from(TICKS_PER_DAY),
            bought: [0; 7],
        }
    }

    pub fn hours(&self, role: Role) -> &Hours {
        match role {
            Role::Devops => &self.devops,
            Role::Sre => &self.sre,
        }
    }

    fn hours_mut(&mut self, role: Role) -> &mut Hours {
        match role {
            Role::Devops => &mut self.devops,
            Role::Sre => &mut self.sre,
        }
    }

    /// One tick of work time for both teams.
    pub fn accrue(&mut self) {
        let per_tick = self.hours_per_engineer_per_tick;
        for hours in [&mut self.devops, &mut self.sre] {
            let gained = f64::from(hours.engineers) * per_tick;
            hours.accrued += gained;
            let cap =
                f64::from(hours.engineers) * per_tick * f64::from(TICKS_PER_DAY) * MAX_BANKED_DAYS;
            hours.available = (hours.available + gained).min(cap.max(hours.available));
        }
    }

    /// Levels of an investment bought.
    pub fn level(&self, investment: Investment) -> u8 {
        self.bought[investment.code()]
    }

    pub fn has(&self, investment: Investment) -> bool {
        self.level(investment) > 0
    }

    /// Why `role` cannot spend `hours` on `on` now, if it cannot.
    pub fn check_spend(&self, role: Role, hours: f64, on: &str) -> Result<(), String> {
        let team = self.hours(role);
        if team.available + 1e-9 < hours {
            return Err(format!(
                "not enough {} engineer-hours for {on}: it takes {hours:.0} h, the team has {:.1} h free",
                role.label(),
                team.available.max(0.0)
            ));
        }
        Ok(())
    }

    /// Spends engineering hours, or says why not.
    pub fn spend(&mut self, role: Role, hours: f64, on: &str) -> Result<(), String> {
        self.check_spend(role, hours, on)?;
        let team = self.hours_mut(role);
        team.available -= hours;
        team.engineering += hours;
        Ok(())
    }

    /// Why `investment` cannot be bought now, if it cannot.
    pub fn check_invest(&self, investment: Investment) -> Result<(), String> {
        if self.level(investment) >= investment.levels() {
            return Err(format!("{} is already done", investment.label()));
        }
        self.check_spend(investment.role(), investment.hours(), investment.label())
    }

    /// Buys an investment: its hours, then its effect.
    pub fn invest(&mut self, investment: Investment) -> Result<(), String> {
        self.check_invest(investment)?;
        self.spend(investment.role(), investment.hours(), investment.label())?;
        self.bought[investment.code()] += 1;
        Ok(())
    }

    /// Does toil (paid even into overtime) unless it is automated; returns hours spent.
    pub fn toil(&mut self, toil: Toil, times: f64) -> f64 {
        let automated = match toil {
            Toil::CertificateRenewal => self.has(Investment::AutomateCertificates),
            Toil::DiskCleanup => self.has(Investment::AutomateDiskCleanup),
            Toil::ManualRestart => self.has(Investment::AutomateRestarts),
            Toil::ManualDeploy => self.has(Investment::DeployAutomation),
            Toil::IncidentResponse => false,
        };
        if automated {
            return 0.0;
        }
        let role = if toil == Toil::ManualDeploy {
            Role::Devops
        } else {
            Role::Sre
        };
        let hours = toil.hours() * times;
        let team = self.hours_mut(role);
        team.available -= hours;
        team.toil += hours;
        hours
    }

    /// Factor on each feature's defect chance from test coverage (DOMAIN.md: tests catch
    /// defects before production; here each level halves the chance).
    pub fn test_factor(&self) -> f64 {
        crate::math::powf(0.5, f64::from(self.level(Investment::TestCoverage)))
    }

    /// Share of both teams' hours spent on toil so far (SRE book: keep it under 50 %).
    pub fn toil_share(&self) -> f64 {
        let accrued = self.devops.accrued + self.sre.accrued;
        if accrued <= 0.0 {
            0.0
        } else {
            (self.devops.toil + self.sre.toil) / accrued
        }
    }
}

/// Ticks in one day's toil cycle (toil is booked once a day, at 09:00).
pub const TOIL_HOUR: u32 = 9;

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> Team {
        Team::new(&TeamSpec::default())
    }

    #[test]
    fn codes_are_places_in_the_list() {
        // The action log's tags and the `bought` table rely on it.
        for (place, investment) in Investment::ALL.iter().enumerate() {
            assert_eq!(investment.code(), place, "{investment:?}");
        }
    }

    #[test]
    fn automation_removes_its_toil_and_costs_hours_first() {
        let mut team = team();
        // Defaults: 2 SREs × 6 h: 12 h free at the start.
        assert_eq!(team.sre.available, 12.0);
        assert_eq!(team.toil(Toil::ManualRestart, 2.0), 1.0);
        assert_eq!(team.sre.toil, 1.0);
        assert!(
            team.invest(Investment::AutomateRestarts).is_err(),
            "11 h free, 12 h needed"
        );
        for _ in 0..TICKS_PER_DAY {
            team.accrue();
        }
        team.invest(Investment::AutomateRestarts)
            .expect("23 h free");
        assert_eq!(team.toil(Toil::ManualRestart, 2.0), 0.0, "automated");
        assert!(
            team.invest(Investment::AutomateRestarts).is_err(),
            "only once"
        );
    }

    #[test]
    fn test_levels_halve_the_defect_chance_twice() {
        let mut team = team();
        team.devops.available = 100.0;
        assert_eq!(team.test_factor(), 1.0);
        team.invest(Investment::TestCoverage).expect("100 h free");
        assert_eq!(team.test_factor(), 0.5);
        team.invest(Investment::TestCoverage).expect("100 h free");
        assert_eq!(team.test_factor(), 0.25);
        assert!(team.invest(Investment::TestCoverage).is_err());
    }

    #[test]
    fn toil_share_counts_both_teams() {
        let mut team = team();
        for _ in 0..TICKS_PER_DAY {
            team.accrue();
        }
        // A day: 4 × 6 + 2 × 6 = 36 h accrued; 9 h of toil is a quarter.
        team.toil(Toil::ManualDeploy, 3.0);
        team.toil(Toil::IncidentResponse, 3.0);
        assert!((team.toil_share() - 0.25).abs() < 1e-9);
    }
}
