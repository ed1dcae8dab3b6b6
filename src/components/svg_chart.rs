//! The frame every SVG chart shares: a titled, scalable `<svg>` with its plot area,
//! gridlines and tick labels, axis labels, a legend that never rests on colour alone, and
//! "Save as SVG". A chart supplies only its scales, ticks, marks and legend swatches.
//! (The play page's live charts draw on a canvas instead: see `charts/`.)

use yew::prelude::*;

use crate::download;

/// The chart's size and the margins around its plot area, viewBox units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// Across the plot area: `share` 0 is its left edge, 1 its right edge.
    pub fn x(&self, share: f64) -> f64 {
        self.left + share * (self.width - self.left - self.right)
    }

    /// Up the plot area: `share` 0 is its bottom edge, 1 its top edge.
    pub fn y(&self, share: f64) -> f64 {
        self.top + (1.0 - share) * (self.height - self.top - self.bottom)
    }

    fn plot_bottom(&self) -> f64 {
        self.height - self.bottom
    }
}

/// A labelled position on an axis.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisTick {
    /// Where, viewBox units (x for the horizontal axis, y for the vertical one).
    pub at: f64,
    pub label: String,
    /// Draw a gridline across the plot (value ticks); labels alone mark time.
    pub gridline: bool,
    /// Marks a tick that means something (the 0 % line), for the stylesheet.
    pub emphasis: Option<&'static str>,
}

impl AxisTick {
    /// A tick with its gridline.
    pub fn line(at: f64, label: impl Into<String>) -> Self {
        Self {
            at,
            label: label.into(),
            gridline: true,
            emphasis: None,
        }
    }

    /// A label with no gridline.
    pub fn label(at: f64, label: impl Into<String>) -> Self {
        Self {
            gridline: false,
            ..Self::line(at, label)
        }
    }

    /// The same tick, with a class that sets it apart.
    pub fn emphasised(self, class: &'static str) -> Self {
        Self {
            emphasis: Some(class),
            ..self
        }
    }
}

/// One entry of the legend: its swatch (a small SVG of the mark or line) and its name.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub swatch: Html,
    pub name: AttrValue,
}

pub struct SvgChartProps {
    /// The `<svg>`'s id (and its title's, with `-title`).
    pub id: AttrValue,
    /// Classes of the `<figure>`.
    pub class: &'static str,
    pub frame: Frame,
    /// What the chart shows, for screen readers and as the SVG's title.
    pub title: AttrValue,
    pub x_ticks: Vec<AxisTick>,
    pub y_ticks: Vec<AxisTick>,
    pub x_label: AttrValue,
    pub y_label: Option<AttrValue>,
    pub legend: Vec<LegendEntry>,
    /// Name of the file "Save as SVG" writes.
    pub file_name: AttrValue,
    /// Drawn under the gridlines (a shaded zone).
    pub underlay: Html,
    /// The marks: dots, lines.
    pub children: Html,
}

pub fn svg_chart(props: &SvgChartProps) -> Html {
    let f = props.frame;
    let title_id = format!("{}-title", props.id);
    let save_svg = {
        let (id, file_name) = (props.id.clone(), props.file_name.clone());
        Callback::from(move |_: MouseEvent| {
            // A failed download leaves the chart on screen; nothing to recover.
            let _ = download::save_svg(&id, &file_name);
        })
    };
    let (top, bottom) = (f.top.to_string(), f.plot_bottom().to_string());
    html! {
        <figure class={props.class}>
            <svg id={props.id.clone()} viewBox={format!("0 0 {} {}", f.width, f.height)} role="img"
                aria-labelledby={title_id.clone()}>
                <title id={title_id}>{ props.title.clone() }</title>
                { props.underlay.clone() }
                { for props.x_ticks.iter().map(|t| html! {
                    <g class={classes!("tick", t.emphasis)}>
                        if t.gridline {
                            <line x1={t.at.to_string()} x2={t.at.to_string()} y1={top.clone()} y2={bottom.clone()} />
                        }
                        <text x={t.at.to_string()} y={(f.plot_bottom() + 14.0).to_string()} text-anchor="middle">{ &t.label }</text>
                    </g>
                }) }
                { for props.y_ticks.iter().map(|t| html! {
                    <g class={classes!("tick", t.emphasis)}>
                        if t.gridline {
                            <line x1={f.left.to_string()} x2={(f.width - f.right).to_string()} y1={t.at.to_string()} y2={t.at.to_string()} />
                        }
                        <text x={(f.left - 6.0).to_string()} y={(t.at + 4.0).to_string()} text-anchor="end">{ &t.label }</text>
                    </g>
                }) }
                <text class="axis-label" x={((f.left + f.width - f.right) / 2.0).to_string()} y={(f.height - 5.0).to_string()} text-anchor="middle">
                    { props.x_label.clone() }
                </text>
                if let Some(label) = &props.y_label {
                    <text class="axis-label" transform={format!("translate(12 {}) rotate(-90)", (f.top + f.plot_bottom()) / 2.0)} text-anchor="middle">
                        { label.clone() }
                    </text>
                }
                { props.children.clone() }
            </svg>
            <figcaption class="legend">
                { for props.legend.iter().map(|entry| html! {
                    <span class="legend-item">{ entry.swatch.clone() }{ entry.name.clone() }</span>
                }) }
            </figcaption>
            <p class="chart-downloads">
                <button type="button" onclick={save_svg}>{ "Save as SVG" }</button>
            </p>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_maps_shares_onto_the_plot_area() {
        let f = Frame {
            width: 500.0,
            height: 300.0,
            left: 50.0,
            right: 10.0,
            top: 20.0,
            bottom: 40.0,
        };
        assert_eq!((f.x(0.0), f.x(1.0)), (50.0, 490.0));
        assert_eq!((f.y(0.0), f.y(1.0)), (260.0, 20.0));
        assert_eq!(f.x(0.5), 270.0);
    }
}
