//! Closed-form queueing theory: the numbers the simulator is validated against.
//!
//! The engine models a service tick by tick, in aggregate. To trust it, its latencies and
//! queue lengths must match what queueing theory predicts for the same load (DOMAIN.md).
//! This module holds those predictions: M/M/c (M/M/1 is c = 1) with Erlang C,
//! mean and quantile response times, Little's law, and the layered-retry amplification
//! formula. Pure maths, no state; transcendental functions go through [`crate::math`].
//!
//! Units: rates in requests per second, times in seconds, loads in Erlangs.

use thiserror::Error;

use crate::math;

/// Bisection steps for quantiles: 100 halvings shrink the bracket by 2^−100, past the last bit
/// of any `f64` answer. Fixed, so every platform does the same work and gets the same bits.
const BISECTION_STEPS: u32 = 100;

/// Why a queue cannot be modelled in steady state.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum QueueError {
    /// The arrival rate, requests per second, is negative, infinite or NaN.
    #[error("arrival rate must be finite and non-negative, got {0} requests per second")]
    InvalidArrivalRate(f64),
    /// The service rate of a server, requests per second, is not positive, or infinite or NaN.
    #[error("service rate must be finite and positive, got {0} requests per second")]
    InvalidServiceRate(f64),
    /// Zero servers.
    #[error("a queue needs at least one server")]
    NoServers,
    /// Requests arrive at least as fast as all servers together complete them (λ ≥ cμ).
    #[error(
        "unstable: {arrival_rate} requests per second arrive but the servers complete at most \
         {capacity}; the queue grows without bound"
    )]
    Unstable { arrival_rate: f64, capacity: f64 },
}

/// An M/M/c queue in steady state: Poisson arrivals, exponential service times, `servers`
/// identical servers taking requests first come, first served from one unbounded queue.
/// Only stable queues (arrival rate below total capacity) can be built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MMc {
    arrival_rate: f64,
    service_rate: f64,
    servers: u32,
}

impl MMc {
    /// A queue fed `arrival_rate` requests per second, each of `servers` servers completing
    /// `service_rate` requests per second (mean service time 1 / `service_rate` seconds).
    /// Rejects non-finite or negative rates, zero servers, and arrival rate ≥ capacity.
    pub fn new(arrival_rate: f64, service_rate: f64, servers: u32) -> Result<Self, QueueError> {
        if !(arrival_rate.is_finite() && arrival_rate >= 0.0) {
            return Err(QueueError::InvalidArrivalRate(arrival_rate));
        }
        if !(service_rate.is_finite() && service_rate > 0.0) {
            return Err(QueueError::InvalidServiceRate(service_rate));
        }
        if servers == 0 {
            return Err(QueueError::NoServers);
        }
        let capacity = f64::from(servers) * service_rate;
        if arrival_rate >= capacity {
            return Err(QueueError::Unstable {
                arrival_rate,
                capacity,
            });
        }
        Ok(Self {
            arrival_rate,
            service_rate,
            servers,
        })
    }

    /// Arrival rate λ, requests per second.
    pub fn arrival_rate(&self) -> f64 {
        self.arrival_rate
    }

    /// Service rate μ of one server, requests per second.
    pub fn service_rate(&self) -> f64 {
        self.service_rate
    }

    /// Number of servers c.
    pub fn servers(&self) -> u32 {
        self.servers
    }

