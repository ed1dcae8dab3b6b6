//! Play: the run itself — clock, headline numbers, charts, actions and the event log.

use ops_dojo_engine::clock::{format_duration, TICK_LABEL};
use ops_dojo_engine::slo::BurnWindow;
use ops_dojo_engine::{Action, Simulation};
use yew::prelude::*;

use crate::charts::axis::ViewRange;
use crate::charts::{availability, latency, ChartKind};
use crate::components::action_panel::{action_panel, ActionPanelProps};
use crate::components::annotation_strip::AnnotationStrip;
use crate::components::chart_panel::ChartPanel;
use crate::components::headline::{headline, HeadlineProps};
use crate::components::range_selector::{range_selector, RangeSelectorProps};
use crate::components::run_complete::{run_complete, RunCompleteProps};
use crate::components::run_keeper::RunKeeper;
use crate::components::run_panel::{Panel, RunPanel};
use crate::components::time_controls::{time_controls, TimeControlsProps};
use crate::format::{burn, percent, window_words};
use crate::hooks::use_keyboard_shortcuts::use_keyboard_shortcuts;
use crate::hooks::use_record_progress::use_record_progress;
use crate::hooks::use_set_aside_unreadable::use_set_aside_unreadable;
use crate::hooks::use_sim_clock::use_sim_clock;
use crate::route::{use_location, wants_projector, PlayParams};
use crate::state::{use_slow_version, PlayAction, PlayState};

#[derive(Properties, PartialEq)]
pub struct PlayPageProps {
    pub params: PlayParams,
}

#[function_component(PlayPage)]
pub fn play_page(props: &PlayPageProps) -> Html {
    let params = props.params.clone();
    let state = use_reducer(move || PlayState::open(&params));
    use_set_aside_unreadable(&state, &props.params);
    use_sim_clock(&state);
    use_keyboard_shortcuts(&state);
    use_record_progress(&state);
    let range = use_state(ViewRange::default);

    // Going home keeps the display profile the run was opened with.
    let projector = wants_projector(&use_location().query);
    let home_href = if projector {
        "#/?profile=projector"
    } else {
        "#/"
    };
    // Panels and chart summaries that read the whole record refresh ≤ 10 times a second.
    let slow_version = use_slow_version(state.version, state.playing);
    let slow = state.view_at(slow_version);
    let summaries = {
        let sim = state.sim.clone();
        use_memo(slow_version, move |_| {
            let sim = sim.borrow();
            (
                availability_summary(&sim),
                latency_summary(&sim),
                budget_summary(&sim),
                burn_summary(&sim),
                traffic_summary(&sim),
            )
        })
    };
    let sim_ref = state.sim.clone();
    let sim = sim_ref.borrow();
    let scenario = sim.scenario();
    let several_services = scenario.services.len() > 1;
    let window_days = scenario.primary_slo().window_days.0;
    let span = Some(range.span(sim.tick(), scenario.run_ticks(), window_days));
    let on_range = {
        let range = range.clone();
        Callback::from(move |picked: ViewRange| range.set(picked))
    };
    let act = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action: Action| dispatcher.dispatch(PlayAction::Act(action)))
    };
    html! {
        <div class="play">
            <header class="play-header">
                <a class="brand" href={home_href}>{ "Ops Dojo" }</a>
                <h1>{ &scenario.title }</h1>
                <p class="run-meta">
                    <span class="role-badge">{ state.seat.label() }</span>
                    { for sim.bots().iter().map(|(role, policy)| html! {
                        <span class="bot-badge">{ format!("bot plays {}: {}", role.label(), policy.label().to_ascii_lowercase()) }</span>
                    }) }
                    <span>{ format!("seed {}", sim.seed()) }</span>
                    <span>{ format!("SLO: {} ≥ {} over {} days", scenario.primary_slo().name,
                        percent(scenario.primary_slo().target.0, 1), scenario.primary_slo().window_days.0) }</span>
                </p>
            </header>
            <RunKeeper run={state.view()} params={props.params.clone()} playing={state.playing}
                notice={state.notice.clone()} />
            { time_controls(&TimeControlsProps { run: state.view(), playing: state.playing, speed: state.speed, on_control: state.dispatcher().to_callback() }) }
            if sim.is_finished() {
                { run_complete(&RunCompleteProps { run: state.view(), seat: state.seat }) }
            }
            <main class="play-grid">
                <div class="play-main">
                    { headline(&HeadlineProps { run: state.view() }) }
                    // With several services, where the trouble is comes first.
                    if several_services {
                        <RunPanel run={slow.clone()} panel={Panel::ServiceMap} />
                        <RunPanel run={slow.clone()} panel={Panel::ServicesTable} />
                    }
                    { range_selector(&RangeSelectorProps { value: *range, window_days, run_days: scenario.days.0, on_change: on_range }) }
                    <AnnotationStrip run={state.view()} {span} />
                    <ChartPanel id="chart-availability" title="Availability SLI vs SLO"
                        summary={summaries.0.clone()}
                        note={format!("Share of requests that succeeded: the mean of each pixel column and its worst minute. The scale starts at {} and widens when the mean falls lower; worse minutes sit on the bottom edge.",
                            percent(availability::lowest_shown(availability::zoom_target(&sim)), 2))}
                        chart={ChartKind::Availability} run={state.view()} {span} />
                    <ChartPanel id="chart-latency" title="Latency users see"
                        summary={summaries.1.clone()}
                        note="Sort a moment's requests from fast to slow: p50 is the middle one (half were faster); p99 is slower than 99 in 100, what the unluckiest 1 % wait. Log scale: each labelled line is 10× the one below."
                        chart={ChartKind::Latency} run={state.view()} {span} />
                    <ChartPanel id="chart-budget" title="Error budget remaining"
                        summary={summaries.2.clone()}
                        note={format!("Over the rolling {}-day window. Each failed request spends budget; failures older than the window give it back.", scenario.primary_slo().window_days.0)}
                        chart={ChartKind::Budget} run={state.view()} {span} />
                    <ChartPanel id="chart-burn" title="Burn rate and alert thresholds"
                        summary={summaries.3.clone()}
                        note="How fast the budget burns: 1× spends the whole budget in one SLO window. An alert fires when a long window AND its short window reach its threshold: pages (dashed) for fast burns, tickets (dotted) for slow ones. Log scale: each labelled line is 10× the one below."
                        chart={ChartKind::Burn} run={state.view()} {span} />
                    <ChartPanel id="chart-traffic" title="Traffic vs capacity"
                        summary={summaries.4.clone()}
                        note="Above capacity requests queue up, wait, and fail once callers give up (or at once, where load shedding is on). Traffic follows the day and grows during the run; capacity changes when someone (or an autoscaler) scales, and when a fault takes replicas away."
                        chart={ChartKind::Traffic} run={state.view()} {span} />
                    if !several_services {
                        <RunPanel run={slow.clone()} panel={Panel::ServicesTable} />
                    }
                </div>
                <aside class="play-side">
                    <RunPanel run={slow.clone()} panel={Panel::Guidance} />
                    <RunPanel run={slow.clone()} panel={Panel::Objectives} />
                    { action_panel(&ActionPanelProps { run: state.view(), refusal: state.refusal.clone().map(AttrValue::from), on_act: act.clone() }) }
                    <RunPanel run={slow.clone()} panel={Panel::AlertFeed} on_act={act.clone()} />
                    <RunPanel run={slow.clone()} panel={Panel::Outcomes} />
                    <details class="briefing" open={sim.tick() == 0}>
                        <summary>{ "Briefing" }</summary>
                        { for scenario.briefing.split("\n\n").map(|p| html! { <p>{ p }</p> }) }
                    </details>
                    <RunPanel run={slow.clone()} panel={Panel::EventLog} />
                </aside>
            </main>
        </div>
    }
}

