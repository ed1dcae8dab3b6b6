//! Comparing runs of one scenario and seed: your own runs kept in this browser (say, once as
//! SRE and once as DevOps) and runs the bots play on the very same traffic, backlog and
//! faults. Each becomes a column of numbers (the engine's scorecard) and a line of error
//! budget over time.

use ops_dojo_engine::clock::TICKS_PER_HOUR;
use ops_dojo_engine::scorecard::Scorecard;
use ops_dojo_engine::{Policy, Role, Scenario, Simulation};

/// One run in the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// "You (SRE, bot DevOps: balanced)", "Bots: ship fast + budget guard".
    pub label: String,
    pub card: Scorecard,
    /// Error budget left at the end of each simulated hour (share).
    pub budget_by_hour: Vec<f64>,
    /// None when the run reached its end; else how far it got ("day 3 of 7").
    pub unfinished: Option<String>,
}

impl Compared {
    pub fn of(label: String, sim: &Simulation) -> Self {
        let per_hour = TICKS_PER_HOUR as usize;
        let budget_by_hour = sim
            .records()
            .iter()
            .skip(per_hour - 1)
            .step_by(per_hour)
            .map(|r| f64::from(r.budget_remaining))
            .collect();
        let unfinished = (!sim.is_finished()).then(|| {
            format!(
                "stopped on day {} of {}",
                sim.clock().day,
                sim.scenario().days.0
            )
        });
        Self {
            label,
            card: Scorecard::of(&sim.summary()),
            budget_by_hour,
            unfinished,
        }
    }
}

/// A pair of bots, one per role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BotPair {
    pub devops: Policy,
    pub sre: Policy,
}

impl BotPair {
    /// The pairs offered, from reckless to careful: each shows one way the two jobs meet.
    pub const OFFERED: [BotPair; 4] = [
        BotPair {
            devops: Policy::ShipFast,
            sre: Policy::HandsOff,
        },
        BotPair {
            devops: Policy::ShipFast,
            sre: Policy::BudgetGuard,
        },
        BotPair {
            devops: Policy::Balanced,
            sre: Policy::Balanced,
        },
        BotPair {
            devops: Policy::BudgetGuard,
            sre: Policy::BudgetGuard,
        },
    ];

    pub fn label(self) -> String {
        format!(
            "Bots: DevOps {}, SRE {}",
            self.devops.label().to_ascii_lowercase(),
            self.sre.label().to_ascii_lowercase()
        )
    }

    pub fn id(self) -> String {
        format!("{}+{}", self.devops.id(), self.sre.id())
    }

    /// The pair an [`BotPair::id`] names.
    pub fn parse(id: &str) -> Option<BotPair> {
        let (devops, sre) = id.split_once('+')?;
        Some(BotPair {
            devops: Policy::parse(devops)?,
            sre: Policy::parse(sre)?,
        })
    }

    /// The whole run with these bots in both seats.
    pub fn run(self, scenario: Scenario, seed: u64) -> Simulation {
        let mut sim = self.start(scenario, seed);
        while sim.step().is_some() {}
        sim
    }

    /// The run with these bots in both seats, not played yet.
    pub fn start(self, scenario: Scenario, seed: u64) -> Simulation {
        let mut sim = Simulation::new(scenario, seed);
        sim.add_bot(Role::Devops, self.devops);
        sim.add_bot(Role::Sre, self.sre);
        sim
    }
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::catalog;

    use super::*;

    #[test]
    fn a_bot_pair_plays_the_whole_run_and_reads_into_a_column() {
        let mut scenario = catalog::load("first-slo")
            .expect("built in")
            .expect("parses");
        scenario.days = ops_dojo_engine::scenario::Bounded(2);
        let sim = BotPair::OFFERED[0].run(scenario, 4);
        assert!(sim.is_finished());
        let column = Compared::of(BotPair::OFFERED[0].label(), &sim);
        assert_eq!(column.unfinished, None);
        assert_eq!(
            column.budget_by_hour.len(),
            48,
            "one point per simulated hour"
        );
        let last = *column.budget_by_hour.last().expect("hours");
        let budget_left = column.card.get("budget_left").expect("a value");
        assert!((last - budget_left).abs() < 1e-6, "{last} vs {budget_left}");
        assert_eq!(BotPair::OFFERED[0].id(), "ship-fast+hands-off");
        for pair in BotPair::OFFERED {
            assert_eq!(BotPair::parse(&pair.id()), Some(pair));
        }
        assert_eq!(BotPair::parse("ship-fast"), None);
    }
}
