//! Guidance: a scenario's steps, each shown when its trigger first happens (a time, or a
//! state of the run such as the budget falling below a share), with an optional hint that
//! the player opens only if they want it — guiding without giving the answer away.

use crate::clock::Tick;
pub use crate::scenario::{parse_percent, GuidanceSpec, Trigger};

/// What the run shows now, for triggers to look at.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub tick: Tick,
    pub budget_remaining: f64,
    pub pages: u32,
    pub deploys_live: bool,
    pub frozen: bool,
    pub incidents_mitigated: bool,
}

impl Trigger {
    /// Whether the trigger has happened by `now`.
    pub fn fired(&self, now: &Now) -> bool {
        match self {
            Trigger::Start => true,
            Trigger::At { .. } => self.tick().is_some_and(|t| now.tick >= t),
            Trigger::BudgetBelow(share) => now.budget_remaining < *share,
            Trigger::FirstPage => now.pages > 0,
            Trigger::FirstDeployLive => now.deploys_live,
            Trigger::DeploysFrozen => now.frozen,
            Trigger::IncidentMitigated => now.incidents_mitigated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE};

    #[test]
    fn triggers_read_as_written_and_say_what_they_expect() {
        assert_eq!(Trigger::parse("start"), Ok(Trigger::Start));
        assert_eq!(
            Trigger::parse("day 2 10:30"),
            Ok(Trigger::At {
                day: 2,
                hour: 10,
                minute: 30
            })
        );
        assert_eq!(
            Trigger::parse("budget below 50 %"),
            Ok(Trigger::BudgetBelow(0.5))
        );
        assert_eq!(
            Trigger::parse("budget below 25%"),
            Ok(Trigger::BudgetBelow(0.25))
        );
        assert_eq!(Trigger::parse("first page"), Ok(Trigger::FirstPage));
        for bad in [
            "soon",
            "day 0 10:00",
            "day 2 25:00",
            "budget below 150 %",
            "budget below half",
        ] {
            let error = Trigger::parse(bad).expect_err(bad);
            assert!(error.contains("expected a trigger"), "{error}");
        }
        assert_eq!(
            Trigger::parse("day 2 10:30").map(|t| t.tick()),
            Ok(Some(
                TICKS_PER_DAY + 10 * TICKS_PER_HOUR + 30 * TICKS_PER_MINUTE
            ))
        );
    }
}