/// One sentence on the availability chart, for screen readers and the chart's caption.
fn availability_summary(sim: &Simulation) -> AttrValue {
    match sim.records().last() {
        None => "No traffic yet: press Play.".into(),
        Some(last) => {
            let worst = sim.records().iter().map(|r| r.sli()).fold(1.0, f64::min);
            format!(
                "Now {} of requests succeed; the worst {TICK_LABEL} so far: {}.",
                percent(last.sli(), 2),
                percent(worst, 2)
            )
            .into()
        }
    }
}

fn latency_summary(sim: &Simulation) -> AttrValue {
    let slo = latency::entry_slo(sim).map(|(target, ms)| latency::slo_words(target, ms));
    match (sim.records().last(), slo) {
        (None, Some(slo)) => {
            format!("No traffic yet: press Play. The latency SLO asks {slo}.").into()
        }
        (None, None) => "No traffic yet: press Play.".into(),
        (Some(last), slo) => format!(
            "Now p50 {:.0} ms, p99 {:.0} ms; {}.",
            last.latency_ms[0],
            last.latency_ms[2],
            slo.map_or("this scenario has no latency SLO".to_string(), |slo| {
                format!("the latency SLO asks {slo}")
            })
        )
        .into(),
    }
}

fn burn_summary(sim: &Simulation) -> AttrValue {
    // One clause per rule of the SLO's alert table: it may be any table (the Workbook's
    // four rows, Pyrra's, a single window, the scenario's own), never picked by index.
    let now = sim.tick().saturating_sub(1);
    let clauses: Vec<String> = sim
        .alerting()
        .rules()
        .iter()
        .map(|rule| {
            format!(
                "over {} {} ({} at {})",
                window_words(rule.long_ticks),
                burn(sim.burn_rate_at(now, rule.long_ticks)),
                rule.severity.id(),
                burn(rule.burn_rate)
            )
        })
        .collect();
    format!("Burn rate {}.", clauses.join(", ")).into()
}

