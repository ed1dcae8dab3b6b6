//! The time axis every chart and the annotation strip share: which ticks they show, where
//! the plot sits on the canvas, and how a pixel maps to a tick and back.
//!
//! One helper for all of them so a deploy marked on the strip sits exactly above the dip it
//! caused, and so the hover read-out reads the tick the chart drew at that pixel.

use std::ops::Range;

use ops_dojo_engine::clock::{ClockTime, Tick, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE};

/// Size every chart is drawn at, canvas pixels (CSS scales it to the column's width).
pub const CANVAS_WIDTH_PX: u32 = 760;
pub const CANVAS_HEIGHT_PX: u32 = 220;
/// Empty space around a chart, canvas pixels.
pub const MARGIN_PX: u32 = 8;
/// Empty space right of the plot, canvas pixels: room for the last time label.
pub const MARGIN_RIGHT_PX: u32 = 28;
/// Height of the time labels under the plot, canvas pixels.
pub const X_LABEL_AREA_PX: u32 = 24;
/// Width of the value labels left of the plot, canvas pixels.
pub const Y_LABEL_AREA_PX: u32 = 64;

/// A stretch of the run, `start..end` in ticks (end excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TickSpan {
    pub start: Tick,
    pub end: Tick,
}

impl TickSpan {
    /// The run from its first to its last tick, simulated or not: the axis is fixed from
    /// the start and the lines grow to the right.
    pub fn whole_run(run_ticks: Tick) -> Self {
        Self {
            start: 0,
            end: run_ticks.max(1),
        }
    }

    /// Ticks in the span (at least 1).
    pub fn ticks(&self) -> u32 {
        (self.end - self.start).max(1)
    }

    /// The span in days since the run began: the charts' x coordinates.
    pub fn days(&self) -> Range<f64> {
        day_of(self.start)..day_of(self.end)
    }

    pub fn contains(&self, tick: Tick) -> bool {
        (self.start..self.end).contains(&tick)
    }
}

/// How much of the run the charts and the strip show: the issue's "last hour / day / whole
/// SLO window", plus the whole run (the default: the axis fixed, the lines growing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewRange {
    LastHour,
    LastDay,
    /// The headline SLO's rolling window, ending now.
    SloWindow,
    #[default]
    WholeRun,
}

impl ViewRange {
    pub const ALL: [ViewRange; 4] = [
        ViewRange::LastHour,
        ViewRange::LastDay,
        ViewRange::SloWindow,
        ViewRange::WholeRun,
    ];

    /// Stable name for tests and styles.
    pub fn id(self) -> &'static str {
        match self {
            ViewRange::LastHour => "hour",
            ViewRange::LastDay => "day",
            ViewRange::SloWindow => "window",
            ViewRange::WholeRun => "run",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ViewRange::LastHour => "Last hour",
            ViewRange::LastDay => "Last day",
            ViewRange::SloWindow => "Whole window",
            ViewRange::WholeRun => "Whole run",
        }
    }

    /// The span shown, for a run of `run_ticks` simulated up to `now`, whose SLO window is
    /// `window_days` long. A range ending now starts its axis at the run's start until
    /// there is enough history to fill it (so a fresh run shows its first hour, not an
    /// hour of nothing before it), and never reaches past the run's end.
    pub fn span(self, now: Tick, run_ticks: Tick, window_days: u32) -> TickSpan {
        let length = match self {
            ViewRange::LastHour => TICKS_PER_HOUR,
            ViewRange::LastDay => TICKS_PER_DAY,
            ViewRange::SloWindow => window_days.saturating_mul(TICKS_PER_DAY),
            ViewRange::WholeRun => run_ticks,
        }
        .clamp(1, run_ticks.max(1));
        let end = now.max(length).min(run_ticks.max(1));
        TickSpan {
            start: end - length,
            end,
        }
    }
}

/// A tick as days since the run began (the charts' x coordinate).
pub fn day_of(tick: Tick) -> f64 {
    f64::from(tick) / f64::from(TICKS_PER_DAY)
}

/// Where a span sits on a canvas: which canvas pixels the plot covers, and the mapping
/// between those pixels and ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeAxis {
    pub span: TickSpan,
    /// Canvas x of the span's first tick and of its end, canvas pixels.
    pub left_px: f64,
    pub right_px: f64,
    /// Canvas y of the top and bottom of the plot, canvas pixels.
    pub top_px: f64,
    pub bottom_px: f64,
    /// Size of the whole canvas, canvas pixels.
    pub width_px: f64,
    pub height_px: f64,
}

