//! The services of a scenario: how many servers, how fast, what they call, and how they
//! protect themselves. Times are in milliseconds in the file (what engineers read on
//! dashboards) and in seconds inside the engine.

use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

use super::values::{Bounded, NonNegative, Positive, Ratio};

/// One service in the call graph.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Unique name, e.g. "checkout-api".
    pub name: Spanned<String>,
    /// Replicas running when the run starts.
    pub replicas: Bounded<1, 500>,
    /// Requests one replica works on at once (its worker threads or connections).
    #[serde(default = "one")]
    pub concurrency: Bounded<1, 1000>,
    /// Mean time one request keeps a worker busy, milliseconds (calls to dependencies are
    /// not included: they add to latency, not to this service's work).
    pub service_time_ms: Positive<600_000>,
    /// Shape of the service-time distribution.
    #[serde(default)]
    pub service_time: Distribution,
    /// Coefficient of variation (standard deviation / mean) of a log-normal service time.
    #[serde(default)]
    pub service_time_cv: Option<Spanned<Positive<10>>>,
    /// Callers give up after this long, milliseconds; a request still waiting then is
    /// dropped and counts as failed. None: nobody ever gives up.
    #[serde(default)]
    pub timeout_ms: Option<Positive<3_600_000>>,
    /// Share of requests that fail even when all is well (0–1).
    #[serde(default = "no_errors")]
    pub base_error_ratio: Ratio,
    /// Services this one calls, in order, once per request it serves.
    #[serde(default)]
    pub calls: Vec<Spanned<String>>,
    /// How this service retries failed calls to its dependencies. None: it does not retry.
    #[serde(default)]
    pub retry: Option<RetryPolicy>,
    /// A cache in front of this service's dependencies.
    #[serde(default)]
    pub cache: Option<CacheSpec>,
    /// Protections, all off unless switched on here or by the player.
    #[serde(default)]
    pub protection: ProtectionSpec,
    /// An autoscaler adding and removing replicas. None: replicas change only by hand.
    #[serde(default)]
    pub autoscale: Option<AutoscaleSpec>,
}

fn one() -> Bounded<1, 1000> {
    Bounded(1)
}

fn no_errors() -> Ratio {
    Ratio(0.0)
}

impl ServiceSpec {
    /// Mean service time, seconds.
    pub fn service_seconds(&self) -> f64 {
        self.service_time_ms.0 / 1000.0
    }

    /// Squared coefficient of variation of the service time (0 constant, 1 exponential).
    pub fn service_scv(&self) -> f64 {
        match self.service_time {
            Distribution::Constant => 0.0,
            Distribution::Exponential => 1.0,
            Distribution::Lognormal => {
                let cv = self
                    .service_time_cv
                    .as_ref()
                    .map_or(1.0, |cv| cv.get_ref().0);
                cv * cv
            }
        }
    }

    /// Requests per second one replica completes when busy: concurrency / service time.
    pub fn replica_capacity_rps(&self) -> f64 {
        f64::from(self.concurrency.0) / self.service_seconds()
    }

    /// Timeout, seconds (infinite when callers never give up).
    pub fn timeout_seconds(&self) -> f64 {
        self.timeout_ms.map_or(f64::INFINITY, |t| t.0 / 1000.0)
    }
}

/// Service-time distributions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Distribution {
    /// Every request takes exactly the mean.
    Constant,
    /// Memoryless (M/M/c's assumption).
    #[default]
    Exponential,
    /// Long right tail, as measured services usually show; set `service_time_cv`.
    Lognormal,
}

/// Client-side retries (DOMAIN.md "Retries, overload, metastable failures").
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// Tries per request, the first included (the SRE book advises at most 3).
    pub max_attempts: Bounded<1, 10>,
    /// Retry only while retries stay below this share of requests (the SRE book's per-client
    /// retry budget is 0.1). None: no budget, every failure is retried.
    #[serde(default)]
    pub budget_ratio: Option<Ratio>,
    /// Exponential backoff with full jitter: retry k waits a random time between 0 and
    /// `backoff_ms` × 2^(k−1) milliseconds. None: retry at once (within the next tick).
    #[serde(default)]
    pub backoff_ms: Option<Positive<3_600_000>>,
}

impl RetryPolicy {
    /// Attempts per request when nothing fails.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_attempts: Bounded(1),
        budget_ratio: None,
        backoff_ms: None,
    };
}

/// A cache that answers some requests without calling the dependencies.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSpec {
    /// Share of requests answered from a warm cache (0–1).
    pub hit_ratio: Ratio,
    /// Minutes of successful traffic a cold cache needs to warm up fully.
    pub warm_minutes: Positive<10_080>,
}

/// Ways a service protects itself from overload. Off by default; the player can switch
/// them on during a run.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectionSpec {
    /// Reject new requests at once when the queue's wait exceeds `shed_wait_ms`.
    #[serde(default)]
    pub load_shedding: bool,
    /// Longest queue wait, milliseconds, before load shedding rejects new requests.
    #[serde(default = "default_shed_wait")]
    pub shed_wait_ms: Positive<3_600_000>,
    /// Admit at most this many requests per second; reject the rest at once. None: no limit.
    #[serde(default)]
    pub rate_limit_rps: Option<Positive<10_000_000>>,
    /// Callers stop calling this service while it fails more than `breaker_error_ratio`.
    #[serde(default)]
    pub circuit_breaker: bool,
    /// Share of failing calls that opens the breaker.
    #[serde(default = "default_breaker_ratio")]
    pub breaker_error_ratio: Ratio,
    /// Seconds an open breaker waits before letting a trial share of calls through.
    #[serde(default = "default_breaker_open")]
    pub breaker_open_seconds: NonNegative<86_400>,
}

fn default_shed_wait() -> Positive<3_600_000> {
    Positive(100.0)
}

fn default_breaker_ratio() -> Ratio {
    Ratio(0.5)
}

fn default_breaker_open() -> NonNegative<86_400> {
    NonNegative(30.0)
}

impl Default for ProtectionSpec {
    fn default() -> Self {
        Self {
            load_shedding: false,
            shed_wait_ms: default_shed_wait(),
            rate_limit_rps: None,
            circuit_breaker: false,
            breaker_error_ratio: default_breaker_ratio(),
            breaker_open_seconds: default_breaker_open(),
        }
    }
}

/// A target-tracking autoscaler, like Kubernetes' HPA: it keeps utilisation near a target.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AutoscaleSpec {
    /// Utilisation to aim for (0–1), e.g. 0.6.
    pub target_utilization: Ratio,
    pub min_replicas: Bounded<1, 500>,
    pub max_replicas: Bounded<1, 500>,
    /// Seconds a new replica needs before it serves (boot, warm-up, health checks).
    #[serde(default = "default_provisioning")]
    pub provisioning_seconds: NonNegative<86_400>,
    /// Seconds to wait after a change before the next one.
    #[serde(default = "default_cooldown")]
    pub cooldown_seconds: NonNegative<86_400>,
}

fn default_provisioning() -> NonNegative<86_400> {
    NonNegative(120.0)
}

fn default_cooldown() -> NonNegative<86_400> {
    NonNegative(300.0)
}
