//! A scenario file carried in a share link: compressed, in URL-safe base64, after a
//! version prefix, and read back with a bound on what it may grow to.

use super::{unwrap_base64, CodeError};

/// Prefix of a scenario file carried in a share link (format 1).
pub const SCENARIO_PREFIX: &str = "ODS1-";

/// The largest scenario text a link may carry, bytes: the largest file the scenario reader
/// accepts (the largest built-in file is 7 KB).
pub const MAX_SCENARIO_BYTES: usize = crate::scenario::limits::MAX_FILE_BYTES;

/// A scenario file's text for a share link: raw DEFLATE (a 4 KB file shrinks to under
/// 2 KB) in URL-safe base64, after a version prefix. The text travels whole, comments
/// included, so the receiver gets the teacher's file as written.
pub fn pack_scenario(text: &str) -> String {
    scenario_code(&miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 10))
}

/// The link form of a scenario's text already compressed with raw DEFLATE. The browser has a
/// compressor of its own (`CompressionStream`), so the app calls this instead of
/// [`pack_scenario`] and ships no compressor: only the decoder.
pub fn scenario_code(deflated: &[u8]) -> String {
    format!("{SCENARIO_PREFIX}{}", crate::base64url::encode(deflated))
}

/// Reads what [`pack_scenario`] wrote. Decompression stops at [`MAX_SCENARIO_BYTES`], so a
/// hostile link cannot make it allocate without limit; the text must be UTF-8, and it still
/// has to be parsed as a scenario.
pub fn unpack_scenario(code: &str) -> Result<String, CodeError> {
    const WHAT: &str = "scenario in the link";
    let bytes = unwrap_base64(SCENARIO_PREFIX, WHAT, code)?;
    let text = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_SCENARIO_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => CodeError::TooLong {
                what: WHAT,
                length: MAX_SCENARIO_BYTES,
            },
            _ => CodeError::Damaged {
                what: WHAT,
                why: "it does not decompress".into(),
            },
        })?;
    String::from_utf8(text).map_err(|_| CodeError::Damaged {
        what: WHAT,
        why: "it is not text".into(),
    })
}
