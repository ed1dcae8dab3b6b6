//! The scorecard as a table: a row per metric (grouped by whose outcome it tells), a
//! column per run or group. The Class results page and Compare both show it, with their own
//! cell texts (a class's spread; a run's value, the best starred).

use ops_dojo_engine::scorecard::{Metric, Side, Spread, METRICS};
use yew::prelude::*;

use crate::format::metric_value;

/// One column: its heading, the DORA tier, and a cell per metric in `METRICS` order.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricColumn {
    pub heading: String,
    /// Shown after the heading, de-emphasised ("stopped on day 3 of 7").
    pub note: Option<String>,
    pub tier: String,
    pub cells: Vec<Cell>,
}

/// A cell's text, and whether it is the row's best.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub best: bool,
}

/// A group's cell: the median, then the middle 80 % of the runs ("12 (8 – 15)").
pub fn spread_text(metric: &Metric, spread: Option<&Spread>) -> String {
    match spread {
        Some(s) if s.p10 == s.p90 => metric_value(metric, s.median),
        Some(s) => format!(
            "{} ({} – {})",
            metric_value(metric, s.median),
            metric_value(metric, s.p10),
            metric_value(metric, s.p90)
        ),
        None => "—".to_string(),
    }
}

pub struct MetricTableProps {
    pub id: AttrValue,
    pub columns: Vec<MetricColumn>,
}

pub fn metric_table(props: &MetricTableProps) -> Html {
    let columns = &props.columns;
    html! {
        <div class="table-wide">
            <table id={props.id.clone()} class="compare-table">
                <thead>
                    <tr>
                        <th scope="col">{ "Metric" }</th>
                        { for columns.iter().map(|c| html! {
                            <th scope="col">{ &c.heading }
                                if let Some(note) = &c.note { <span class="entry-unusual">{ format!(" ({note})") }</span> }
                            </th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">{ "DORA tier (2024)" }</th>
                        { for columns.iter().map(|c| html! { <td>{ &c.tier }</td> }) }
                    </tr>
                </tbody>
                { for [Side::Sre, Side::Devops, Side::Product].into_iter().map(|side| html! {
                    <tbody>
                        <tr class="side-row"><th scope="rowgroup" colspan={(columns.len() + 1).to_string()}>{ side.label() }</th></tr>
                        { for METRICS.iter().enumerate().filter(|(_, m)| m.side == side).map(|(i, metric)| html! {
                            <tr>
                                <th scope="row">{ metric.label }</th>
                                { for columns.iter().map(|c| match c.cells.get(i) {
                                    Some(Cell { text, best: true }) => html! { <td class="best"><strong>{ format!("★ {text}") }</strong></td> },
                                    Some(Cell { text, .. }) => html! { <td>{ text }</td> },
                                    None => html! { <td>{ "—" }</td> },
                                }) }
                            </tr>
                        }) }
                    </tbody>
                }) }
            </table>
        </div>
    }
}