    /// Offered load A = λ / μ, in Erlangs: how many servers the traffic keeps busy on average.
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate / self.service_rate
    }

    /// Utilization ρ = A / c: the share of time each server is busy, in [0, 1).
    pub fn utilization(&self) -> f64 {
        self.offered_load() / f64::from(self.servers)
    }

    /// Erlang C: probability that an arriving request has to wait (all servers busy).
    /// Equals ρ for one server.
    pub fn erlang_c(&self) -> f64 {
        erlang_c(self.servers, self.offered_load())
    }

    /// Mean time in the queue before service starts, seconds: Wq = C / (cμ − λ).
    pub fn mean_wait(&self) -> f64 {
        self.erlang_c() / self.drain_rate()
    }

    /// Mean response time (wait + service), seconds: W = Wq + 1/μ.
    /// For one server this is 1 / (μ − λ).
    pub fn mean_response(&self) -> f64 {
        self.mean_wait() + 1.0 / self.service_rate
    }

    /// Mean number of requests waiting (not yet in service): Lq = λ Wq.
    pub fn mean_in_queue(&self) -> f64 {
        littles_law(self.arrival_rate, self.mean_wait())
    }

    /// Mean number of requests in the system (waiting or in service): L = λ W.
    pub fn mean_in_system(&self) -> f64 {
        littles_law(self.arrival_rate, self.mean_response())
    }

    /// P(wait > `seconds`) = C · e^{−(cμ − λ) t}, for `seconds` ≥ 0.
    pub fn wait_exceeds_probability(&self, seconds: f64) -> f64 {
        self.erlang_c() * math::exp(-self.drain_rate() * seconds.max(0.0))
    }

    /// P(wait ≤ `seconds`): 1 − C at zero (the requests that find a free server), then
    /// rising exponentially at rate cμ − λ.
    pub fn wait_cdf(&self, seconds: f64) -> f64 {
        if seconds < 0.0 {
            return 0.0;
        }
        1.0 - self.wait_exceeds_probability(seconds)
    }

    /// The `p`-quantile of the wait, seconds: 0 when p ≤ 1 − C, else ln(C / (1 − p)) / (cμ − λ).
    /// `None` unless 0 ≤ p < 1.
    pub fn wait_quantile(&self, p: f64) -> Option<f64> {
        if !(0.0..1.0).contains(&p) {
            return None;
        }
        let waiting = self.erlang_c();
        if 1.0 - p >= waiting {
            return Some(0.0);
        }
        Some(math::ln(waiting / (1.0 - p)) / self.drain_rate())
    }

    /// P(response time > `seconds`). Response = wait + service: service ~ Exp(μ) and the wait
    /// is 0 with probability 1 − C, else ~ Exp(cμ − λ), independent of the service.
    pub fn response_exceeds_probability(&self, seconds: f64) -> f64 {
        let t = seconds.max(0.0);
        let waiting = self.erlang_c();
        let served_at_once = (1.0 - waiting) * math::exp(-self.service_rate * t);
        let waited = waiting * sum_of_exponentials_exceeds(self.drain_rate(), self.service_rate, t);
        served_at_once + waited
    }

    /// P(response time ≤ `seconds`), in closed form (see [`Self::response_exceeds_probability`]).
    pub fn response_time_cdf(&self, seconds: f64) -> f64 {
        if seconds < 0.0 {
            return 0.0;
        }
        1.0 - self.response_exceeds_probability(seconds)
    }

    /// The `p`-quantile of the response time, seconds, by bisection on the closed-form CDF
    /// (a fixed number of steps). For one server it equals −ln(1 − p) / (μ − λ).
    /// `None` unless 0 ≤ p < 1.
    pub fn response_quantile(&self, p: f64) -> Option<f64> {
        if !(0.0..1.0).contains(&p) {
            return None;
        }
        let tail = 1.0 - p;
        let (mut low, mut high) = (0.0, self.response_quantile_bound(tail));
        for _ in 0..BISECTION_STEPS {
            let mid = 0.5 * (low + high);
            if self.response_exceeds_probability(mid) > tail {
                low = mid;
            } else {
                high = mid;
            }
        }
        Some(high)
    }

    /// A time the response exceeds with probability at most `tail`: P(wait + service > t) ≤
    /// P(wait > t/2) + P(service > t/2) ≤ 2 e^{−r t / 2} with r the slower of the two rates.
    fn response_quantile_bound(&self, tail: f64) -> f64 {
        let slower = self.drain_rate().min(self.service_rate);
        2.0 * math::ln(2.0 / tail) / slower
    }

    /// cμ − λ, per second: the rate at which a backlog drains when all servers are busy,
    /// hence the rate of the exponential wait of the requests that queue.
    fn drain_rate(&self) -> f64 {
        f64::from(self.servers) * self.service_rate - self.arrival_rate
    }
}

/// Erlang B: probability that all `servers` are busy when `offered_load` Erlangs are offered
/// to a loss system (no queue). Uses the recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)),
/// which stays in [0, 1] and never overflows, for any number of servers.
pub fn erlang_b(servers: u32, offered_load: f64) -> f64 {
    let mut blocking = 1.0;
    for k in 1..=servers {
        let carried = offered_load * blocking;
        blocking = carried / (f64::from(k) + carried);
    }
    blocking
}

