//! How long whole runs take: the built-in `first-slo` scenario over 7 (its own length), 28
//! and 90 days (the longest a scenario may run), from `Simulation::new` to the last tick.
//!
//! `cargo bench -p ops-dojo-engine --bench run` (or `scripts/bench.sh`). Criterion reports
//! each run's time and its throughput in ticks per second ("elem/s").

use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use ops_dojo_engine::scenario::Bounded;
use ops_dojo_engine::{catalog, Scenario, Simulation};

/// Run lengths measured, days: the scenario's own week, an SLO window, the maximum.
const DAYS: [u32; 3] = [7, 28, 90];

fn first_slo(days: u32) -> Scenario {
    let mut scenario = catalog::load("first-slo")
        .expect("first-slo is built in")
        .expect("the built-in scenarios parse (the catalogue's own test checks it)");
    scenario.days = Bounded(days);
    scenario
}

fn whole_runs(c: &mut Criterion) {
    let mut group = c.benchmark_group("run/first-slo");
    // A 90-day run takes a good fraction of a second: flat sampling runs every sample with
    // the same few iterations, where the default (linear) would run 1 + 2 + … + 10 of them.
    group.sampling_mode(SamplingMode::Flat);
    for days in DAYS {
        let scenario = first_slo(days);
        group.throughput(Throughput::Elements(u64::from(scenario.run_ticks())));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{days}d")),
            &scenario,
            |b, scenario| {
                // The clone is setup, outside the timing; dropping the finished run (its
                // per-tick records) happens outside it too.
                b.iter_batched(
                    || scenario.clone(),
                    |scenario| {
                        let mut sim = Simulation::new(scenario, 1);
                        while sim.step().is_some() {}
                        sim
                    },
                    BatchSize::PerIteration,
                )
            },
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Ten samples, each window 14 s: enough for ten 90-day runs (about 1.2 s each on two
    // cores, so criterion does not warn), and all three benchmarks take about a minute.
    // Whole runs vary little, so more samples would mostly cost time. Flags after `--`
    // (e.g. `--measurement-time 30`) override these.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(14));
    targets = whole_runs
}
criterion_main!(benches);
