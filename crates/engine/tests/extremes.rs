//! No overflow reaches a number: random valid scenarios with extreme but allowed values (the
//! largest and smallest each field takes, every fault at its largest, both bots playing)
//! run without a panic, and every number the run produces is finite and in its range:
//! each tick's record, each service's tick, each SLO's status once a minute, and every
//! float of the summary. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

use ops_dojo_engine::clock::TICKS_PER_MINUTE;
use ops_dojo_engine::{Policy, Role, Scenario, Simulation};
use proptest::prelude::*;
use serde_value::Value;

/// One extreme choice for each field the generator varies.
#[derive(Debug, Clone)]
struct Extremes {
    services: usize,
    base_rps: f64,
    weekly: f64,
    growth: f64,
    noise: f64,
    service_time_ms: f64,
    replicas: u32,
    concurrency: u32,
    timeout_ms: Option<f64>,
    attempts: u32,
    backoff_ms: Option<f64>,
    hit_ratio: f64,
    shed: bool,
    rate_limit: Option<f64>,
    provisioning: f64,
    target: f64,
    threshold_ms: f64,
    pipeline_minutes: f64,
    engineers: u32,
    per_week: f64,
    magnitude: f64,
    seed: u64,
    policies: (Policy, Policy),
}

fn extremes() -> impl Strategy<Value = Extremes> {
    let pick = |values: &[f64]| prop::sample::select(values.to_vec());
    (
        (
            1usize..=5,
            pick(&[1e-9, 0.5, 1e6]),
            pick(&[0.0, 1.0, 100.0]),
            pick(&[0.0, 1.0]),
            pick(&[0.0, 1.0]),
            pick(&[1e-9, 20.0, 600_000.0]),
            prop::sample::select(vec![1u32, 500]),
            prop::sample::select(vec![1u32, 1000]),
        ),
        (
            prop::option::of(pick(&[1e-9, 3_600_000.0])),
            prop::sample::select(vec![1u32, 10]),
            prop::option::of(pick(&[1e-9, 3_600_000.0])),
            pick(&[0.0, 1.0]),
            any::<bool>(),
            prop::option::of(pick(&[1e-9, 10_000_000.0])),
            pick(&[0.0, 86_400.0]),
            pick(&[1e-9, 0.999_999_999]),
        ),
        (
            pick(&[1e-9, 3_600_000.0]),
            pick(&[1e-9, 10_080.0]),
            prop::sample::select(vec![0u32, 50]),
            pick(&[0.0, 50.0]),
            pick(&[1e-9, 1.0, 1000.0]),
            any::<u64>(),
            prop::sample::select(Policy::ALL.to_vec()),
            prop::sample::select(Policy::ALL.to_vec()),
        ),
    )
        .prop_map(|(a, b, c)| Extremes {
            services: a.0,
            base_rps: a.1,
            weekly: a.2,
            growth: a.3,
            noise: a.4,
            service_time_ms: a.5,
            replicas: a.6,
            concurrency: a.7,
            timeout_ms: b.0,
            attempts: b.1,
            backoff_ms: b.2,
            hit_ratio: b.3,
            shed: b.4,
            rate_limit: b.5,
            provisioning: b.6,
            target: b.7,
            threshold_ms: c.0,
            pipeline_minutes: c.1,
            engineers: c.2,
            per_week: c.3,
            magnitude: c.4,
            seed: c.5,
            policies: (c.6, c.7),
        })
}

