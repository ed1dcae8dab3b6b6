//! What the world says it would refuse is what it refuses: `refusal` (asked by screens to
//! grey out buttons) and `apply_by` agree on every action, for every seat, at every moment
//! of a run with bots at work (so incidents, deploys, freezes and spent hours all happen).

use ops_dojo_engine::action::{Action, Actor, MAX_REPLICAS};
use ops_dojo_engine::catalog;
use ops_dojo_engine::clock::TICKS_PER_HOUR;
use ops_dojo_engine::delivery::Strategy;
use ops_dojo_engine::team::Investment;
use ops_dojo_engine::{Policy, Role, Simulation};

/// Every action worth trying now: each service, each on/off, each deploy number so far and
/// one beyond, replicas out of range on both sides, each investment and strategy.
fn candidates(sim: &Simulation) -> Vec<Action> {
    let services = sim.scenario().services.len() as u16;
    let deploys = sim.deploys().len() as u32;
    let mut all = vec![
        Action::RollBack,
        Action::Hotfix,
        Action::AcknowledgePage,
        Action::ResolveIncident,
        Action::WritePostmortem,
        Action::SetRetries { on: true },
        Action::SetRetries { on: false },
        Action::SetDeployFreeze { on: true },
        Action::SetDeployFreeze { on: false },
        Action::ScaleTo {
            replicas: 3,
            service: None,
        },
    ];
    all.extend(
        Strategy::ALL
            .iter()
            .map(|&strategy| Action::ShipFeature { strategy }),
    );
    all.extend(
        Investment::ALL
            .iter()
            .map(|&investment| Action::Invest { investment }),
    );
    for deploy in 0..=deploys + 1 {
        for on in [true, false] {
            all.push(Action::SetFlag { deploy, on });
        }
    }
    for service in 0..=services {
        let replicas = sim
            .services()
            .get(usize::from(service))
            .map_or(2, |s| s.replicas);
        for replicas in [
            0,
            replicas.saturating_sub(1),
            replicas,
            replicas + 1,
            MAX_REPLICAS + 1,
        ] {
            all.push(Action::ScaleTo {
                replicas,
                service: Some(service),
            });
        }
        for on in [true, false] {
            all.push(Action::SetLoadShedding { service, on });
            all.push(Action::SetCircuitBreaker { service, on });
        }
        for rps in [0, 50, 50] {
            all.push(Action::SetRateLimit { service, rps });
        }
        for (target_percent, max_replicas) in [
            (60, 6),
            (60, 6),
            (5, 6),
            (60, MAX_REPLICAS + 1),
            (60, 0),
            (60, 0),
        ] {
            all.push(Action::SetAutoscaler {
                service,
                target_percent,
                max_replicas,
            });
        }
        all.push(Action::Restart { service });
        all.push(Action::FailOver { service });
        all.push(Action::WarmCache { service });
        all.push(Action::WarmCache { service });
    }
    all
}

#[test]
fn refusal_and_apply_agree_on_every_action() {
    let seats = [
        Actor::ANYONE,
        Actor::person(Role::Sre),
        Actor::person(Role::Devops),
    ];
    let mut checked = (0usize, 0usize); // (refused, done)
    for id in [
        "black-friday",
        "night-on-call",
        "friday-deploy",
        "retry-storm",
    ] {
        let scenario = catalog::load(id).expect("built in").expect("parses");
        let mut sim = Simulation::new(scenario, 7);
        sim.add_bot(Role::Sre, Policy::Balanced);
        sim.add_bot(Role::Devops, Policy::ShipFast);
        let mut moment = 0usize;
        while !sim.is_finished() && sim.tick() < 3 * 24 * TICKS_PER_HOUR {
            sim.step_n(5 * TICKS_PER_HOUR);
            moment += 1;
            // Every moment tries one seat's whole list, so each seat sees many moments.
            let by = seats[moment % seats.len()];
            for action in candidates(&sim) {
                let said = sim.refusal(by, action).map(|e| e.to_string());
                let did = sim.apply_by(by, action).err().map(|e| e.to_string());
                assert_eq!(
                    said,
                    did,
                    "{id} at tick {} by {by:?}: {action:?}",
                    sim.tick()
                );
                if did.is_some() {
                    checked.0 += 1;
                } else {
                    checked.1 += 1;
                }
            }
        }
        // The run is over: everything is refused, and says so.
        sim.step_n(u32::MAX);
        let said = sim.refusal(Actor::ANYONE, Action::RollBack);
        assert_eq!(
            said.map(|e| e.to_string()),
            sim.apply(Action::RollBack).err().map(|e| e.to_string())
        );
    }
    // Both answers were exercised, many times over.
    assert!(checked.0 > 1_000 && checked.1 > 200, "{checked:?}");
}