/// Erlang C: probability that a request arriving at an M/M/c queue with `servers` servers and
/// `offered_load` Erlangs has to wait. Computed from Erlang B as C = c·B / (c − A(1 − B)),
/// stable for thousands of servers. 1 when the load reaches the servers (A ≥ c): everyone waits.
pub fn erlang_c(servers: u32, offered_load: f64) -> f64 {
    let c = f64::from(servers);
    if offered_load >= c {
        return 1.0;
    }
    let blocking = erlang_b(servers, offered_load);
    c * blocking / (c - offered_load * (1.0 - blocking))
}

/// Little's law: mean number of requests inside a system = arrival rate (requests per second)
/// × mean time each spends inside (seconds). L = λW for the whole system, Lq = λWq for the queue.
pub fn littles_law(arrival_rate: f64, mean_seconds: f64) -> f64 {
    arrival_rate * mean_seconds
}

/// Retry amplification: expected attempts reaching the bottom of `layers` stacked layers when
/// each layer makes up to `attempts_per_layer` attempts (first try included) and each attempt
/// fails, independently, with `failure_probability` (clamped to [0, 1]).
/// Per layer an attempt i+1 happens only if the first i failed: Σ_{i<attempts} q^i; the layers
/// multiply. At q = 1 (the bottom is down) this is attempts^layers: DOMAIN.md's 3 layers × 4
/// attempts → 64, 5 layers × 3 attempts → 243.
pub fn retry_amplification(attempts_per_layer: u32, layers: u32, failure_probability: f64) -> f64 {
    let q = failure_probability.clamp(0.0, 1.0);
    power(expected_attempts(attempts_per_layer, q), layers)
}

/// Σ_{i<attempts} q^i: expected attempts one layer makes when each fails with probability q.
fn expected_attempts(attempts: u32, q: f64) -> f64 {
    if q >= 1.0 {
        return f64::from(attempts);
    }
    (1.0 - power(q, attempts)) / (1.0 - q)
}

/// `base` raised to a whole `exponent` by repeated squaring: only multiplications, so exact
/// for small whole numbers and identical on every platform.
fn power(base: f64, exponent: u32) -> f64 {
    let (mut result, mut square, mut rest) = (1.0, base, exponent);
    while rest > 0 {
        if rest & 1 == 1 {
            result *= square;
        }
        square *= square;
        rest >>= 1;
    }
    result
}

/// P(X + Y > t) for independent X ~ Exp(a), Y ~ Exp(b) (hypoexponential survival).
/// The textbook (b e^{−at} − a e^{−bt}) / (b − a) divides by zero at a = b and cancels near it;
/// with r = min(a, b) and d = |a − b| it equals e^{−rt} (1 + r t · (1 − e^{−dt}) / (dt)),
/// which is smooth through a = b (where it is the Erlang-2 survival e^{−at} (1 + at)).
fn sum_of_exponentials_exceeds(a: f64, b: f64, t: f64) -> f64 {
    let slower = a.min(b);
    let gap = (a - b).abs();
    math::exp(-slower * t) * (1.0 + slower * t * one_minus_exp_neg_over(gap * t))
}

