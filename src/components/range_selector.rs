//! Which stretch of the run the charts and the timeline strip show: the last hour, the last
//! day, the SLO's whole window, or the whole run.

use yew::prelude::*;

use crate::charts::axis::ViewRange;

pub struct RangeSelectorProps {
    pub value: ViewRange,
    /// The headline SLO's window, days (the "whole window" button says how long it is).
    pub window_days: u32,
    /// Length of the run, days.
    pub run_days: u32,
    pub on_change: Callback<ViewRange>,
}

pub fn range_selector(props: &RangeSelectorProps) -> Html {
    let explain = |range: ViewRange| match range {
        ViewRange::LastHour => "The last simulated hour, minute by minute".to_string(),
        ViewRange::LastDay => "The last simulated day".to_string(),
        ViewRange::SloWindow if props.window_days >= props.run_days => format!(
            "The SLO's {}-day window, ending now: here the whole run, which is shorter",
            props.window_days
        ),
        ViewRange::SloWindow => format!("The SLO's {}-day window, ending now", props.window_days),
        ViewRange::WholeRun => format!("All {} days of the run", props.run_days),
    };
    html! {
        <div class="range-selector" role="group" aria-labelledby="range-label">
            <span id="range-label" class="range-label">{ "Charts show" }</span>
            { for ViewRange::ALL.iter().map(|&range| {
                let on_change = props.on_change.clone();
                html! {
                    <button
                        type="button"
                        data-range={range.id()}
                        aria-pressed={(props.value == range).to_string()}
                        title={explain(range)}
                        onclick={Callback::from(move |_: MouseEvent| on_change.emit(range))}
                    >
                        { range.label() }
                        if range == ViewRange::SloWindow {
                            { format!(" ({} d)", props.window_days) }
                        }
                    </button>
                }
            }) }
        </div>
    }
}
