//! Saving text the app made (result codes, CSV tables, saved runs) as a file on the user's
//! machine: a Blob behind a temporary object URL, clicked through a hidden link. Nothing is
//! uploaded anywhere.

use gloo::file::{Blob, ObjectUrl};
use wasm_bindgen::JsCast;

/// Offers `contents` as a download named `file_name`, of type `mime`.
pub fn save(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let url = ObjectUrl::from(Blob::new_with_options(contents, Some(mime)));
    // The URL is revoked when `url` drops; the browser has taken the data by then, as
    // click() starts the download synchronously.
    save_url(file_name, &url)
}

/// Offers what `url` points at (an object URL, or a `data:` URL from a canvas) as a
/// download named `file_name`.
pub fn save_url(file_name: &str, url: &str) -> Result<(), String> {
    let cannot = |_| "this browser cannot make a download link".to_string();
    let link: web_sys::HtmlElement = gloo::utils::document()
        .create_element("a")
        .map_err(cannot)?
        .unchecked_into();
    link.set_attribute("href", url)
        .and_then(|()| link.set_attribute("download", file_name))
        .map_err(cannot)?;
    link.click();
    Ok(())
}

/// Offers the `<svg>` with id `id` as an SVG file: the charts drawn in SVG keep their
/// sharpness in a slide or a report.
pub fn save_svg(id: &str, file_name: &str) -> Result<(), String> {
    let element = gloo::utils::document()
        .get_element_by_id(id)
        .ok_or("the chart is not on the page")?;
    // Inside an HTML page an <svg> needs no namespace; a file on its own does.
    let markup =
        element
            .outer_html()
            .replacen("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 1);
    save(file_name, "image/svg+xml", &markup)
}

/// A file name from a title: lowercase words joined by dashes ("Black Friday" →
/// "black-friday"), so downloads sort and read well. ASCII only, which every file system
/// takes (and Unicode case tables would weigh on the shipped wasm).
pub fn file_stem(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "ops-dojo".to_string()
    } else {
        words.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn file_names_come_from_titles() {
        assert_eq!(
            file_stem("Black Friday: the capstone"),
            "black-friday-the-capstone"
        );
        assert_eq!(file_stem("  ***  "), "ops-dojo");
    }
}