/// (1 − e^{−x}) / x for x ≥ 0, with its limit 1 at x = 0. Near zero the direct form loses
/// digits to cancellation, so a short Taylor series (error below x⁴/120) takes over.
fn one_minus_exp_neg_over(x: f64) -> f64 {
    if x < 1e-3 {
        1.0 - x / 2.0 + x * x / 6.0 - x * x * x / 24.0
    } else {
        (1.0 - math::exp(-x)) / x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(arrival_rate: f64, service_rate: f64, servers: u32) -> MMc {
        MMc::new(arrival_rate, service_rate, servers).expect("test queues are stable")
    }

    fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{what}: got {actual}, expected {expected} ± {tolerance}"
        );
    }

    #[test]
    fn erlang_c_check_values_from_domain() {
        let q = queue(3.5, 1.0, 4);
        assert_close(q.erlang_c(), 0.738, 1e-3, "C(c=4, A=3.5)");
        assert_close(q.mean_response(), 2.476, 1e-3, "W(c=4, A=3.5)");
    }

    #[test]
    fn erlang_c_matches_the_textbook_sum() {
        // C = [A^c/c! · c/(c−A)] / [Σ_{k<c} A^k/k! + A^c/c! · c/(c−A)], directly.
        let (servers, load) = (4_u32, 3.5_f64);
        let mut term = 1.0; // A^k / k!
        let mut below = 0.0;
        for k in 0..servers {
            below += term;
            term *= load / f64::from(k + 1);
        }
        let top = term * f64::from(servers) / (f64::from(servers) - load);
        assert_close(erlang_c(servers, load), top / (below + top), 1e-12, "C");
    }

    #[test]
    fn erlang_c_is_stable_for_a_thousand_servers() {
        // Independent check: terms relative to A^c/c!, going down from k = c, never overflow.
        let (servers, load) = (1000_u32, 950.0);
        let mut relative = 1.0;
        let mut below = 0.0;
        for k in (1..=servers).rev() {
            relative *= f64::from(k) / load; // A^(k−1)/(k−1)! ÷ A^c/c!
            below += relative;
        }
        let top = f64::from(servers) / (f64::from(servers) - load);
        let expected = top / (below + top);
        let c = erlang_c(servers, load);
        assert!(c.is_finite() && c > 0.0 && c < 1.0, "C = {c}");
        assert_close(c, expected, 1e-9, "C(c=1000, A=950)");
    }

    #[test]
    fn one_server_waits_with_probability_rho() {
        for rho in [0.1, 0.5, 0.9, 0.99] {
            assert_close(queue(rho, 1.0, 1).erlang_c(), rho, 1e-12, "C(c=1)");
        }
    }

    #[test]
    fn one_server_is_mm1() {
        let (lambda, mu) = (3.0, 5.0);
        let q = queue(lambda, mu, 1);
        assert_close(q.mean_response(), 1.0 / (mu - lambda), 1e-12, "W");
        assert_close(q.mean_wait(), (lambda / mu) / (mu - lambda), 1e-12, "Wq");
        for p in [0.0, 0.5, 0.9, 0.99, 0.999] {
            let exponential = -math::ln(1.0 - p) / (mu - lambda);
            let quantile = q.response_quantile(p).expect("p in [0, 1)");
            assert_close(quantile, exponential, 1e-9, "M/M/1 response quantile");
        }
    }

    #[test]
    fn mm1_p99_is_about_4_6_service_times_over_one_minus_rho() {
        let service_time = 0.2;
        for (rho, service_times) in [(0.5, 9.2), (0.9, 46.0)] {
            let q = queue(rho / service_time, 1.0 / service_time, 1);
            let p99 = q.response_quantile(0.99).expect("p in [0, 1)");
            let expected = service_times * service_time;
            assert_close(p99, expected, 0.01 * expected, "M/M/1 p99");
        }
    }

    #[test]
    fn littles_law_gives_the_counts() {
        let q = queue(3.5, 1.0, 4);
        assert_close(q.mean_in_system(), 3.5 * q.mean_response(), 1e-12, "L");
        assert_close(q.mean_in_queue(), 3.5 * q.mean_wait(), 1e-12, "Lq");
        // L − Lq is the mean number in service: the offered load.
        let in_service = q.mean_in_system() - q.mean_in_queue();
        assert_close(in_service, q.offered_load(), 1e-12, "L − Lq");
    }

    #[test]
    fn wait_distribution() {
        let q = queue(3.5, 1.0, 4);
        assert_close(q.wait_cdf(0.0), 1.0 - q.erlang_c(), 1e-12, "P(wait = 0)");
        assert_eq!(q.wait_quantile(0.2), Some(0.0), "most requests do not wait");
        for p in [0.5, 0.9, 0.99] {
            let t = q.wait_quantile(p).expect("p in [0, 1)");
            assert_close(q.wait_cdf(t), p, 1e-12, "wait CDF(quantile(p))");
        }
    }

    #[test]
    fn response_quantile_and_cdf_round_trip() {
        for q in [queue(3.5, 1.0, 4), queue(0.5, 2.0, 1), queue(15.2, 1.0, 16)] {
            for p in [0.01, 0.25, 0.5, 0.9, 0.99, 0.9999] {
                let t = q.response_quantile(p).expect("p in [0, 1)");
                assert_close(q.response_time_cdf(t), p, 1e-12, "CDF(quantile(p))");
            }
        }
    }

    #[test]
    fn response_cdf_integrates_to_the_mean() {
        // E[T] = ∫ P(T > t) dt: ties the closed-form CDF to the mean formula. λ = 1, μ = 1,
        // c = 2 makes cμ − λ = μ, the degenerate (Erlang-2) case; the last has cμ − λ > μ.
        for q in [
            queue(3.5, 1.0, 4),
            queue(1.0, 1.0, 2),
            queue(0.3, 1.0, 1),
            queue(1.0, 1.0, 4),
        ] {
            let (step, steps) = (1e-3, 200_000);
            let mut area = 0.0;
            for i in 0..steps {
                let t = step * f64::from(i);
                let trapezoid =
                    q.response_exceeds_probability(t) + q.response_exceeds_probability(t + step);
                area += 0.5 * step * trapezoid;
            }
            assert_close(area, q.mean_response(), 1e-6, "∫ P(T > t) dt");
        }
    }

    #[test]
    fn response_cdf_is_continuous_through_the_degenerate_case() {
        // c = 2, μ = 1: cμ − λ = μ exactly at λ = 1.
        let exact = queue(1.0, 1.0, 2);
        let t = 1.7;
        let erlang2 = math::exp(-t) * (1.0 + t);
        let c = exact.erlang_c();
        let expected = (1.0 - c) * math::exp(-t) + c * erlang2;
        assert_close(
            exact.response_exceeds_probability(t),
            expected,
            1e-15,
            "degenerate",
        );
        for nudge in [1e-12, 1e-9, 1e-6, 1e-4] {
            for lambda in [1.0 - nudge, 1.0 + nudge] {
                let near = queue(lambda, 1.0, 2);
                let gap = (near.response_time_cdf(t) - exact.response_time_cdf(t)).abs();
                assert!(gap < 10.0 * nudge, "λ = {lambda}: CDF moved by {gap}");
            }
        }
    }

    #[test]
    fn quantiles_reject_probabilities_outside_zero_one() {
        let q = queue(3.5, 1.0, 4);
        for p in [-0.1, 1.0, 1.5, f64::NAN] {
            assert_eq!(q.response_quantile(p), None);
            assert_eq!(q.wait_quantile(p), None);
        }
    }

    #[test]
    fn unstable_and_invalid_queues_are_rejected() {
        assert_eq!(
            MMc::new(4.0, 1.0, 4),
            Err(QueueError::Unstable {
                arrival_rate: 4.0,
                capacity: 4.0
            })
        );
        assert!(matches!(
            MMc::new(2.0, 1.0, 1),
            Err(QueueError::Unstable { .. })
        ));
        assert_eq!(MMc::new(1.0, 1.0, 0), Err(QueueError::NoServers));
        assert!(matches!(
            MMc::new(-1.0, 1.0, 1),
            Err(QueueError::InvalidArrivalRate(_))
        ));
        assert!(matches!(
            MMc::new(f64::NAN, 1.0, 1),
            Err(QueueError::InvalidArrivalRate(_))
        ));
        assert!(matches!(
            MMc::new(0.5, 0.0, 1),
            Err(QueueError::InvalidServiceRate(_))
        ));
        assert!(matches!(
            MMc::new(0.5, f64::INFINITY, 1),
            Err(QueueError::InvalidServiceRate(_))
        ));
    }

    #[test]
    fn idle_queue_never_waits() {
        let q = queue(0.0, 2.0, 3);
        assert_eq!(q.erlang_c(), 0.0);
        assert_eq!(q.mean_wait(), 0.0);
        assert_close(q.mean_response(), 0.5, 1e-15, "W = service time");
    }

    #[test]
    fn retry_amplification_worst_case_from_domain() {
        assert_eq!(retry_amplification(4, 3, 1.0), 64.0);
        assert_eq!(retry_amplification(3, 5, 1.0), 243.0);
    }

    #[test]
    fn retry_amplification_partial_failure() {
        // q = 0.5, 4 attempts: 1 + 0.5 + 0.25 + 0.125 = 1.875 per layer.
        assert_close(retry_amplification(4, 1, 0.5), 1.875, 1e-15, "one layer");
        assert_close(
            retry_amplification(4, 3, 0.5),
            1.875 * 1.875 * 1.875,
            1e-12,
            "three",
        );
        assert_eq!(
            retry_amplification(4, 3, 0.0),
            1.0,
            "nothing fails: no retries"
        );
        assert_eq!(
            retry_amplification(1, 5, 1.0),
            1.0,
            "no retries: no amplification"
        );
    }
}
