//! URL-safe base64 without padding (RFC 4648 §5): the text form of result codes, saved runs
//! and share links. Written out here rather than taken from the `base64` crate, whose
//! general engine weighed 7 KB of the shipped wasm for these two functions;
//! `tests/share.rs` checks them against that crate on arbitrary input.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The bytes as text, four characters for every three bytes.
pub fn encode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |bits, (i, &b)| bits | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            text.push(char::from(ALPHABET[(bits >> (18 - 6 * i) & 63) as usize]));
        }
    }
    text
}

/// The bytes back; an error names the first character that cannot be, or a length or an
/// ending that no encoding produces (so each byte string has exactly one text).
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let values = text
        .bytes()
        .enumerate()
        .map(|(at, c)| match c {
            b'A'..=b'Z' => Ok(c - b'A'),
            b'a'..=b'z' => Ok(c - b'a' + 26),
            b'0'..=b'9' => Ok(c - b'0' + 52),
            b'-' => Ok(62),
            b'_' => Ok(63),
            _ => Err(format!("invalid character at offset {at}")),
        })
        .collect::<Result<Vec<u8>, String>>()?;
    if values.len() % 4 == 1 {
        return Err("invalid length".into());
    }
    let mut bytes = Vec::with_capacity(values.len() * 3 / 4);
    for chunk in values.chunks(4) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |bits, (i, &v)| bits | u32::from(v) << (18 - 6 * i));
        let count = chunk.len() - 1;
        // The bits after the last whole byte must be zero.
        if bits & ((1 << (24 - 8 * count)) - 1) != 0 {
            return Err("invalid last character".into());
        }
        bytes.extend((0..count).map(|i| (bits >> (16 - 8 * i)) as u8));
    }
    Ok(bytes)
}