fn traffic_summary(sim: &Simulation) -> AttrValue {
    let (offered, capacity) = (sim.expected_rps(), sim.capacity_rps());
    let serve = format!(
        "About {offered:.0} requests/s arrive; {} replicas serve up to {capacity:.0} requests/s",
        sim.replicas()
    );
    if sim.tick() == 0 {
        return format!("{serve}.").into();
    }
    // Utilisation as measured in the last tick, as the services table shows it. With
    // several services the busiest is named too: the bottleneck may sit behind the entry.
    let scenario = sim.scenario();
    let name = |i: usize| scenario.services[i].name.get_ref();
    let ticks = sim.service_ticks();
    let entry = scenario.topology().entry;
    let busiest = sim.busiest_service().unwrap_or(entry);
    let busy = |i: usize| percent(ticks[i].utilization, 0);
    let load = if busiest == entry && ticks.len() > 1 {
        format!(
            "{}, the busiest service, is {} busy",
            name(entry),
            busy(entry)
        )
    } else if busiest == entry {
        format!("{} is {} busy", name(entry), busy(entry))
    } else {
        format!(
            "{} is {} busy; the busiest service, {}, is {} busy",
            name(entry),
            busy(entry),
            name(busiest),
            busy(busiest)
        )
    };
    let warning_from = crate::charts::traffic::BUSY;
    let warning = if ticks[busiest].utilization >= warning_from {
        format!(" (past {}, waits grow fast)", percent(warning_from, 0))
    } else {
        String::new()
    };
    format!("{serve}: {load}{warning}.").into()
}

fn budget_summary(sim: &Simulation) -> AttrValue {
    let status = sim.slo_status();
    let hourly = status.burn_rate(BurnWindow::ONE_HOUR);
    // What the chart's dashed projection shows, in words.
    let outlook = match (status.time_to_exhaustion_seconds, hourly) {
        _ if sim.tick() == 0 => String::new(),
        _ if status.budget_remaining <= 0.0 => " It is spent: the SLO is missed.".to_string(),
        // The straight line is pessimistic: failures leaving the window give budget back.
        // If it lasts one window, it lasts for good at this rate.
        (Some(seconds), rate) if seconds > f64::from(status.window_days) * 86_400.0 => {
            format!(
                " At the last hour's burn rate ({}) it lasts beyond the {}-day window, so it does not run out.",
                burn(rate),
                status.window_days
            )
        }
        (Some(seconds), rate) => format!(
            " At the last hour's burn rate ({}) it runs out in {}.",
            burn(rate),
            format_duration(seconds)
        ),
        _ => " It did not burn in the last hour.".to_string(),
    };
    format!(
        "{} of the error budget is left ({} of full outage).{outlook}",
        percent(status.budget_remaining, 1),
        format_duration(status.budget_remaining_seconds)
    )
    .into()
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::alert_policy::{self, AlertPolicy};
    use ops_dojo_engine::catalog;
    use ops_dojo_engine::clock::TICKS_PER_HOUR;

    use super::*;
    use crate::charts::axis::TickSpan;
    use crate::charts::table;

    /// Every alert table a scenario may choose reads out in the play page's burn summary
    /// and the burn chart's data table, one rule or four, without picking rules by index.
    #[test]
    fn the_burn_read_outs_follow_any_alert_table() {
        for policy in AlertPolicy::ALL {
            let mut scenario = catalog::load("first-slo")
                .expect("built in")
                .expect("parses");
            alert_policy::apply_policy(&mut scenario, policy);
            let mut sim = Simulation::new(scenario, 1);
            sim.step_n(2 * TICKS_PER_HOUR);
            let summary = burn_summary(&sim);
            let rules = sim.alerting().rules().len();
            assert_eq!(
                summary.matches(" at ").count(),
                rules,
                "{policy:?}: {summary}"
            );
            assert!(summary.starts_with("Burn rate over "), "{summary}");
            let data = table::hourly(
                ChartKind::Burn,
                &sim,
                TickSpan::whole_run(2 * TICKS_PER_HOUR),
            );
            assert_eq!(data.headings.len(), 4, "{policy:?}");
            assert!(data.rows.iter().all(|row| row.len() == 4), "{policy:?}");
        }
        let mut scenario = catalog::load("first-slo")
            .expect("built in")
            .expect("parses");
        alert_policy::apply_policy(&mut scenario, AlertPolicy::SingleWindow);
        let sim = Simulation::new(scenario, 1);
        let summary = burn_summary(&sim);
        assert!(
            summary.starts_with("Burn rate over 10 m ") && summary.ends_with(" (page at 1.0×)."),
            "{summary}"
        );
    }
}
