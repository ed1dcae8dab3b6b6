//! "Your two jobs": facts about how a person played a role, read from a finished run's own
//! record through the simulation's public read-outs (its summary, incidents, faults, team
//! hours and stamped actions), and beside each fact the matching "who tends to enjoy which"
//! point from the roles page, turned into a question. It says what the record shows and
//! asks; it never judges which job suits the person.

use ops_dojo_engine::objectives::{statuses, Progress};
use ops_dojo_engine::{Action, Investment, Role, Simulation};

use crate::format::percent;
use crate::route::Seat;

/// Investments that take toil away for good.
const AUTOMATION: [Investment; 4] = [
    Investment::AutomateCertificates,
    Investment::AutomateDiskCleanup,
    Investment::AutomateRestarts,
    Investment::DeployAutomation,
];

/// Engineer-hours of the team(s) the person played, over the run.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HoursSplit {
    /// Hours the DevOps team spent on delivery work it chose (features, investments).
    pub delivery: f64,
    /// Hours the DevOps team lost to manual deploy steps.
    pub delivery_toil: f64,
    /// Hours the SRE team spent on engineering it chose (automation, runbooks, postmortems).
    pub operations: f64,
    /// Hours the SRE team spent on toil and answering pages.
    pub operations_toil: f64,
    /// All the hours those teams had.
    pub accrued: f64,
}

/// The pages the person answered (acknowledged) themselves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pages {
    /// Incidents the pager opened in the run, and of those at night.
    pub incidents: u32,
    pub incidents_night: u32,
    /// Of those, acknowledged by the person, by day and by night.
    pub answered_day: u32,
    pub answered_night: u32,
    /// Minutes from page to acknowledgement, each incident the person answered.
    pub acknowledge_minutes: Vec<f64>,
    /// Minutes from page to mitigation, the same incidents (those mitigated).
    pub mitigate_minutes: Vec<f64>,
}

/// When several services failed at once: which the person worked first (the engine's
/// triage record, `World::triage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Triage {
    /// Times the person started on a service while others were failing too.
    pub choices: u32,
    /// Of those, times it was the service failing the most requests on its own.
    pub worst_first: u32,
}

/// Who froze deploys in the run (each freeze counted when it began).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Freezes {
    pub by_you: u32,
    pub by_bot: u32,
    pub by_policy: u32,
}

/// What one finished run shows about how the person played.
#[derive(Debug, Clone, PartialEq)]
pub struct RunFacts {
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    pub seat: Seat,
    pub hours: HoursSplit,
    pub pages: Pages,
    pub triage: Triage,
    /// The automation the person bought, by name.
    pub automated: Vec<&'static str>,
    /// Share of both teams' hours that went to toil.
    pub toil_share: f64,
    /// Features in users' hands at the end, as the run's outcome counts them.
    pub features_shipped: u32,
    /// Features the person committed to the pipeline.
    pub features_committed_by_you: u32,
    pub change_fail_rate: Option<f64>,
    pub rollbacks: u32,
    /// Rollbacks the person asked for.
    pub rollbacks_by_you: u32,
    pub freezes: Freezes,
    pub objectives_met: u32,
    pub objectives: u32,
    /// The person's own actions.
    pub actions: u32,
}

