//! The moments that explain the charts — deploys, rollbacks, alerts, incidents, faults and
//! the actions taken, the player's apart from the bot's — gathered from the run for the timeline strip above them.
//!
//! Plain data (no drawing) so it is tested natively: which marks exist, when, and in
//! which lane, is the part that must be right.

use ops_dojo_engine::alerts::{AlertEventKind, Severity};
use ops_dojo_engine::delivery::Stage;
use ops_dojo_engine::faults::describe_start;
use ops_dojo_engine::{Action, Actor, ClockTime, Event, EventKind, Simulation, Tick};
use plotters::style::RGBColor;

use super::axis::TickSpan;

use crate::palette::{BLUE, GREEN, INK, ORANGE, PURPLE, SKY, VERMILLION, YELLOW};

/// What a mark stands for. Each kind has its own shape *and* colour, so no one needs to
/// tell colours apart to read the strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Deploy,
    Rollback,
    Page,
    Ticket,
    Incident,
    Fault,
    /// An action the person took.
    YourAction,
    /// An action the bot playing the other role took.
    BotAction,
}

/// How a mark is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    TriangleUp,
    TriangleDown,
    Diamond,
    Square,
    /// A bar over the time it lasted.
    Bar,
    Cross,
    Circle,
    Hexagon,
}

impl MarkKind {
    /// In the order of the legend.
    pub const ALL: [MarkKind; 8] = [
        MarkKind::Deploy,
        MarkKind::Rollback,
        MarkKind::Page,
        MarkKind::Ticket,
        MarkKind::Incident,
        MarkKind::Fault,
        MarkKind::YourAction,
        MarkKind::BotAction,
    ];

    /// Stable name for styles and tests.
    pub fn id(self) -> &'static str {
        match self {
            MarkKind::Deploy => "deploy",
            MarkKind::Rollback => "rollback",
            MarkKind::Page => "page",
            MarkKind::Ticket => "ticket",
            MarkKind::Incident => "incident",
            MarkKind::Fault => "fault",
            MarkKind::YourAction => "action",
            MarkKind::BotAction => "bot-action",
        }
    }

    /// What the legend calls it (the bot's actions name the bot: see [`bot_label`]).
    pub fn label(self) -> &'static str {
        match self {
            MarkKind::Deploy => "deploy",
            MarkKind::Rollback => "rollback",
            MarkKind::Page => "page fired",
            MarkKind::Ticket => "ticket fired",
            MarkKind::Incident => "incident, open until mitigated",
            MarkKind::Fault => "fault, while it lasts",
            MarkKind::YourAction => "your action",
            MarkKind::BotAction => "the bot's action",
        }
    }

    pub fn shape(self) -> Shape {
        match self {
            MarkKind::Deploy => Shape::TriangleUp,
            MarkKind::Rollback => Shape::TriangleDown,
            MarkKind::Page => Shape::Diamond,
            MarkKind::Ticket => Shape::Square,
            MarkKind::Incident => Shape::Bar,
            MarkKind::Fault => Shape::Cross,
            MarkKind::YourAction => Shape::Circle,
            MarkKind::BotAction => Shape::Hexagon,
        }
    }

    pub fn colour(self) -> RGBColor {
        match self {
            MarkKind::Deploy => BLUE,
            MarkKind::Rollback => ORANGE,
            MarkKind::Page => VERMILLION,
            MarkKind::Ticket => SKY,
            MarkKind::Incident => PURPLE,
            MarkKind::Fault => INK,
            MarkKind::YourAction => GREEN,
            MarkKind::BotAction => YELLOW,
        }
    }

    pub fn lane(self) -> Lane {
        match self {
            MarkKind::Deploy | MarkKind::Rollback => Lane::Deploys,
            MarkKind::Page | MarkKind::Ticket => Lane::Alerts,
            MarkKind::Incident => Lane::Incidents,
            MarkKind::Fault => Lane::Faults,
            MarkKind::YourAction | MarkKind::BotAction => Lane::Actions,
        }
    }
}

