//! Charts drawn with plotters on a canvas: one module per chart, each a `draw` function.
//!
//! A canvas keeps nothing, so cost grows with what is drawn: every series is first reduced
//! to about one point per pixel column, keeping each column's minimum and maximum so a
//! one-tick outage still shows.

pub mod annotations;
pub mod availability;
pub mod axis;
pub mod budget;
pub mod burn;
pub mod latency;
pub mod table;
pub mod traffic;

use std::ops::Range;

use ops_dojo_engine::clock::TICKS_PER_MINUTE;
use ops_dojo_engine::{Simulation, Tick, TickRecord};
use plotters::coord::combinators::LogCoord;
use plotters::coord::ranged1d::{
    DefaultFormatting, KeyPointHint, NoDefaultFormatting, ValueFormatter,
};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use self::axis::{
    key_points, time_label, TickSpan, TimeAxis, MARGIN_PX, MARGIN_RIGHT_PX, X_LABEL_AREA_PX,
    Y_LABEL_AREA_PX,
};
use crate::palette::{css_colour, GRID, INK};

/// The charts of the play page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Availability,
    Latency,
    Budget,
    Burn,
    Traffic,
}

impl ChartKind {
    /// Draws the chart over `span` of the run; returns where its time axis landed on the
    /// canvas and the values drawn, for the hover read-out.
    pub fn draw(
        self,
        canvas: &HtmlCanvasElement,
        sim: &Simulation,
        span: TickSpan,
    ) -> Result<Drawn, String> {
        match self {
            ChartKind::Availability => availability::draw(canvas, sim, span),
            ChartKind::Latency => latency::draw(canvas, sim, span),
            ChartKind::Budget => budget::draw(canvas, sim, span),
            ChartKind::Burn => burn::draw(canvas, sim, span),
            ChartKind::Traffic => traffic::draw(canvas, sim, span),
        }
    }

    pub fn legend(self, sim: &Simulation, span: TickSpan) -> Vec<LegendEntry> {
        match self {
            ChartKind::Availability => availability::legend(sim),
            ChartKind::Latency => latency::legend(sim),
            ChartKind::Budget => budget::legend(sim, span),
            ChartKind::Burn => burn::legend(sim),
            ChartKind::Traffic => traffic::legend(),
        }
    }
}

/// One pixel column's worth of ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// Start of the column, in days since the run began.
    pub day: f64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

/// Reduces the records of `slots` (records are one per slot: a tick, or a minute) to at
/// most `columns` columns spread evenly over those slots, so the x axis is fixed and the
/// line grows to the right while the slots are still being simulated.
pub fn columns(
    records: &[TickRecord],
    slots: Range<u32>,
    slots_per_day: u32,
    columns: usize,
    value: impl Fn(&TickRecord) -> f64,
) -> Vec<Column> {
    let span = slots.end.saturating_sub(slots.start) as usize;
    let per_column = span.div_ceil(columns.max(1)).max(1);
    let first = (slots.start as usize).min(records.len());
    let last = (slots.end as usize).min(records.len());
    records[first..last]
        .chunks(per_column)
        .enumerate()
        .map(|(i, chunk)| {
            let (mut min, mut max, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
            for record in chunk {
                let v = value(record);
                min = min.min(v);
                max = max.max(v);
                sum += v;
            }
            Column {
                day: (first + i * per_column) as f64 / f64::from(slots_per_day),
                min,
                max,
                mean: sum / chunk.len() as f64,
            }
        })
        .collect()
}

/// A chart over a span of the run (x in days since the run began, labelled at round
/// times) and a value axis, linear or logarithmic.
pub type DayChart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<TimeCoord, ValueAxis>>;

/// The y axis of every chart: plotters' own linear or logarithmic axis, chosen when the
/// chart is drawn. One type for both, so plotters' drawing code is built once for all the
/// charts rather than once per kind of axis (about 2 KB less to ship); grid, labels and
/// positions are exactly the wrapped axis's.
pub enum ValueAxis {
    Linear(RangedCoordf64),
    Log(LogCoord<f64>),
}

impl ValueAxis {
    /// A linear axis over `range`.
    pub fn linear(range: Range<f64>) -> Self {
        Self::Linear(range.into())
    }

    /// A logarithmic axis over `range` (both ends above 0).
    pub fn log(range: Range<f64>) -> Self {
        Self::Log(range.log_scale().into())
    }
}

impl Ranged for ValueAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        match self {
            Self::Linear(axis) => axis.map(value, limit),
            Self::Log(axis) => axis.map(value, limit),
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self {
            Self::Linear(axis) => axis.key_points(hint),
            Self::Log(axis) => axis.key_points(hint),
        }
    }

    fn range(&self) -> Range<f64> {
        match self {
            Self::Linear(axis) => axis.range(),
            Self::Log(axis) => axis.range(),
        }
    }
}