impl RunFacts {
    /// The facts of a run played in `seat` (bots' actions are the bot's, never the
    /// person's).
    pub fn of(sim: &Simulation, seat: Seat) -> Self {
        let summary = sim.summary();
        let objectives = statuses(sim);
        let mine = || sim.actions().iter().filter(|a| a.by.bot.is_none());
        let automated = AUTOMATION
            .iter()
            .filter(|inv| {
                mine().any(
                    |a| matches!(a.action, Action::Invest { investment } if investment == **inv),
                )
            })
            .map(|inv| inv.label())
            .collect();
        RunFacts {
            scenario: sim.scenario().id.0.clone(),
            title: sim.scenario().title.clone(),
            seed: sim.seed(),
            seat,
            hours: hours_split(sim, seat),
            pages: pages(sim),
            triage: triage(sim),
            automated,
            toil_share: summary.team.toil_share,
            features_shipped: summary.features_shipped,
            features_committed_by_you: mine()
                .filter(|a| matches!(a.action, Action::ShipFeature { .. }))
                .count() as u32,
            change_fail_rate: summary.dora.change_failure_rate,
            rollbacks: summary.deploys_rolled_back,
            rollbacks_by_you: mine().filter(|a| a.action == Action::RollBack).count() as u32,
            freezes: freezes(sim),
            objectives_met: objectives
                .iter()
                .filter(|o| o.progress == Progress::Met)
                .count() as u32,
            objectives: objectives.len() as u32,
            actions: mine().count() as u32,
        }
    }
}

fn hours_split(sim: &Simulation, seat: Seat) -> HoursSplit {
    let team = sim.team();
    let mut split = HoursSplit::default();
    if seat.plays(Role::Devops) {
        let h = team.hours(Role::Devops);
        split.delivery = h.engineering;
        split.delivery_toil = h.toil;
        split.accrued += h.accrued;
    }
    if seat.plays(Role::Sre) {
        let h = team.hours(Role::Sre);
        split.operations = h.engineering;
        split.operations_toil = h.toil;
        split.accrued += h.accrued;
    }
    split
}

fn pages(sim: &Simulation) -> Pages {
    // Every recorded acknowledgement succeeded, and each answers the incident open then,
    // so the n-th acknowledgement (by anyone) is the n-th incident acknowledged.
    let by_person = sim
        .actions()
        .iter()
        .filter(|a| a.action == Action::AcknowledgePage)
        .map(|a| a.by.bot.is_none());
    let incidents = sim.incidents().all();
    let acknowledged = incidents.iter().filter(|i| i.acknowledged_at.is_some());
    let mut pages = Pages {
        incidents: incidents.len() as u32,
        incidents_night: incidents.iter().filter(|i| i.night).count() as u32,
        ..Pages::default()
    };
    for (incident, mine) in acknowledged.zip(by_person) {
        if !mine {
            continue;
        }
        if incident.night {
            pages.answered_night += 1;
        } else {
            pages.answered_day += 1;
        }
        pages
            .acknowledge_minutes
            .extend(incident.seconds_to_acknowledge().map(|s| s / 60.0));
        pages
            .mitigate_minutes
            .extend(incident.seconds_to_mitigate().map(|s| s / 60.0));
    }
    pages
}

fn triage(sim: &Simulation) -> Triage {
    let entry = sim.scenario().topology().entry;
    let mut triage = Triage::default();
    for step in sim.triage() {
        let by_person = sim.actions().iter().any(|a| {
            a.tick == step.tick
                && a.by.bot.is_none()
                && a.action.service(entry) == Some(step.worked)
        });
        if by_person {
            triage.choices += 1;
            triage.worst_first += u32::from(step.worst_first());
        }
    }
    triage
}

fn freezes(sim: &Simulation) -> Freezes {
    let mut freezes = Freezes::default();
    for stamped in sim.actions() {
        if stamped.action == (Action::SetDeployFreeze { on: true }) {
            match stamped.by.bot {
                Some(_) => freezes.by_bot += 1,
                None => freezes.by_you += 1,
            }
        }
    }
    // The policy's own freezes are logged as policy events when the budget runs out.
    freezes.by_policy = sim
        .events()
        .iter()
        .filter(|e| e.kind == ops_dojo_engine::EventKind::Policy && e.text.contains("frozen"))
        .count() as u32;
    freezes
}

/// A fact from the record, and the question it raises.
#[derive(Debug, Clone, PartialEq)]
pub struct Reflection {
    /// Stable name for tests and styles.
    pub id: &'static str,
    /// What the record shows.
    pub fact: String,
    /// The "who tends to enjoy which" point it speaks to (see `roles::suits`).
    pub suits: &'static str,
    /// The question to the person.
    pub question: String,
}

