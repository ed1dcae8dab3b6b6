//! The play page's panels behind one memoised component: each re-renders only when its run
//! view changes (the slow view for tables, lists and logs that need not change every
//! frame), and the page ships one component's machinery instead of one per panel.
//!
//! The component keeps the little state its panels choose with (a service, a deploy
//! strategy). Every instance calls the same hooks in the same order whatever it shows, as
//! Yew requires; an instance uses only its own panel's.

use ops_dojo_engine::delivery::Strategy;
use ops_dojo_engine::Action;
use yew::prelude::*;

use crate::components::alert_feed::alert_feed;
use crate::components::delivery_panel::delivery_panel;
use crate::components::event_log::event_log;
use crate::components::guidance::guidance;
use crate::components::objectives::objectives;
use crate::components::outcomes::outcomes;
use crate::components::service_map::service_map;
use crate::components::services_table::services_table;
use crate::components::sre_operations::sre_operations;
use crate::state::RunView;

/// Which panel to draw.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    ServiceMap,
    ServicesTable,
    Guidance,
    Objectives,
    AlertFeed,
    Outcomes,
    EventLog,
    /// The SRE's levers on the live system.
    SreOperations,
    /// The DevOps desk.
    Delivery,
}

#[derive(Properties, PartialEq)]
pub struct RunPanelProps {
    pub run: RunView,
    pub panel: Panel,
    /// Takes an action on the run (pager, SRE and DevOps panels); unused by the others.
    #[prop_or_default]
    pub on_act: Callback<Action>,
}

#[function_component(RunPanel)]
pub fn run_panel(props: &RunPanelProps) -> Html {
    // The service chosen on the map or the SRE panel; the strategy on the DevOps desk.
    let selected = use_state(|| None::<usize>);
    let strategy = use_state(|| Strategy::Canary);
    let (run, on_act) = (&props.run, &props.on_act);
    match props.panel {
        Panel::ServiceMap => service_map(run, &selected),
        Panel::ServicesTable => services_table(run),
        Panel::Guidance => guidance(run),
        Panel::Objectives => objectives(run),
        Panel::AlertFeed => alert_feed(run, on_act),
        Panel::Outcomes => outcomes(run),
        Panel::EventLog => event_log(run),
        Panel::SreOperations => sre_operations(run, on_act, &selected),
        Panel::Delivery => delivery_panel(run, on_act, &strategy),
    }
}
