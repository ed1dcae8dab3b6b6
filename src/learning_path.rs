//! The two learning tracks, "Become an SRE" and "Become a DevOps engineer": the built-in
//! scenarios in the order that builds each job's skills, with what each one teaches for that
//! job, and the next one a learner has not finished yet in that role.

use ops_dojo_engine::Role;

use crate::progress::Progress;

/// A scenario on a track, and what it teaches for the track's job.
pub struct Step {
    /// A built-in scenario's id.
    pub scenario: &'static str,
    pub teaches: &'static str,
}

pub struct Track {
    pub role: Role,
    pub title: &'static str,
    pub steps: &'static [Step],
}

pub const TRACKS: [Track; 2] = [
    Track {
        role: Role::Sre,
        title: "Become an SRE",
        steps: &[
            Step { scenario: "first-slo", teaches: "The numbers an SRE lives by: the SLI, the SLO and the error budget they leave." },
            Step { scenario: "alerts-that-matter", teaches: "Paging on what users feel: burn-rate alerts, and a page versus a ticket." },
            Step { scenario: "mmc-lab", teaches: "Capacity from first principles: queues, utilisation and the tail latency they cause." },
            Step { scenario: "launch-day", teaches: "Planning for a surge: capacity ahead of time, the autoscaler's delay, shedding load." },
            Step { scenario: "night-on-call", teaches: "Carrying the pager: acknowledge, triage by harm, mitigate, write the postmortem." },
            Step { scenario: "toil", teaches: "Engineering your way out of manual work, and the 50 % cap on toil." },
            Step { scenario: "retry-storm", teaches: "A failure that feeds itself: retry budgets and shedding to break the loop." },
            Step { scenario: "budget-policy", teaches: "Calling the deploy freeze, and living with the delivery team's side of it." },
            Step { scenario: "black-friday", teaches: "Everything at once for four weeks: six services, two SLOs, real faults." },
        ],
    },
    Track {
        role: Role::Devops,
        title: "Become a DevOps engineer",
        steps: &[
            Step { scenario: "first-slo", teaches: "What your changes spend: the error budget every release draws on." },
            Step { scenario: "friday-deploy", teaches: "Shipping safely: deploy strategies, canary analysis, rollback, change fail rate." },
            Step { scenario: "budget-policy", teaches: "Velocity against reliability: shipping under a budget, and respecting a freeze." },
            Step { scenario: "launch-day", teaches: "Releasing during a launch, when every failed request costs the most." },
            Step { scenario: "night-on-call", teaches: "Your changes run through the night too: what an on-call colleague lives with." },
            Step { scenario: "black-friday", teaches: "The capstone: a month of releases on a busy service graph." },
        ],
    },
];

impl Track {
    /// The first step not yet finished in the track's role (either seat with it counts).
    pub fn next_up(&self, progress: &Progress) -> Option<&'static Step> {
        self.steps
            .iter()
            .find(|step| !progress.has_played(step.scenario, self.role))
    }

    /// Steps finished in the track's role.
    pub fn done(&self, progress: &Progress) -> usize {
        self.steps
            .iter()
            .filter(|step| progress.has_played(step.scenario, self.role))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::catalog;

    use super::*;
    use crate::progress::Finished;
    use crate::route::Seat;

    #[test]
    fn every_step_is_a_built_in_scenario_once_per_track() {
        for track in &TRACKS {
            for (i, step) in track.steps.iter().enumerate() {
                assert!(catalog::load(step.scenario).is_some(), "{}", step.scenario);
                assert!(
                    track.steps[i + 1..]
                        .iter()
                        .all(|s| s.scenario != step.scenario),
                    "{} twice",
                    step.scenario
                );
            }
        }
    }

    #[test]
    fn next_up_is_the_first_step_not_finished_in_the_tracks_role() {
        let [sre, devops] = &TRACKS;
        let mut progress = Progress::default();
        assert_eq!(
            sre.next_up(&progress).map(|s| s.scenario),
            Some("first-slo")
        );
        progress.record(
            "first-slo",
            Seat::One(Role::Sre),
            Finished { met: 0, total: 2 },
        );
        assert_eq!(
            sre.next_up(&progress).map(|s| s.scenario),
            Some("alerts-that-matter")
        );
        assert_eq!(
            devops.next_up(&progress).map(|s| s.scenario),
            Some("first-slo")
        );
        progress.record("first-slo", Seat::Both, Finished { met: 0, total: 2 });
        assert_eq!(devops.done(&progress), 1);
        for step in devops.steps {
            progress.record(
                step.scenario,
                Seat::One(Role::Devops),
                Finished { met: 0, total: 0 },
            );
        }
        assert!(devops.next_up(&progress).is_none());
    }
}
