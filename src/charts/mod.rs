//! Charts drawn with plotters on a canvas: one module per chart, each a `draw` function.
//!
//! A canvas keeps nothing, so cost grows with what is drawn: every series is first reduced
//! to about one point per pixel column, keeping each column's minimum and maximum so a
//! one-tick outage still shows.

pub mod availability;
pub mod budget;
pub mod burn;
pub mod latency;
pub mod table;
pub mod traffic;

use ops_dojo_engine::{Simulation, TickRecord};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Okabe–Ito colours: told apart by people with every common kind of colour blindness.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const INK: RGBColor = RGBColor(33, 37, 41);
pub const GRID: RGBColor = RGBColor(222, 226, 230);

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
    pub fn draw(self, canvas: &HtmlCanvasElement, sim: &Simulation) -> Result<(), String> {
        match self {
            ChartKind::Availability => availability::draw(canvas, sim),
            ChartKind::Latency => latency::draw(canvas, sim),
            ChartKind::Budget => budget::draw(canvas, sim),
            ChartKind::Burn => burn::draw(canvas, sim),
            ChartKind::Traffic => traffic::draw(canvas, sim),
        }
    }

    pub fn legend(self, sim: &Simulation) -> Vec<LegendEntry> {
        match self {
            ChartKind::Availability => availability::legend(sim),
            ChartKind::Latency => latency::legend(sim),
            ChartKind::Budget => budget::legend(sim),
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

/// Reduces a series of records (one per slot: a tick, or a minute) to at most `columns`
/// columns spread over the whole run, so the x axis is fixed from the start and the line
/// grows to the right.
pub fn columns(
    records: &[TickRecord],
    slots_in_run: u32,
    slots_per_day: u32,
    columns: usize,
    value: impl Fn(&TickRecord) -> f64,
) -> Vec<Column> {
    let ticks_per_column = (slots_in_run as usize).div_ceil(columns.max(1)).max(1);
    records
        .chunks(ticks_per_column)
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
                day: (i * ticks_per_column) as f64 / f64::from(slots_per_day),
                min,
                max,
                mean: sum / chunk.len() as f64,
            }
        })
        .collect()
}

/// A chart over the days of the run; linear y axis unless `Y` says otherwise
/// (`LogCoord<f64>` for a log scale).
pub type DayChart<'a, Y = RangedCoordf64> =
    ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, Y>>;
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

/// Axes and grid for a chart whose x axis is the run's days. `y` is a range (`0.0..100.0`)
/// or a range made logarithmic (`(1.0..1000.0).log_scale()`).
pub fn day_chart<'a, Y>(
    root: &'a Canvas,
    days: u32,
    y: Y,
    y_label: &dyn Fn(&f64) -> String,
) -> Result<DayChart<'a, Y::CoordDescType>, String>
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .margin_right(28) // room for the last day's label
        .x_label_area_size(24)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..f64::from(days), y)
        .map_err(describe)?;
    chart
        .configure_mesh()
        // Every day up to ten days; beyond, plotters picks round steps (5 days, 10 days)
        // from at most eight labels, so "Day N" labels never run into each other.
        .x_labels((days as usize + 1).min(if days <= 10 { 11 } else { 8 }))
        .x_label_formatter(&|d| format!("Day {}", *d as u32 + 1))
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
        let RGBColor(r, g, b) = self.colour;
        format!("rgb({r}, {g}, {b})")
    }
}

/// A horizontal dashed threshold line across the whole run.
pub fn threshold<Y: Ranged<ValueType = f64>>(
    chart: &mut DayChart<'_, Y>,
    days: f64,
    y: f64,
    colour: RGBColor,
) -> Result<(), String> {
    patterned_line(chart, days, y, colour, (8, 5))
}

/// A horizontal dotted threshold line across the whole run: a lesser alert's (a ticket's),
/// told apart from the dashed page thresholds by its pattern as well as its colour.
pub fn dotted_threshold<Y: Ranged<ValueType = f64>>(
    chart: &mut DayChart<'_, Y>,
    days: f64,
    y: f64,
    colour: RGBColor,
) -> Result<(), String> {
    patterned_line(chart, days, y, colour, (2, 4))
}

/// A horizontal line across the run, drawn in (dash, gap) pixels.
fn patterned_line<Y: Ranged<ValueType = f64>>(
    chart: &mut DayChart<'_, Y>,
    days: f64,
    y: f64,
    colour: RGBColor,
    (dash, gap): (u32, u32),
) -> Result<(), String> {
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, y), (days, y)],
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
        let cols = columns(&records, 1000, TICKS_PER_DAY, 10, |r| r.sli());
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
        let cols = columns(&records, 1000, TICKS_PER_DAY, 10, |r| r.sli());
        assert_eq!(cols.len(), 3, "250 of 1000 ticks fill 2.5 of 10 columns");
    }
}