/// A scenario file with these extremes: a chain of services, each retrying, cached,
/// protected and autoscaled, two SLOs, every fault kind at its largest on day 1.
fn scenario_text(x: &Extremes) -> String {
    let optional = |key: &str, value: Option<f64>| {
        value.map_or_else(String::new, |v| format!("{key} = {v:e}\n"))
    };
    let mut text = format!(
        "format = 1\nid = \"extremes\"\ntitle = \"Extremes\"\nbriefing = \"x\"\ndifficulty = 5\n\
         days = 1\nroles = [\"devops\", \"sre\"]\n\n[traffic]\nbase_rps = {:e}\n\
         diurnal_amplitude = 1.0\nweekly = [{w:e}, {w:e}, {w:e}, {w:e}, {w:e}, {w:e}, {w:e}]\n\
         growth_per_day = {:e}\nnoise = {:e}\n\n[traffic.retry]\nmax_attempts = {}\n{}\n",
        x.base_rps,
        x.growth,
        x.noise,
        x.attempts,
        optional("backoff_ms", x.backoff_ms),
        w = x.weekly,
    );
    for s in 0..x.services {
        let calls = if s + 1 < x.services {
            format!("calls = [\"s{}\"]\n", s + 1)
        } else {
            String::new()
        };
        text += &format!(
            "[[services]]\nname = \"s{s}\"\nreplicas = {}\nconcurrency = {}\n\
             service_time_ms = {:e}\nservice_time = \"lognormal\"\nservice_time_cv = 10.0\n\
             {}base_error_ratio = 0.5\n{calls}\n[services.retry]\nmax_attempts = {}\n{}\n\
             [services.cache]\nhit_ratio = {:e}\nwarm_minutes = 10080\n\n\
             [services.protection]\nload_shedding = {}\nshed_wait_ms = 1e-9\n{}\
             circuit_breaker = true\nbreaker_error_ratio = 0.0\nbreaker_open_seconds = 86400\n\n\
             [services.autoscale]\ntarget_utilization = 0.0\nmin_replicas = 1\nmax_replicas = 500\n\
             provisioning_seconds = {:e}\ncooldown_seconds = 0\n\n",
            x.replicas,
            x.concurrency,
            x.service_time_ms,
            optional("timeout_ms", x.timeout_ms),
            x.attempts,
            optional("backoff_ms", x.backoff_ms),
            x.hit_ratio,
            x.shed,
            optional("rate_limit_rps", x.rate_limit),
            x.provisioning,
        );
    }
    text += &format!(
        "[[slos]]\nname = \"a\"\ntarget = {t:e}\nwindow_days = 90\n\n\
         [[slos]]\nname = \"l\"\nsli = \"latency\"\nthreshold_ms = {:e}\ntarget = {t:e}\nwindow_days = 1\n\n\
         [delivery]\ndefect_probability = 1.0\ndefect_error_ratio = 1.0\nfeatures = 100\n\n\
         [delivery.pipeline]\nbuild_minutes = {p:e}\ntest_minutes = {p:e}\ncanary_minutes = {p:e}\n\
         canary_share = 1.0\nrollout_minutes = {p:e}\nrollback_minutes = {p:e}\n\n\
         [team]\ndevops_engineers = {e}\nsre_engineers = {e}\nhours_per_engineer_per_day = 24\n\n\
         [random_faults]\nper_week = {:e}\n\n",
        x.threshold_ms,
        x.per_week,
        t = x.target,
        p = x.pipeline_minutes,
        e = x.engineers,
    );
    let kinds = [
        ("instance_crash", false),
        ("zone_loss", true),
        ("dependency_outage", false),
        ("dependency_slowdown", false),
        ("traffic_surge", false),
        ("certificate_expiry", false),
        ("disk_full", true),
        ("bad_config_push", true),
        ("memory_leak", false),
    ];
    for (i, (kind, share)) in kinds.into_iter().enumerate() {
        let magnitude = if share {
            x.magnitude.min(1.0)
        } else {
            x.magnitude
        };
        let service = if kind == "traffic_surge" {
            String::new()
        } else {
            format!("service = \"s{}\"\n", i % x.services)
        };
        text += &format!(
            "[[faults]]\nkind = \"{kind}\"\n{service}day = 1\nat = \"{:02}:00\"\n\
             duration_minutes = 10080\nmagnitude = {magnitude:e}\n\n",
            i * 2
        );
    }
    text
}

/// Every float in a serde value, with its path, must be finite.
fn non_finite(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::F64(v) if !v.is_finite() => found.push(format!("{path} = {v}")),
        Value::F32(v) if !v.is_finite() => found.push(format!("{path} = {v}")),
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                non_finite(item, &format!("{path}[{i}]"), found);
            }
        }
        Value::Map(map) => {
            for (key, item) in map {
                let key = match key {
                    Value::String(k) => k.clone(),
                    other => format!("{other:?}"),
                };
                non_finite(item, &format!("{path}.{key}"), found);
            }
        }
        Value::Option(Some(item)) | Value::Newtype(item) => non_finite(item, path, found),
        _ => {}
    }
}

fn check_run(x: &Extremes) -> Result<(), TestCaseError> {
    let text = scenario_text(x);
    let scenario = Scenario::parse(&text, "extremes.toml")
        .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    let mut sim = Simulation::new(scenario, x.seed);
    sim.add_bot(Role::Devops, x.policies.0);
    sim.add_bot(Role::Sre, x.policies.1);
    while let Some(record) = sim.step() {
        let tick = sim.tick();
        prop_assert!(record.good <= record.offered, "tick {tick}: {record:?}");
        prop_assert!(
            record.budget_remaining.is_finite() && record.budget_remaining <= 1.0,
            "tick {tick}: {record:?}"
        );
        prop_assert!(
            record.latency_ms.iter().all(|l| l.is_finite() && *l >= 0.0),
            "tick {tick}: {record:?}"
        );
        for (s, service) in sim.service_ticks().iter().enumerate() {
            prop_assert!(
                service.good <= service.arrivals,
                "tick {tick} s{s}: {service:?}"
            );
            let shares = [service.utilization, service.failure_ratio];
            prop_assert!(
                shares.iter().all(|v| (0.0..=1.0).contains(v)),
                "tick {tick} s{s}: {service:?}"
            );
            let counts = [service.rejected, service.dropped, service.backlog];
            prop_assert!(
                counts.iter().all(|v| v.is_finite() && *v >= 0.0),
                "tick {tick} s{s}: {service:?}"
            );
            prop_assert!(
                service.latency.mean.is_finite() && service.latency.mean >= 0.0,
                "tick {tick} s{s}: {service:?}"
            );
        }
        if tick % TICKS_PER_MINUTE == 0 {
            for status in sim.slo_statuses() {
                let value = serde_value::to_value(&status).expect("plain data");
                let mut found = Vec::new();
                non_finite(&value, "status", &mut found);
                prop_assert!(found.is_empty(), "tick {tick}: {found:?}");
            }
        }
    }
    let value = serde_value::to_value(sim.summary()).expect("plain data");
    let mut found = Vec::new();
    non_finite(&value, "summary", &mut found);
    prop_assert!(found.is_empty(), "{found:?}\n{text}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn extreme_but_valid_scenarios_give_finite_numbers(x in extremes()) {
        check_run(&x)?;
    }
}