/// The x axis as plotters sees it: days since the run began, with grid lines and labels
/// at the round times `axis::key_points` picks ("Day 3", "14:30") rather than at plotters'
/// round numbers of days (0.0417 days is not a time anyone reads).
pub struct TimeCoord {
    days: RangedCoordf64,
    labels_at: Vec<f64>,
}

impl TimeCoord {
    fn new(span: TickSpan) -> Self {
        Self {
            days: span.days().into(),
            labels_at: key_points(span),
        }
    }
}

impl Ranged for TimeCoord {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, day: &f64, limit: (i32, i32)) -> i32 {
        self.days.map(day, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Bold lines only: a label per line, none between.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.labels_at.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.days.range()
    }
}

impl ValueFormatter<f64> for TimeCoord {
    fn format(day: &f64) -> String {
        time_label(*day)
    }
}
/// The whole canvas.
pub type Canvas = DrawingArea<CanvasBackend, Shift>;

/// A cleared canvas to draw on.
pub fn open(canvas: &HtmlCanvasElement) -> Result<Canvas, String> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("this browser cannot draw on a canvas")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(describe)?;
    Ok(root)
}

/// Axes and grid for a chart whose x axis is `span` of the run, laid out as
/// `axis::TimeAxis::standard` says (the annotation strip lines up with it).
pub fn day_chart<'a>(
    root: &'a Canvas,
    span: TickSpan,
    y: ValueAxis,
    y_label: &dyn Fn(&f64) -> String,
) -> Result<DayChart<'a>, String> {
    let mut chart = ChartBuilder::on(root)
        .margin(MARGIN_PX)
        .margin_right(MARGIN_RIGHT_PX)
        .x_label_area_size(X_LABEL_AREA_PX)
        .y_label_area_size(Y_LABEL_AREA_PX)
        .build_cartesian_2d(TimeCoord::new(span), y)
        .map_err(describe)?;
    chart
        .configure_mesh()
        .y_labels(6)
        .y_label_formatter(y_label)
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(INK)
        .label_style(("sans-serif", 13).into_font().color(&INK))
        .draw()
        .map_err(describe)?;
    Ok(chart)
}

/// How the hover read-out prints a series' values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A share drawn in percent (the value is already × 100), with this many decimals.
    Percent(usize),
    Milliseconds,
    RequestsPerSecond,
    BurnRate,
}

impl Unit {
    pub fn format(self, value: f64) -> String {
        if !value.is_finite() {
            return "—".to_string(); // no requests, so no latency
        }
        match self {
            Unit::Percent(digits) => format!("{value:.digits$} %"),
            Unit::Milliseconds => format!("{value:.0} ms"),
            Unit::RequestsPerSecond => format!("{value:.1} requests/s"),
            Unit::BurnRate => crate::format::burn(value),
        }
    }
}

/// One series as the hover read-out reads it: the points drawn, in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadoutSeries {
    /// As the legend names it.
    pub label: String,
    pub colour: RGBColor,
    pub unit: Unit,
    /// (day, value) as drawn: one per pixel column.
    pub points: Vec<(f64, f64)>,
}

impl ReadoutSeries {
    pub fn new(label: impl Into<String>, colour: RGBColor, unit: Unit) -> Self {
        Self {
            label: label.into(),
            colour,
            unit,
            points: Vec::new(),
        }
    }

    pub fn with_points(mut self, points: Vec<(f64, f64)>) -> Self {
        self.points = points;
        self
    }
}