/// A row of the strip: kinds that belong together share one, so marks rarely overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Deploys,
    Alerts,
    Incidents,
    Faults,
    Actions,
}

impl Lane {
    /// Top to bottom.
    pub const ALL: [Lane; 5] = [
        Lane::Deploys,
        Lane::Alerts,
        Lane::Incidents,
        Lane::Faults,
        Lane::Actions,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Lane::Deploys => "Deploys",
            Lane::Alerts => "Alerts",
            Lane::Incidents => "Incidents",
            Lane::Faults => "Faults",
            Lane::Actions => "Actions",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Lane::Deploys => 0,
            Lane::Alerts => 1,
            Lane::Incidents => 2,
            Lane::Faults => 3,
            Lane::Actions => 4,
        }
    }
}

/// One mark on the strip.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub kind: MarkKind,
    /// When it happened (or began).
    pub start: Tick,
    /// For marks that last (incidents, faults): when it ended, or the last tick simulated
    /// while it still goes on.
    pub end: Option<Tick>,
    /// What it was, in the words of the event log where it has them.
    pub text: String,
}

/// Every mark that shows on `span` of the run so far, in time order within each kind.
/// Only what has happened: the fault calendar is fixed by the seed, and marking a fault
/// before it starts would tell the player what is coming.
pub fn marks(sim: &Simulation, span: TickSpan) -> Vec<Mark> {
    let now = sim.tick();
    let mut marks = Vec::new();
    for deploy in sim.deploys() {
        if let Some(live) = deploy.live_at {
            marks.push(Mark {
                kind: MarkKind::Deploy,
                start: live,
                end: None,
                text: format!(
                    "Deploy #{} went live at {}",
                    deploy.number,
                    ClockTime::at(live)
                ),
            });
        }
        let undone = match deploy.stage {
            Stage::RollingBack | Stage::RolledBack => deploy.failed_at.map(|at| {
                (
                    at,
                    format!(
                        "Deploy #{} rolled back at {}",
                        deploy.number,
                        ClockTime::at(at)
                    ),
                )
            }),
            Stage::StoppedByCanary => Some((
                deploy.stage_ends,
                format!(
                    "Deploy #{} stopped by the canary analysis at {}",
                    deploy.number,
                    ClockTime::at(deploy.stage_ends)
                ),
            )),
            _ => None,
        };
        if let Some((at, text)) = undone {
            marks.push(Mark {
                kind: MarkKind::Rollback,
                start: at,
                end: None,
                text,
            });
        }
    }
    for alert in sim.alert_events() {
        if alert.kind != AlertEventKind::Fired {
            continue;
        }
        let kind = match alert.severity {
            Severity::Page => MarkKind::Page,
            Severity::Ticket => MarkKind::Ticket,
        };
        let slo = &sim.scenario().slos[alert.slo].name;
        marks.push(Mark {
            kind,
            start: alert.tick,
            end: None,
            text: format!("{}: {slo}: {}", ClockTime::at(alert.tick), alert.describe()),
        });
    }
    for incident in sim.incidents().all() {
        let end = incident.mitigated_at.unwrap_or(now.saturating_sub(1));
        let state = match incident.mitigated_at {
            Some(at) => format!("mitigated at {}", ClockTime::at(at)),
            None => "still open".to_string(),
        };
        marks.push(Mark {
            kind: MarkKind::Incident,
            start: incident.opened_at,
            end: Some(end.max(incident.opened_at)),
            text: format!(
                "Incident #{} opened at {}, {state}",
                incident.number,
                ClockTime::at(incident.opened_at)
            ),
        });
    }
    let services = &sim.scenario().services;
    for fault in sim.faults().iter().filter(|f| f.start < now && f.ticks > 0) {
        let service = fault.service.and_then(|s| services.get(s));
        marks.push(Mark {
            kind: MarkKind::Fault,
            start: fault.start,
            end: Some(fault.end().min(now).saturating_sub(1).max(fault.start)),
            text: format!(
                "{}: {}",
                ClockTime::at(fault.start),
                describe_start(fault, service.map(|s| s.name.get_ref().as_str()))
            ),
        });
    }
    // The event log holds an action's own words: the engine logs exactly one Action event
    // per applied action, in the same order. Deploys and rollbacks are marked above.
    let action_words = sim.events().iter().filter(|e| e.kind == EventKind::Action);
    for (stamped, event) in sim.actions().iter().zip(action_words) {
        if matches!(
            stamped.action,
            Action::ShipFeature { .. } | Action::RollBack
        ) {
            continue;
        }
        let (kind, who) = match stamped.by.bot {
            // The engine's words for a bot's action already name it ("SRE bot (…): …").
            Some(_) => (MarkKind::BotAction, ""),
            None => (MarkKind::YourAction, "you: "),
        };
        marks.push(Mark {
            kind,
            start: stamped.tick,
            end: None,
            text: format!("{}: {who}{}", ClockTime::at(stamped.tick), event.text),
        });
    }
    // An action taken now lands on the tick after the last one simulated: the end of a
    // range that ends now, so the end is included.
    marks.retain(|m| m.start <= span.end && m.end.unwrap_or(m.start) >= span.start);
    marks
}

