//! Saving text the app made (result codes, CSV tables, saved runs) as a file on the user's
//! machine: a Blob behind a temporary object URL, clicked through a hidden link. Nothing is
//! uploaded anywhere.

use gloo::file::{Blob, ObjectUrl};
use wasm_bindgen::JsCast;

/// Offers `contents` as a download named `file_name`, of type `mime`.
pub fn save(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let url = ObjectUrl::from(Blob::new_with_options(contents, Some(mime)));
    let document = gloo::utils::document();
    let link: web_sys::HtmlElement = document
        .create_element("a")
        .map_err(|_| "this browser cannot make a download link".to_string())?
        .unchecked_into();
    link.set_attribute("href", &url)
        .and_then(|()| link.set_attribute("download", file_name))
        .map_err(|_| "this browser cannot make a download link".to_string())?;
    link.click();
    // The URL is revoked when `url` drops; the browser has taken the data by then, as
    // click() starts the download synchronously.
    Ok(())
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