impl TimeAxis {
    /// The axis as the chart layout places it on a canvas of this size (the annotation strip
    /// has no plotters chart to ask; the charts report the mapping plotters actually used).
    pub fn standard(span: TickSpan, width_px: u32, height_px: u32) -> Self {
        Self {
            span,
            // Plotters maps a range's end onto the plot's last pixel, one before its edge.
            left_px: f64::from(MARGIN_PX + Y_LABEL_AREA_PX),
            right_px: f64::from(width_px.saturating_sub(MARGIN_RIGHT_PX + 1)),
            top_px: f64::from(MARGIN_PX),
            bottom_px: f64::from(height_px.saturating_sub(MARGIN_PX + X_LABEL_AREA_PX + 1)),
            width_px: f64::from(width_px),
            height_px: f64::from(height_px),
        }
    }

    /// Canvas x of a (possibly fractional) tick.
    pub fn x_px(&self, tick: f64) -> f64 {
        let share = (tick - f64::from(self.span.start)) / f64::from(self.span.ticks());
        self.left_px + share * (self.right_px - self.left_px)
    }

    /// The tick drawn at canvas x, or None left or right of the plot.
    pub fn tick_at(&self, x_px: f64) -> Option<Tick> {
        let width = self.right_px - self.left_px;
        if width <= 0.0 || x_px < self.left_px || x_px > self.right_px {
            return None;
        }
        let share = (x_px - self.left_px) / width;
        let tick = f64::from(self.span.start) + share * f64::from(self.span.ticks());
        // The right edge is the span's end, which is not in it: read its last tick.
        Some((tick.floor() as Tick).min(self.span.end.saturating_sub(1)))
    }

    /// Canvas x as a percentage of the canvas width, for CSS that overlays the canvas.
    pub fn x_percent(&self, x_px: f64) -> f64 {
        x_px / self.width_px * 100.0
    }

    /// Canvas y as a percentage of the canvas height.
    pub fn y_percent(&self, y_px: f64) -> f64 {
        y_px / self.height_px * 100.0
    }
}

/// Steps between time labels, in ticks, from the finest: the first that leaves at most
/// `MAX_LABELS` labels on the span is used.
const LABEL_STEPS: [u32; 14] = [
    5 * TICKS_PER_MINUTE,
    10 * TICKS_PER_MINUTE,
    15 * TICKS_PER_MINUTE,
    30 * TICKS_PER_MINUTE,
    TICKS_PER_HOUR,
    2 * TICKS_PER_HOUR,
    3 * TICKS_PER_HOUR,
    6 * TICKS_PER_HOUR,
    12 * TICKS_PER_HOUR,
    TICKS_PER_DAY,
    2 * TICKS_PER_DAY,
    5 * TICKS_PER_DAY,
    7 * TICKS_PER_DAY,
    10 * TICKS_PER_DAY,
];
/// Most time labels on one axis: "Day 10" and "12:00" fit side by side at 11 per 660 px.
const MAX_LABELS: u32 = 11;

/// Ticks between two time labels on this span.
pub fn label_step(span: TickSpan) -> u32 {
    LABEL_STEPS
        .iter()
        .copied()
        .find(|step| span.ticks() / step < MAX_LABELS)
        .unwrap_or(30 * TICKS_PER_DAY)
}

/// Where the time labels (and vertical grid lines) go: every `label_step` from the first
/// round time in the span, in days.
pub fn key_points(span: TickSpan) -> Vec<f64> {
    let step = label_step(span);
    let first = span.start.div_ceil(step) * step;
    (first..=span.end)
        .step_by(step as usize)
        .map(day_of)
        .collect()
}

/// A time label: "Day 3" at midnight, else the time of day ("14:30").
pub fn time_label(day: f64) -> String {
    let time = ClockTime::at((day * f64::from(TICKS_PER_DAY)).round() as Tick);
    if time.hour == 0 && time.minute == 0 {
        format!("Day {}", time.day)
    } else {
        format!("{:02}:{:02}", time.hour, time.minute)
    }
}

