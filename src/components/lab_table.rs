//! The alert-policy lab's table: alert tables side by side on the same minutes, with the
//! Workbook's measures. One piece for the debrief's "Take this SLO to production" (the run's
//! own table beside the one picked) and the alert lab page (your SLO's AlertPolicy beside
//! every named table); the cells come from `own_slo::row`.

use yew::prelude::*;

use crate::components::table_head::column_heads;

/// The column heads, in the order of `own_slo::row`'s cells.
const COLUMNS: [&str; 8] = [
    "Alert table",
    "Pages (at night)",
    "Tickets",
    "Precision",
    "Recall",
    "Detection",
    "Reset",
    "Budget before a page",
];

/// A table with id `id`, one row per alert table.
pub fn lab_table(id: &'static str, rows: &[[String; 8]]) -> Html {
    html! {
        <div class="table-wide">
            <table {id} class="compare-table">
                <caption>{ "Each alert table on the same minutes. A significant event burned faster than the budget refills and spent 2 % of it or more. Precision: pages during one; recall: events that paged; detection and reset: median minutes from an event's start to its first page, and from its end until its pages resolved (– if one still fired at the end); budget before a page: the most an event spent first." }</caption>
                <thead><tr>{ column_heads(&COLUMNS) }</tr></thead>
                <tbody>
                    { for rows.iter().map(|row| html! {
                        <tr>
                            <th scope="row">{ &row[0] }</th>
                            { for row[1..].iter().map(|cell| html! { <td>{ cell }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