/// The legend's words for the bot's actions: which role it plays and how (a run has at
/// most one bot, playing the role the person does not).
pub fn bot_label(sim: &Simulation) -> String {
    match sim.bots().first() {
        Some((role, policy)) => format!(
            "the bot's action ({} bot, {})",
            role.label(),
            policy.label().to_ascii_lowercase()
        ),
        None => MarkKind::BotAction.label().to_string(),
    }
}

/// The run's events, each action with who took it (the engine logs exactly one Action event
/// per applied action, in the order of `Simulation::actions`).
pub fn events_with_actors(sim: &Simulation) -> impl Iterator<Item = (&Event, Option<Actor>)> {
    let mut actors = sim.actions().iter().map(|stamped| stamped.by);
    sim.events().iter().map(move |event| {
        let actor = if event.kind == EventKind::Action {
            actors.next()
        } else {
            None
        };
        (event, actor)
    })
}

/// Whether the event log's entry belongs on the strip's text alternative (the same kinds
/// of moments the strip marks).
pub fn is_marked(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Action | EventKind::AlertFired(_) | EventKind::Fault | EventKind::Incident
    )
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::catalog;
    use ops_dojo_engine::clock::TICKS_PER_DAY;
    use ops_dojo_engine::Strategy;

    use super::*;
    use crate::charts::axis::ViewRange;

    fn sim(id: &str, seed: u64) -> Simulation {
        let scenario = catalog::load(id)
            .expect("a built-in scenario")
            .expect("built-in scenarios parse");
        Simulation::new(scenario, seed)
    }

    fn kinds(marks: &[Mark]) -> Vec<MarkKind> {
        marks.iter().map(|m| m.kind).collect()
    }

    #[test]
    fn every_kind_has_its_own_shape_and_colour() {
        for (i, a) in MarkKind::ALL.iter().enumerate() {
            for b in &MarkKind::ALL[i + 1..] {
                assert_ne!(a.shape(), b.shape(), "{a:?} and {b:?} share a shape");
                assert_ne!(a.colour(), b.colour(), "{a:?} and {b:?} share a colour");
            }
        }
    }

    #[test]
    fn deploys_rollbacks_and_actions_are_marked_when_they_happen() {
        let mut sim = sim("first-slo", 42);
        assert!(marks(&sim, TickSpan::whole_run(sim.scenario().run_ticks())).is_empty());
        // A day gives the team the hours for the first feature.
        sim.step_n(TICKS_PER_DAY);
        sim.apply(Action::ShipFeature {
            strategy: Strategy::AllAtOnce,
        })
        .expect("shipping is allowed");
        while sim.deploys()[0].live_at.is_none() {
            sim.step();
        }
        let live = sim.deploys()[0].live_at.expect("live");
        sim.step_n(50);
        let rolled = sim.tick();
        sim.apply(Action::RollBack).expect("deploy 1 is live");
        sim.apply(Action::ScaleTo {
            replicas: 5,
            service: None,
        })
        .expect("5 replicas are allowed");
        let all = marks(&sim, TickSpan::whole_run(sim.scenario().run_ticks()));
        assert_eq!(
            kinds(&all),
            [MarkKind::Deploy, MarkKind::Rollback, MarkKind::YourAction]
        );
        assert_eq!(all[0].start, live);
        assert_eq!(all[1].start, rolled);
        assert!(all[2].text.contains("Scaled"), "{}", all[2].text);
        // A span that ends before the rollback shows the deploy only.
        let early = marks(
            &sim,
            TickSpan {
                start: 0,
                end: live + 20,
            },
        );
        assert_eq!(kinds(&early), [MarkKind::Deploy]);
        // The last hour ends now, when the rollback and the scaling were just applied.
        let run = sim.scenario().run_ticks();
        let last_hour = marks(&sim, ViewRange::LastHour.span(sim.tick(), run, 28));
        assert_eq!(kinds(&last_hour), kinds(&all));
    }

    #[test]
    fn the_bots_actions_are_marked_as_the_bots() {
        let mut sim = sim("first-slo", 42);
        sim.add_bot(
            ops_dojo_engine::Role::Devops,
            ops_dojo_engine::Policy::ShipFast,
        );
        sim.step_n(2 * TICKS_PER_DAY);
        sim.apply_by(
            Actor::person(ops_dojo_engine::Role::Sre),
            Action::ScaleTo {
                replicas: 5,
                service: None,
            },
        )
        .expect("the SRE may scale");
        sim.step_n(TICKS_PER_DAY);
        let run = TickSpan::whole_run(sim.scenario().run_ticks());
        let all = marks(&sim, run);
        let mine: Vec<_> = all
            .iter()
            .filter(|m| m.kind == MarkKind::YourAction)
            .collect();
        assert_eq!(mine.len(), 1, "only the scaling is the person's");
        assert!(mine[0].text.contains("you: Scaled"), "{}", mine[0].text);
        let label = bot_label(&sim);
        assert!(label.contains("DevOps bot, ship fast"), "{label}");
        let actors: Vec<_> = events_with_actors(&sim)
            .filter_map(|(_, actor)| actor)
            .collect();
        assert_eq!(actors.len(), sim.actions().len());
        assert_eq!(actors.iter().filter(|a| a.bot.is_none()).count(), 1);
        assert!(actors.len() > 1, "the ship-fast bot acted in three days");
    }

    #[test]
    fn alerts_incidents_and_faults_are_marked_once_they_start() {
        // Black Friday's calendar has faults; four weeks hands-off page and open incidents.
        let mut sim = sim("black-friday", 3);
        let run = TickSpan::whole_run(sim.scenario().run_ticks());
        let first_fault = sim.faults().iter().map(|f| f.start).min();
        let first_fault = first_fault.expect("black-friday has faults");
        sim.step_n(first_fault);
        assert!(
            !kinds(&marks(&sim, run)).contains(&MarkKind::Fault),
            "a fault is not marked before it starts"
        );
        sim.step_n(28 * TICKS_PER_DAY);
        let all = marks(&sim, run);
        for kind in [MarkKind::Fault, MarkKind::Page, MarkKind::Incident] {
            assert!(kinds(&all).contains(&kind), "{kind:?} in {:?}", kinds(&all));
        }
        for mark in &all {
            assert!(mark.start < sim.tick());
            assert!(mark
                .end
                .is_none_or(|end| end >= mark.start && end < sim.tick()));
        }
    }
}