/// A moment as the read-out says it: "Day 3 (Wed) 14:05".
pub fn moment(tick: Tick) -> String {
    let time = ClockTime::at(tick);
    format!(
        "Day {} ({}) {:02}:{:02}",
        time.day,
        time.weekday(),
        time.hour,
        time.minute
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis() -> TimeAxis {
        TimeAxis::standard(TickSpan::whole_run(7 * TICKS_PER_DAY), 760, 220)
    }

    #[test]
    fn ticks_map_onto_the_plot() {
        let axis = axis();
        assert_eq!(axis.left_px, 72.0);
        assert_eq!(axis.right_px, 731.0);
        assert_eq!(axis.x_px(0.0), 72.0);
        assert_eq!(axis.x_px(f64::from(7 * TICKS_PER_DAY)), 731.0);
        assert_eq!(
            axis.x_px(f64::from(3 * TICKS_PER_DAY + 12 * TICKS_PER_HOUR)),
            401.5
        );
    }

    #[test]
    fn labels_are_round_times_and_never_crowd() {
        let week = TickSpan::whole_run(7 * TICKS_PER_DAY);
        assert_eq!(key_points(week), (0..=7).map(f64::from).collect::<Vec<_>>());
        let month = TickSpan::whole_run(28 * TICKS_PER_DAY);
        assert_eq!(label_step(month), 5 * TICKS_PER_DAY);
        // An hour from 14:05 on day 3: labels every 10 minutes from 14:10.
        let start = 2 * TICKS_PER_DAY + 14 * TICKS_PER_HOUR + 5 * TICKS_PER_MINUTE;
        let hour = TickSpan {
            start,
            end: start + TICKS_PER_HOUR,
        };
        let labels: Vec<String> = key_points(hour).into_iter().map(time_label).collect();
        assert_eq!(
            labels,
            ["14:10", "14:20", "14:30", "14:40", "14:50", "15:00"]
        );
        let day = TickSpan {
            start,
            end: start + TICKS_PER_DAY,
        };
        let labels: Vec<String> = key_points(day).into_iter().map(time_label).collect();
        assert_eq!(labels[0], "15:00");
        assert!(labels.contains(&"Day 4".to_string()), "{labels:?}");
        for span in [week, month, hour, day] {
            assert!(key_points(span).len() <= MAX_LABELS as usize);
        }
    }

    #[test]
    fn pixels_map_back_to_ticks() {
        let axis = axis();
        assert_eq!(axis.tick_at(71.0), None, "left of the plot");
        assert_eq!(axis.tick_at(732.0), None, "right of the plot");
        assert_eq!(axis.tick_at(731.0), Some(7 * TICKS_PER_DAY - 1));
        assert_eq!(
            axis.tick_at(401.5),
            Some(3 * TICKS_PER_DAY + 12 * TICKS_PER_HOUR)
        );
        for tick in [0, 1234, 7 * TICKS_PER_DAY - 1] {
            let back = axis.tick_at(axis.x_px(f64::from(tick) + 0.5));
            assert_eq!(back, Some(tick), "tick {tick} survives the round trip");
        }
    }

    #[test]
    fn ranges_end_now_and_stay_inside_the_run() {
        let run = 7 * TICKS_PER_DAY;
        let now = 3 * TICKS_PER_DAY + 5 * TICKS_PER_HOUR;
        let span = |range: ViewRange, now| range.span(now, run, 28);
        assert_eq!(
            span(ViewRange::LastHour, now),
            TickSpan {
                start: now - TICKS_PER_HOUR,
                end: now
            }
        );
        assert_eq!(span(ViewRange::LastDay, now).ticks(), TICKS_PER_DAY);
        assert_eq!(span(ViewRange::WholeRun, now), TickSpan::whole_run(run));
        // A 28-day window on a 7-day run is the whole run.
        assert_eq!(span(ViewRange::SloWindow, now), TickSpan::whole_run(run));
        // Ten minutes in, the last hour is the run's first hour.
        assert_eq!(
            span(ViewRange::LastHour, 60),
            TickSpan {
                start: 0,
                end: TICKS_PER_HOUR
            }
        );
        // At the end, the last day is the run's last day.
        assert_eq!(
            span(ViewRange::LastDay, run),
            TickSpan {
                start: run - TICKS_PER_DAY,
                end: run
            }
        );
        // A one-day run: the last day and the whole run are the same.
        assert_eq!(
            ViewRange::SloWindow.span(100, TICKS_PER_DAY, 28),
            TickSpan::whole_run(TICKS_PER_DAY)
        );
    }

    #[test]
    fn moments_read_as_day_and_time() {
        assert_eq!(moment(0), "Day 1 (Mon) 00:00");
        assert_eq!(
            moment(2 * TICKS_PER_DAY + 14 * TICKS_PER_HOUR + 5 * TICKS_PER_MINUTE),
            "Day 3 (Wed) 14:05"
        );
    }
}