/// What a chart drew: where its time axis landed on the canvas and the values of each
/// series, so a hover read-out says exactly what is under the pointer without redrawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub axis: TimeAxis,
    pub series: Vec<ReadoutSeries>,
    /// Ticks simulated when it was drawn: later ticks have no values yet.
    pub simulated: Tick,
}

impl Drawn {
    /// Ticks one pixel column covers (one point per series; a minute at least, the
    /// availability chart's step).
    pub fn column_ticks(&self) -> u32 {
        let columns = (self.axis.right_px - self.axis.left_px).max(1.0) as u32;
        self.axis
            .span
            .ticks()
            .div_ceil(columns)
            .max(TICKS_PER_MINUTE)
    }

    /// Each series' value at `tick`, formatted with its unit: the point drawn nearest to it,
    /// if one lies within a column (None where nothing was drawn, e.g. not simulated yet).
    pub fn values_at(&self, tick: Tick) -> Vec<(&ReadoutSeries, Option<String>)> {
        let day = axis::day_of(tick);
        let reach = axis::day_of(self.column_ticks());
        self.series
            .iter()
            .map(|series| {
                let value = (tick < self.simulated)
                    .then(|| nearest(&series.points, day, reach))
                    .flatten()
                    .map(|v| series.unit.format(v));
                (series, value)
            })
            .collect()
    }
}

/// The value of the point nearest to `day`, if one lies within `reach` days of it.
fn nearest(points: &[(f64, f64)], day: f64, reach: f64) -> Option<f64> {
    let after = points.partition_point(|(d, _)| *d <= day);
    let candidates = [after.checked_sub(1), Some(after)];
    candidates
        .into_iter()
        .flatten()
        .filter_map(|i| points.get(i))
        .filter(|(d, _)| (d - day).abs() <= reach)
        .min_by(|a, b| (a.0 - day).abs().total_cmp(&(b.0 - day).abs()))
        .map(|(_, v)| *v)
}

/// What a chart drew, with the mapping plotters really used for its time axis (the hover
/// read-out turns pointer positions into ticks with it).
pub fn drawn(
    chart: &DayChart<'_>,
    canvas: &HtmlCanvasElement,
    sim: &Simulation,
    span: TickSpan,
    series: Vec<ReadoutSeries>,
) -> Drawn {
    let x = chart.x_range();
    let y = chart.y_range();
    let (left, top) = chart.backend_coord(&(x.start, y.end));
    let (right, bottom) = chart.backend_coord(&(x.end, y.start));
    let axis = TimeAxis {
        span,
        left_px: f64::from(left),
        right_px: f64::from(right),
        top_px: f64::from(top),
        bottom_px: f64::from(bottom),
        width_px: f64::from(canvas.width()),
        height_px: f64::from(canvas.height()),
    };
    Drawn {
        axis,
        series,
        simulated: sim.tick(),
    }
}

/// A series as the legend beside the chart names it (the legend is HTML, so it never hides
/// data and screen readers read it).
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub label: String,
    pub colour: RGBColor,
    /// Dashed lines mark thresholds; solid lines are measurements.
    pub dashed: bool,
    /// Dotted rather than dashed: a ticket's threshold beside dashed page thresholds, so the
    /// two differ by pattern and not by colour alone. Always comes with `dashed`, so a
    /// legend that only knows dashes still draws it as a threshold.
    pub dotted: bool,
}

impl LegendEntry {
    pub fn solid(label: impl Into<String>, colour: RGBColor) -> Self {
        Self {
            label: label.into(),
            colour,
            dashed: false,
            dotted: false,
        }
    }

    pub fn dashed(label: impl Into<String>, colour: RGBColor) -> Self {
        Self {
            label: label.into(),
            colour,
            dashed: true,
            dotted: false,
        }
    }

    pub fn dotted(label: impl Into<String>, colour: RGBColor) -> Self {
        Self {
            label: label.into(),
            colour,
            dashed: true,
            dotted: true,
        }
    }

    /// The colour as CSS.
    pub fn css_colour(&self) -> String {
        css_colour(self.colour)
    }
}

/// A horizontal dashed threshold line across the chart.
pub fn threshold(chart: &mut DayChart<'_>, y: f64, colour: RGBColor) -> Result<(), String> {
    patterned_line(chart, y, colour, (8, 5))
}

