//! The numbers behind each chart as a table, one row per simulated hour: the text
//! alternative for people who cannot see the canvas, and for anyone who wants exact values.

use ops_dojo_engine::clock::{ClockTime, TICKS_PER_HOUR, TICK_LABEL, TICK_SECONDS};
use ops_dojo_engine::{slo, Simulation, TickRecord};

use super::axis::TickSpan;
use super::ChartKind;
use crate::class_results::csv_field;
use crate::format::{burn, percent};

/// Column headings and rows (already formatted, with units).
pub struct DataTable {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl DataTable {
    /// The table as CSV (RFC 4180), headings first: a chart's timeline for a spreadsheet.
    pub fn to_csv(&self) -> String {
        let line = |cells: Vec<String>| cells.join(",") + "\r\n";
        let mut csv = line(self.headings.iter().map(|h| csv_field(h)).collect());
        for row in &self.rows {
            csv.push_str(&line(row.iter().map(|c| csv_field(c)).collect()));
        }
        csv
    }
}

/// One row per full or partial hour simulated so far that overlaps `span` (the range the
/// chart shows).
pub fn hourly(kind: ChartKind, sim: &Simulation, span: TickSpan) -> DataTable {
    let first = span.start / TICKS_PER_HOUR;
    let last = span.end.div_ceil(TICKS_PER_HOUR);
    let hours = sim
        .records()
        .chunks(TICKS_PER_HOUR as usize)
        .enumerate()
        .skip(first as usize)
        .take((last - first) as usize);
    let when = |hour: usize| ClockTime::at(hour as u32 * TICKS_PER_HOUR).to_string();
    let per_second = |requests: u32| f64::from(requests) / f64::from(TICK_SECONDS);
    match kind {
        ChartKind::Availability => DataTable {
            headings: headings(&[
                "hour starting",
                "availability SLI",
                &format!("worst {TICK_LABEL}"),
            ]),
            rows: hours
                .map(|(i, ticks)| {
                    let (good, offered) = sums(ticks);
                    let worst = ticks.iter().map(TickRecord::sli).fold(1.0, f64::min);
                    vec![
                        when(i),
                        percent(slo::sli(good, offered), 3),
                        percent(worst, 2),
                    ]
                })
                .collect(),
        },
        ChartKind::Latency => DataTable {
            headings: headings(&[
                "hour starting",
                "mean p50, ms",
                "mean p90, ms",
                &format!("worst {TICK_LABEL} p99, ms"),
            ]),
            rows: hours
                .map(|(i, ticks)| {
                    let mean = |p: usize| {
                        ticks
                            .iter()
                            .map(|r| f64::from(r.latency_ms[p]))
                            .sum::<f64>()
                            / ticks.len() as f64
                    };
                    let worst = ticks
                        .iter()
                        .map(|r| f64::from(r.latency_ms[2]))
                        .fold(0.0, f64::max);
                    vec![
                        when(i),
                        format!("{:.0}", mean(0)),
                        format!("{:.0}", mean(1)),
                        format!("{worst:.0}"),
                    ]
                })
                .collect(),
        },
        ChartKind::Budget => DataTable {
            headings: headings(&["hour starting", "error budget left at the end"]),
            rows: hours
                .map(|(i, ticks)| {
                    let left = ticks.last().map_or(1.0, |r| f64::from(r.budget_remaining));
                    vec![when(i), percent(left, 1)]
                })
                .collect(),
        },
        ChartKind::Burn => {
            // Fixed windows, whatever the SLO's alert table: a table may have one rule
            // (single-window) or windows of its own, and the headings must stay true.
            let windows = [
                slo::BurnWindow::ONE_HOUR,
                slo::BurnWindow::SIX_HOURS,
                slo::BurnWindow::ONE_DAY,
            ];
            DataTable {
                headings: headings(&[
                    "hour starting",
                    "burn rate over 1 h",
                    "burn rate over 6 h",
                    "burn rate over 1 d",
                ]),
                rows: hours
                    .map(|(i, ticks)| {
                        let end = i as u32 * TICKS_PER_HOUR + ticks.len() as u32 - 1;
                        let mut row = vec![when(i)];
                        row.extend(windows.iter().map(|w| burn(sim.burn_rate_at(end, w.ticks))));
                        row
                    })
                    .collect(),
            }
        }
        ChartKind::Traffic => DataTable {
            headings: headings(&[
                "hour starting",
                "mean arrivals/s",
                &format!("busiest {TICK_LABEL}, arrivals/s"),
                "capacity/s",
            ]),
            rows: hours
                .map(|(i, ticks)| {
                    let (_, offered) = sums(ticks);
                    let mean = offered as f64 / (ticks.len() as f64 * f64::from(TICK_SECONDS));
                    let busiest = ticks
                        .iter()
                        .map(|r| per_second(r.offered))
                        .fold(0.0, f64::max);
                    let capacity = ticks.last().map_or(0.0, |r| per_second(r.capacity));
                    vec![
                        when(i),
                        format!("{mean:.1}"),
                        format!("{busiest:.1}"),
                        format!("{capacity:.0}"),
                    ]
                })
                .collect(),
        },
    }
}

/// (good, offered) summed over some ticks.
fn sums(ticks: &[TickRecord]) -> (u64, u64) {
    ticks.iter().fold((0, 0), |(good, offered), r| {
        (good + u64::from(r.good), offered + u64::from(r.offered))
    })
}

/// Headings as the table keeps them.
fn headings(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}
