//! Named random streams, so that what a player does never changes what the world does.
//!
//! Each random process (traffic, errors, deploy defects…) has its own ChaCha8 generator,
//! keyed by the seed and the process's name. Within a process, every tick (or every
//! deploy) reads its own ChaCha stream, so a draw depends only on (seed, process, tick):
//! scaling up at noon cannot shift the traffic at 3 pm. ChaCha8 is a named, portable
//! algorithm (rand's `StdRng` may change between releases).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The generator handed to one tick's draws.
pub type TickRng = ChaCha8Rng;

/// The random processes of a run. The name is part of the key: renaming one changes runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    /// Request arrivals.
    Traffic,
    /// The hourly wobble of the arrival rate.
    TrafficNoise,
    /// Which served requests fail.
    Errors,
    /// Faults drawn at random, per day.
    Faults,
    /// The feature backlog: values, efforts and hidden defects.
    Backlog,
}

impl Process {
    fn name(self) -> &'static str {
        match self {
            Process::Traffic => "traffic",
            Process::TrafficNoise => "traffic noise",
            Process::Errors => "errors",
            Process::Faults => "faults",
            Process::Backlog => "backlog",
        }
    }
}

/// One keyed generator per process; `at(n)` gives the generator for slot `n` (a tick, or a
/// deploy number) of that process.
#[derive(Debug, Clone)]
pub struct Stream {
    base: ChaCha8Rng,
}

impl Stream {
    pub fn new(seed: u64, process: Process) -> Self {
        let mut hasher = blake3::Hasher::new_derive_key("ops-dojo 2026 random stream key");
        hasher.update(process.name().as_bytes());
        hasher.update(&seed.to_le_bytes());
        Self {
            base: ChaCha8Rng::from_seed(*hasher.finalize().as_bytes()),
        }
    }

    /// The generator for slot `n`: its own ChaCha stream, from its start.
    pub fn at(&self, n: u64) -> TickRng {
        let mut rng = self.base.clone();
        rng.set_stream(n);
        rng.set_word_pos(0);
        rng
    }
}

#[cfg(test)]
mod tests {
    use rand::Rng;

    use super::*;

    #[test]
    fn slots_and_processes_are_independent_and_repeatable() {
        let traffic = Stream::new(7, Process::Traffic);
        let a: u64 = traffic.at(3).random();
        let again: u64 = Stream::new(7, Process::Traffic).at(3).random();
        let other_slot: u64 = traffic.at(4).random();
        let other_process: u64 = Stream::new(7, Process::Errors).at(3).random();
        let other_seed: u64 = Stream::new(8, Process::Traffic).at(3).random();
        assert_eq!(a, again);
        assert_ne!(a, other_slot);
        assert_ne!(a, other_process);
        assert_ne!(a, other_seed);
    }
}
