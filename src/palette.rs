//! The app's colours, each defined once: the Okabe–Ito palette, which people with every
//! common kind of colour blindness tell apart, plus ink and grid greys. The canvas charts
//! (plotters) take them as `RGBColor`; the SVG charts and HTML beside them as CSS via
//! [`css_colour`]. Styles in `styles/` name the same values for the page's own chrome.

use plotters::style::RGBColor;

pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
pub const INK: RGBColor = RGBColor(33, 37, 41);
pub const GRID: RGBColor = RGBColor(222, 226, 230);

/// One colour per compared group or line, in legend order (more groups reuse them, and
/// the charts add a shape or a dash pattern so that none rests on colour alone).
pub const SERIES: [RGBColor; 4] = [BLUE, VERMILLION, GREEN, PURPLE];

/// The colour of series `i`.
pub fn series(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// A colour as CSS, for SVG and HTML.
pub fn css_colour(colour: RGBColor) -> String {
    let RGBColor(r, g, b) = colour;
    format!("rgb({r}, {g}, {b})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_colours_repeat_in_legend_order() {
        assert_eq!(css_colour(series(0)), "rgb(0, 114, 178)");
        assert_eq!(series(4), series(0));
        assert_eq!(css_colour(series(1)), "rgb(213, 94, 0)");
    }
}
