//! The play page's panels that follow the slow view (tables, lists and logs that need not
//! change every frame), behind one memoised component: a panel re-renders only when the
//! slow view changes, and the page ships one component's machinery instead of one per panel.

use ops_dojo_engine::Action;
use yew::prelude::*;

use crate::components::alert_feed::alert_feed;
use crate::components::event_log::event_log;
use crate::components::guidance::guidance;
use crate::components::objectives::objectives;
use crate::components::outcomes::outcomes;
use crate::components::services_table::services_table;
use crate::state::RunView;

/// Which panel to draw.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    ServicesTable,
    Guidance,
    Objectives,
    AlertFeed,
    Outcomes,
    EventLog,
}

#[derive(Properties, PartialEq)]
pub struct SlowPanelProps {
    pub run: RunView,
    pub panel: Panel,
    /// Takes an action on the run (the pager's buttons); unused by the other panels.
    #[prop_or_default]
    pub on_act: Callback<Action>,
}

#[function_component(SlowPanel)]
pub fn slow_panel(props: &SlowPanelProps) -> Html {
    let run = &props.run;
    match props.panel {
        Panel::ServicesTable => services_table(run),
        Panel::Guidance => guidance(run),
        Panel::Objectives => objectives(run),
        Panel::AlertFeed => alert_feed(run, &props.on_act),
        Panel::Outcomes => outcomes(run),
        Panel::EventLog => event_log(run),
    }
}
