//! The run hash: BLAKE3 over everything a run produced, in order.
//!
//! A tick adds a few dozen bytes; handing them to BLAKE3 one small update at a time costs
//! more than the rest of the tick, so they are gathered into a buffer first and hashed a
//! chunk at a time. Buffering changes nothing in the digest: BLAKE3 of a byte stream does
//! not depend on how the stream was cut into updates.

/// Bytes gathered before they are hashed: sixteen BLAKE3 chunks, so that BLAKE3 hashes
/// several chunks at once with SIMD (one chunk at a time cost twice the instructions).
const BUFFER: usize = 16 * 1024;

#[derive(Debug, Clone)]
pub struct RunHasher {
    hasher: blake3::Hasher,
    pending: Vec<u8>,
}

impl RunHasher {
    pub fn new() -> Self {
        Self {
            hasher: blake3::Hasher::new_derive_key("ops-dojo 2026 run hash"),
            pending: Vec::with_capacity(BUFFER),
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= BUFFER {
            self.hasher.update(&self.pending);
            self.pending.clear();
        }
    }

    /// The first 128 bits of the digest so far, as 32 hex digits.
    pub fn hex(&self) -> String {
        let mut hasher = self.hasher.clone();
        hasher.update(&self.pending);
        hasher.finalize().to_hex()[..32].to_string()
    }
}

impl Default for RunHasher {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffering_does_not_change_the_digest() {
        let bytes: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        let mut buffered = RunHasher::new();
        for piece in bytes.chunks(7) {
            buffered.update(piece);
        }
        let mut direct = blake3::Hasher::new_derive_key("ops-dojo 2026 run hash");
        direct.update(&bytes);
        assert_eq!(buffered.hex(), direct.finalize().to_hex()[..32].to_string());
    }
}