/// A horizontal dotted threshold line across the chart: a lesser alert's (a ticket's),
/// told apart from the dashed page thresholds by its pattern as well as its colour.
pub fn dotted_threshold(chart: &mut DayChart<'_>, y: f64, colour: RGBColor) -> Result<(), String> {
    patterned_line(chart, y, colour, (2, 4))
}

/// A horizontal line across the chart, drawn in (dash, gap) pixels.
fn patterned_line(
    chart: &mut DayChart<'_>,
    y: f64,
    colour: RGBColor,
    (dash, gap): (u32, u32),
) -> Result<(), String> {
    let x = chart.x_range();
    chart
        .draw_series(DashedLineSeries::new(
            [(x.start, y), (x.end, y)],
            dash,
            gap,
            colour.stroke_width(2),
        ))
        .map_err(describe)?;
    Ok(())
}

/// A drawing error, as text for the page.
pub fn describe<E: std::fmt::Debug>(error: E) -> String {
    format!("could not draw the chart: {error:?}")
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::clock::TICKS_PER_DAY;

    use super::*;
    use crate::palette::BLUE;

    fn record(good: u32) -> TickRecord {
        TickRecord {
            offered: 100,
            good,
            capacity: 100,
            budget_remaining: 1.0,
            latency_ms: [50.0, 90.0, 120.0],
        }
    }

    #[test]
    fn downsampling_keeps_spikes() {
        let mut records = vec![record(100); 1000];
        records[537] = record(0); // a one-tick outage
        let cols = columns(&records, 0..1000, TICKS_PER_DAY, 10, |r| r.sli());
        assert_eq!(cols.len(), 10);
        assert_eq!(
            cols[5].min, 0.0,
            "the outage survives in its column's minimum"
        );
        assert_eq!(cols[5].max, 1.0);
        assert!((cols[5].mean - 0.99).abs() < 1e-12);
        assert!(cols.iter().enumerate().all(|(i, c)| i == 5 || c.min == 1.0));
    }

    #[test]
    fn columns_cover_only_the_ticks_run_so_far() {
        let records = vec![record(100); 250];
        let cols = columns(&records, 0..1000, TICKS_PER_DAY, 10, |r| r.sli());
        assert_eq!(cols.len(), 3, "250 of 1000 ticks fill 2.5 of 10 columns");
    }

    #[test]
    fn the_read_out_gives_the_value_drawn_under_the_pointer() {
        let span = axis::TickSpan::whole_run(3 * TICKS_PER_DAY);
        let drawn = Drawn {
            axis: axis::TimeAxis::standard(span, 760, 220),
            series: vec![
                ReadoutSeries::new("p99", BLUE, Unit::Milliseconds).with_points(
                    (0..100)
                        .map(|i| (f64::from(i * 14) / f64::from(TICKS_PER_DAY), f64::from(i)))
                        .collect(),
                ),
            ],
            simulated: 100 * 14,
        };
        // Three days over 659 pixel columns: 14 ticks (7 min) per column.
        assert_eq!(drawn.column_ticks(), 14);
        let at = |tick| drawn.values_at(tick)[0].1.clone();
        assert_eq!(at(0).as_deref(), Some("0 ms"));
        assert_eq!(at(14 * 40 + 3).as_deref(), Some("40 ms"));
        assert_eq!(
            at(14 * 40 + 12).as_deref(),
            Some("41 ms"),
            "nearer the next column"
        );
        assert_eq!(at(100 * 14 + 5), None, "not simulated yet");
        assert_eq!(Unit::Milliseconds.format(f64::NAN), "—");
        assert_eq!(Unit::Percent(2).format(99.951), "99.95 %");
    }

    #[test]
    fn columns_cover_only_the_span_asked_for() {
        let mut records = vec![record(100); 1000];
        records[100] = record(0); // before the span: not shown
        records[650] = record(50);
        let cols = columns(&records, 600..700, TICKS_PER_DAY, 10, |r| r.sli());
        assert_eq!(cols.len(), 10);
        assert_eq!(cols[0].day, 600.0 / f64::from(TICKS_PER_DAY));
        assert_eq!(cols[5].min, 0.5);
        assert!(cols.iter().all(|c| c.min > 0.0));
    }
}
