//! How long whole runs take, from `Simulation::new` to the last tick:
//!
//! - `run/black-friday/{7,28,90}d`: the default scenario (6 services) over a week, an SLO
//!   window (its own length) and the longest a scenario may run: is the cost linear in
//!   simulated time?
//! - `run/first-slo/28d`: the one-service tutorial over the same 28 days, for comparison.
//! - `run/chain/{1,2,4,8,16}`: synthetic chains of N identical services (each calls the
//!   next) under a constant 500 requests per second for 7 days: is the cost linear in the
//!   number of services?
//!
//! `cargo bench -p ops-dojo-engine --bench run` (or `scripts/bench.sh`). Criterion reports
//! each run's time and its throughput ("elem/s"): ticks per second for the scenario runs,
//! service-ticks per second (ticks × services) for the chains, so a flat elem/s across the
//! chain lengths means a linear cost.

use std::fmt::Write as _;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, BenchmarkId, Criterion,
    SamplingMode, Throughput,
};
use ops_dojo_engine::scenario::Bounded;
use ops_dojo_engine::{catalog, Scenario, Simulation};

/// Run lengths of the default scenario, days: a week, an SLO window, the maximum.
const DAYS: [u32; 3] = [7, 28, 90];

/// Services in the synthetic chains.
const CHAIN_LENGTHS: [usize; 5] = [1, 2, 4, 8, 16];

/// Simulated days of each chain run.
const CHAIN_DAYS: u32 = 7;

fn built_in(id: &str, days: u32) -> Scenario {
    let mut scenario = catalog::load(id)
        .expect("the benchmarked scenarios are built in")
        .expect("the built-in scenarios parse (the catalogue's own test checks it)");
    scenario.days = Bounded(days);
    scenario
}

/// A scenario file for a chain of `services` identical services, s1 → s2 → … → sN: each
/// 4 replicas × 8 concurrent × 10 ms = 3,200 requests per second, so the constant 500
/// requests per second load every one of them to about 16 %.
fn chain(services: usize) -> Scenario {
    let mut text = format!(
        "format = 1\n\
         id = \"chain-{services}\"\n\
         title = \"Chain of {services}\"\n\
         briefing = \"Benchmark: a chain of identical services.\"\n\
         difficulty = 1\n\
         days = {CHAIN_DAYS}\n\
         roles = [\"sre\"]\n\
         \n\
         [traffic]\n\
         base_rps = 500.0\n"
    );
    for i in 1..=services {
        let calls = if i < services {
            format!("[\"s{}\"]", i + 1)
        } else {
            "[]".to_string()
        };
        write!(
            text,
            "\n[[services]]\n\
             name = \"s{i}\"\n\
             replicas = 4\n\
             concurrency = 8\n\
             service_time_ms = 10.0\n\
             timeout_ms = 1000\n\
             calls = {calls}\n"
        )
        .expect("writing to a String cannot fail");
    }
    text.push_str(
        "\n[[slos]]\n\
         name = \"Availability\"\n\
         target = 0.999\n\
         \n\
         [delivery]\n\
         defect_probability = 0.3\n\
         defect_error_ratio = 0.01\n",
    );
    Scenario::parse(&text, "chain").expect("the chain scenario is valid")
}

/// Times whole runs of `scenario`. The clone is setup, outside the timing; dropping the
/// finished run (its per-tick records) happens outside it too.
fn bench_run(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    scenario: &Scenario,
) {
    group.bench_with_input(id, scenario, |b, scenario| {
        b.iter_batched(
            || scenario.clone(),
            |scenario| {
                let mut sim = Simulation::new(scenario, 1);
                while sim.step().is_some() {}
                sim
            },
            BatchSize::PerIteration,
        )
    });
}

/// Measurement window for runs of `services` services over `days` simulated days: room
/// for ten samples of one run each at up to 6 ms per service-day (black-friday takes
/// about 4 to 5 on two cores), so criterion need not stretch it and warn.
fn window(services: usize, days: u32) -> Duration {
    let service_days = services as u64 * u64::from(days);
    Duration::from_millis(service_days * 60).max(Duration::from_secs(4))
}

fn scenario_runs(c: &mut Criterion) {
    for (id, days) in [("black-friday", &DAYS[..]), ("first-slo", &[28][..])] {
        let mut group = c.benchmark_group(format!("run/{id}"));
        // Long runs take a good fraction of a second or more: flat sampling runs every
        // sample with the same few iterations, where the default (linear) would run
        // 1 + 2 + … + 10 of them.
        group.sampling_mode(SamplingMode::Flat);
        for &days in days {
            let scenario = built_in(id, days);
            group.measurement_time(window(scenario.services.len(), days));
            group.throughput(Throughput::Elements(u64::from(scenario.run_ticks())));
            bench_run(
                &mut group,
                BenchmarkId::from_parameter(format!("{days}d")),
                &scenario,
            );
        }
        group.finish();
    }
}

fn chain_runs(c: &mut Criterion) {
    let mut group = c.benchmark_group("run/chain");
    group.sampling_mode(SamplingMode::Flat);
    for services in CHAIN_LENGTHS {
        let scenario = chain(services);
        group.measurement_time(window(services, CHAIN_DAYS));
        let service_ticks = u64::from(scenario.run_ticks()) * services as u64;
        group.throughput(Throughput::Elements(service_ticks));
        bench_run(&mut group, BenchmarkId::from_parameter(services), &scenario);
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Ten samples: whole runs vary little, so more would mostly cost time. Each benchmark
    // sets its own measurement window (see `window`, which a `--measurement-time` flag
    // does not override); with one-second warm-ups the nine take about 90 s on two cores.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1));
    targets = scenario_runs, chain_runs
}
criterion_main!(benches);