fn minutes(m: f64) -> String {
    if m < 1.0 {
        "under a minute".to_string()
    } else {
        format!("{m:.0} min")
    }
}

fn median(values: &[f64]) -> Option<f64> {
    ops_dojo_engine::incident::median(values.to_vec())
}

fn hours(h: f64) -> String {
    format!("{h:.0}")
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl RunFacts {
    /// The facts of the run as sentences, each with its question. Only what applies to the
    /// seat played: the pager's facts for whoever carried it, delivery for whoever shipped.
    pub fn reflections(&self) -> Vec<Reflection> {
        let mut out = Vec::new();
        let sre = self.seat.plays(Role::Sre);
        let devops = self.seat.plays(Role::Devops);
        let h = &self.hours;
        let unspent =
            (h.accrued - h.delivery - h.delivery_toil - h.operations - h.operations_toil).max(0.0);
        let split = match (devops, sre) {
            (true, true) => format!(
                "Of your teams' {} engineer-hours, {} went to delivery (features, investments) and {} to manual deploy steps; {} to operations engineering (automation, runbooks, postmortems) and {} to toil and pages; {} were not spent.",
                hours(h.accrued), hours(h.delivery), hours(h.delivery_toil), hours(h.operations), hours(h.operations_toil), hours(unspent)
            ),
            (true, false) => format!(
                "Of your DevOps team's {} engineer-hours, {} went to delivery work you chose (features, investments) and {} to manual deploy steps; {} were not spent.",
                hours(h.accrued), hours(h.delivery), hours(h.delivery_toil), hours(unspent)
            ),
            _ => format!(
                "Of your SRE team's {} engineer-hours, {} went to engineering you chose (automation, runbooks, postmortems) and {} to toil and answering pages; {} were not spent.",
                hours(h.accrued), hours(h.operations), hours(h.operations_toil), hours(unspent)
            ),
        };
        out.push(Reflection {
            id: "hours",
            fact: split,
            suits: if devops && !sre { "variety" } else { "solo-code" },
            question: if devops && !sre {
                "Delivery pulls your hours many ways at once. Did that mix feel like welcome variety, or like too many plates?".to_string()
            } else {
                "Engineering hours in SRE mostly become code that removes work. Would you enjoy spending most of a week on that, largely on your own?".to_string()
            },
        });
        if sre {
            let p = &self.pages;
            let answered = p.answered_day + p.answered_night;
            let fact = if p.incidents == 0 {
                "The pager never opened an incident in this run.".to_string()
            } else {
                let timing = match (median(&p.acknowledge_minutes), median(&p.mitigate_minutes)) {
                    (Some(ack), Some(fix)) => format!(
                        " Median time to acknowledge: {}; to mitigate: {}.",
                        minutes(ack),
                        minutes(fix)
                    ),
                    (Some(ack), None) => {
                        format!(" Median time to acknowledge: {}.", minutes(ack))
                    }
                    _ => String::new(),
                };
                format!(
                    "The pager opened {} ({} at night); you answered {} by day and {} at night.{timing}",
                    plural(p.incidents, "incident", "incidents"),
                    p.incidents_night,
                    p.answered_day,
                    p.answered_night
                )
            };
            out.push(Reflection {
                id: "pages",
                fact,
                suits: if p.incidents_night > 0 { "hours" } else { "troubleshooting" },
                question: if answered > 0 && p.answered_night > 0 {
                    format!(
                        "You answered {} at night. Did that feel like a puzzle worth waking for, or a burden?",
                        plural(p.answered_night, "page", "pages")
                    )
                } else if p.incidents > answered {
                    "Some pages went unanswered. In a real rotation they would wake you: how would you feel about carrying that pager every few weeks?".to_string()
                } else {
                    "On-call means the odd emergency at any hour. Does that sound like part of the fun, or a price to pay?".to_string()
                },
            });
            let t = &self.triage;
            let fact = match t.choices {
                0 => "You never had to choose which of several failing services to work first in this run.".to_string(),
                n => format!(
                    "You started on a service while others were failing too {}: {} on the one failing the most requests, as the pager ordered them, and {} on a lesser one.",
                    plural(n, "time", "times"),
                    t.worst_first,
                    n - t.worst_first
                ),
            };
            out.push(Reflection {
                id: "triage",
                fact,
                suits: "troubleshooting",
                question: "Triage means choosing the biggest harm first while everything shouts at once. Does working that queue appeal to you?".to_string(),
            });
            let fact = if self.automated.is_empty() {
                format!(
                    "You automated no toil; toil took {} of the teams' hours.",
                    percent(self.toil_share, 0)
                )
            } else {
                format!(
                    "You automated: {}. Toil took {} of the teams' hours.",
                    self.automated.join(", "),
                    percent(self.toil_share, 0)
                )
            };
            out.push(Reflection {
                id: "toil",
                fact,
                suits: "solo-code",
                question: "Automation costs hours now and pays back later, mostly as quiet work at a keyboard. Did trading time that way appeal to you?".to_string(),
            });
        }
        let cfr = self
            .change_fail_rate
            .map_or("no deploy reached production".to_string(), |r| {
                format!("the change fail rate was {}", percent(r, 0))
            });
        let who = if devops {
            format!(
                "You committed {} to the pipeline",
                plural(self.features_committed_by_you, "feature", "features")
            )
        } else {
            "The DevOps bot did the shipping".to_string()
        };
        out.push(Reflection {
            id: "delivery",
            fact: format!(
                "{who}: {} in users' hands at the end; {cfr}; {} rolled back ({} by you).",
                plural(self.features_shipped, "feature", "features"),
                plural(self.rollbacks, "deploy", "deploys"),
                self.rollbacks_by_you
            ),
            suits: "create",
            question: if devops && self.features_committed_by_you == 0 {
                "You shipped nothing this time. Would putting new things in front of users be the part of the job you look forward to?".to_string()
            } else if devops {
                "Did getting something new in front of users feel like the best part of the run?".to_string()
            } else {
                "Watching someone else's releases land on your service: did you wish you were the one shipping them?".to_string()
            },
        });
        let f = &self.freezes;
        out.push(Reflection {
            id: "freezes",
            fact: if f.by_you + f.by_bot + f.by_policy == 0 {
                "Deploys were never frozen in this run.".to_string()
            } else {
                format!(
                    "Deploys were frozen by you {}, by the bot {} and by the error budget policy {}.",
                    plural(f.by_you, "time", "times"),
                    plural(f.by_bot, "time", "times"),
                    plural(f.by_policy, "time", "times")
                )
            },
            suits: "people",
            question: if sre && !devops {
                "A freeze is a conversation with the people who ship. Would you enjoy making that call and explaining it across teams?".to_string()
            } else {
                "A freeze stops your releases for the sake of the budget. Would you enjoy negotiating it with the SRE team, or rather have a rule decide?".to_string()
            },
        });
        out.push(Reflection {
            id: "objectives",
            fact: if self.objectives == 0 {
                "This scenario sets no objectives.".to_string()
            } else {
                format!(
                    "You met {} of the scenario's {} objectives.",
                    self.objectives_met, self.objectives
                )
            },
            suits: "targets",
            question: "Did clear, measured targets like these motivate you, or box you in?"
                .to_string(),
        });
        out
    }

    /// The run in one line: scenario, seat and seed.
    pub fn heading(&self) -> String {
        format!(
            "{} as {}, seed {}",
            self.title,
            self.seat.label(),
            self.seed
        )
    }
}

/// The one-page summary as plain text, for a file the person keeps or shows a mentor.
pub fn summary_text(runs: &[RunFacts]) -> String {
    let mut text = String::from("Ops Dojo: your two jobs\n\nWhat your runs in this browser show, with a question beside each fact. It is not a verdict: only you can say which job suits you.\n");
    for seat in Seat::ALL {
        let mine: Vec<&RunFacts> = runs.iter().filter(|r| r.seat == seat).collect();
        if mine.is_empty() {
            continue;
        }
        text += &format!("\n== {} ==\n", seat.label());
        for run in mine {
            text += &format!("\n{}\n", run.heading());
            for r in run.reflections() {
                text += &format!("- {}\n  Ask yourself: {}\n", r.fact, r.question);
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::{catalog, Actor, Policy, Scenario};

    use super::*;

    fn scenario(id: &str) -> Scenario {
        catalog::load(id).expect("built in").expect("parses")
    }

    fn run_to_end(sim: &mut Simulation) {
        while sim.step().is_some() {}
    }

    #[test]
    fn the_triage_fact_sees_which_of_two_overlapping_faults_was_handled_first() {
        // Night on-call's first night: a zone goes dark under payments-api and ledger.
        let scenario = scenario("night-on-call");
        let sre = Actor::person(Role::Sre);
        // Two runs on the same seed: one fails payments-api over first, one ledger first.
        // Whichever did more harm, exactly one of them handled it first.
        let mut firsts = Vec::new();
        for first in [
            Action::FailOver { service: 0 },
            Action::FailOver { service: 1 },
        ] {
            let mut sim = Simulation::new(scenario.clone(), 7);
            sim.add_bot(Role::Devops, Policy::Balanced);
            while sim.incidents().open().is_none() {
                sim.step().expect("night 1 pages");
            }
            sim.apply_by(sre, first).expect("the SRE may act");
            sim.step_n(6);
            let second = match first {
                Action::FailOver { service: 0 } => Action::FailOver { service: 1 },
                _ => Action::FailOver { service: 0 },
            };
            sim.apply_by(sre, second).expect("the SRE may act");
            run_to_end(&mut sim);
            let facts = RunFacts::of(&sim, Seat::One(Role::Sre));
            assert_eq!(facts.triage.choices, 1, "{:?}", facts.triage);
            firsts.push(facts.triage.worst_first);
            let triage = facts
                .reflections()
                .into_iter()
                .find(|r| r.id == "triage")
                .expect("an SRE's facts include triage");
            assert!(
                triage.fact.contains("failing too 1 time: "),
                "{}",
                triage.fact
            );
        }
        assert_eq!(firsts.iter().sum::<u32>(), 1, "{firsts:?}");
        // The bot's actions are never counted as the person's choices.
        let mut sim = Simulation::new(scenario, 7);
        sim.add_bot(Role::Sre, Policy::Balanced);
        run_to_end(&mut sim);
        let facts = RunFacts::of(&sim, Seat::One(Role::Devops));
        assert_eq!(facts.triage.choices, 0);
        assert_eq!(facts.actions, 0);
    }

    #[test]
    fn facts_equal_the_runs_own_outcomes() {
        let mut sim = Simulation::new(scenario("night-on-call"), 3);
        sim.add_bot(Role::Devops, Policy::Balanced);
        let sre = Actor::person(Role::Sre);
        // Answer every page as soon as it opens; automate restarts on the first morning.
        let mut invested = false;
        while sim.step().is_some() {
            if sim
                .incidents()
                .open()
                .is_some_and(|i| i.acknowledged_at.is_none())
            {
                sim.apply_by(sre, Action::AcknowledgePage).expect("open");
            }
            if !invested && sim.team().hours(Role::Sre).available >= 20.0 {
                invested = sim
                    .apply_by(
                        sre,
                        Action::Invest {
                            investment: Investment::AutomateRestarts,
                        },
                    )
                    .is_ok();
            }
        }
        let summary = sim.summary();
        let facts = RunFacts::of(&sim, Seat::One(Role::Sre));
        assert_eq!(facts.pages.incidents, summary.incidents.count);
        assert_eq!(facts.pages.incidents_night, summary.incidents.at_night);
        assert_eq!(
            facts.pages.answered_day + facts.pages.answered_night,
            summary.incidents.acknowledged,
            "every acknowledgement was the person's"
        );
        assert_eq!(
            median(&facts.pages.acknowledge_minutes),
            summary.incidents.mtta_minutes_median
        );
        assert_eq!(facts.features_shipped, summary.features_shipped);
        assert_eq!(facts.rollbacks, summary.deploys_rolled_back);
        assert_eq!(facts.change_fail_rate, summary.dora.change_failure_rate);
        assert_eq!(facts.toil_share, summary.team.toil_share);
        if invested {
            assert_eq!(facts.automated, vec![Investment::AutomateRestarts.label()]);
        }
        let met = summary
            .objectives
            .iter()
            .filter(|o| o.progress == Progress::Met)
            .count() as u32;
        assert_eq!((facts.objectives_met, facts.objectives), (met, 2));
        let h = facts.hours;
        let team = sim.team().hours(Role::Sre);
        assert_eq!(
            (h.operations, h.operations_toil),
            (team.engineering, team.toil)
        );
        assert_eq!(
            (h.delivery, h.delivery_toil),
            (0.0, 0.0),
            "the bot's team is not yours"
        );
        // Each fact comes with a question, and none names the person's job for them.
        let reflections = facts.reflections();
        let ids: Vec<_> = reflections.iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [
                "hours",
                "pages",
                "triage",
                "toil",
                "delivery",
                "freezes",
                "objectives"
            ]
        );
        for r in &reflections {
            assert!(crate::roles::suits(r.suits).is_some(), "{}", r.suits);
            assert!(r.question.ends_with('?'), "{}", r.question);
            assert!(!r.fact.contains("you are an"), "{}", r.fact);
        }
        let text = summary_text(&[facts]);
        assert!(text.contains("== SRE =="), "{text}");
        assert!(text.contains("Night on-call as SRE, seed 3"), "{text}");
    }

    #[test]
    fn freezes_are_counted_by_who_called_them() {
        let mut sim = Simulation::new(scenario("budget-policy"), 11);
        sim.add_bot(Role::Devops, Policy::ShipFast);
        sim.step_n(ops_dojo_engine::clock::TICKS_PER_DAY);
        let sre = Actor::person(Role::Sre);
        sim.apply_by(sre, Action::SetDeployFreeze { on: true })
            .expect("the SRE decides freezes here");
        sim.step_n(60);
        sim.apply_by(sre, Action::SetDeployFreeze { on: false })
            .expect("and thaws them");
        run_to_end(&mut sim);
        let facts = RunFacts::of(&sim, Seat::One(Role::Sre));
        assert_eq!((facts.freezes.by_you, facts.freezes.by_bot), (1, 0));
        let fact = facts
            .reflections()
            .into_iter()
            .find(|r| r.id == "freezes")
            .expect("listed");
        assert!(
            fact.fact.starts_with("Deploys were frozen by you 1 time,"),
            "{}",
            fact.fact
        );
    }

    #[test]
    fn a_devops_run_has_no_pager_facts_and_counts_its_own_features() {
        let mut sim = Simulation::new(scenario("first-slo"), 42);
        sim.add_bot(Role::Sre, Policy::Balanced);
        let devops = Actor::person(Role::Devops);
        sim.step_n(ops_dojo_engine::clock::TICKS_PER_DAY);
        sim.apply_by(
            devops,
            Action::ShipFeature {
                strategy: ops_dojo_engine::Strategy::Canary,
            },
        )
        .expect("a day of hours pays for a feature");
        run_to_end(&mut sim);
        let facts = RunFacts::of(&sim, Seat::One(Role::Devops));
        assert_eq!(facts.features_committed_by_you, 1);
        assert_eq!(facts.features_shipped, sim.summary().features_shipped);
        let ids: Vec<_> = facts.reflections().iter().map(|r| r.id).collect();
        assert_eq!(ids, ["hours", "delivery", "freezes", "objectives"]);
        assert!(facts.hours.delivery > 0.0);
    }
}
