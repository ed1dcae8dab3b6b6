//! Notes a run in the learner's progress once it reaches its end: the scenario, the seat and
//! how many of its objectives were met (the home page's cards and tracks read it back).

use ops_dojo_engine::objectives::{statuses, Progress as Status};
use yew::prelude::*;

use crate::progress::{self, Finished};
use crate::state::PlayState;

#[hook]
pub fn use_record_progress(state: &UseReducerHandle<PlayState>) {
    let finished = state.sim.borrow().is_finished();
    let (sim, seat) = (state.sim.clone(), state.seat);
    use_effect_with(finished, move |&finished| {
        if finished {
            let sim = sim.borrow();
            let objectives = statuses(&sim);
            let met = objectives
                .iter()
                .filter(|o| o.progress == Status::Met)
                .count() as u32;
            let result = progress::record_finished(
                &sim.scenario().id.0,
                seat,
                Finished {
                    met,
                    total: objectives.len() as u32,
                },
            );
            if let Err(error) = result {
                gloo::console::warn!(format!("progress not kept: {error}"));
            }
        }
    });
}
