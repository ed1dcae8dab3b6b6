//! The one door to transcendental float functions, and fast exact rounding.
//!
//! `std`'s `sin`, `exp`, `ln`… may differ in the last bit between platforms (they call the
//! platform's maths library), which would make a run hash differently natively and in wasm.
//! `libm` is plain Rust and gives the same bits everywhere. Clippy forbids the std methods
//! (see `clippy.toml`) so nothing slips past this module.

pub use core::f64::consts::PI;

pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

pub fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// √x. IEEE 754 requires the square root to be correctly rounded, so the hardware's
/// instruction (`sqrtsd`, WebAssembly's `f64.sqrt`) gives the same bits everywhere; `libm`'s
/// is a software loop in WebAssembly (a tenth of the page's engine time, measured).
#[inline]
pub fn sqrt(x: f64) -> f64 {
    x.sqrt()
}

/// ln |Γ(x)|.
pub fn lgamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// Complementary error function, 1 − erf(x), accurate in the tail where erf(x) ≈ 1.
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

/// ln(1 + x), accurate when x is near zero.
pub fn log1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// The lesser of two numbers, a NaN ignored: `f64::min`. In WebAssembly `f64::min` is a
/// library call (`fmin`: the `f64.min` instruction returns the NaN instead), and the tick
/// asks for one many times per service: there this is the library's own rule, inlined.
/// (Natively `std`'s is a few branch-free instructions.)
#[inline]
pub fn min(x: f64, y: f64) -> f64 {
    if cfg!(target_arch = "wasm32") {
        if y.is_nan() || x < y {
            x
        } else {
            y
        }
    } else {
        x.min(y)
    }
}

/// The greater of two numbers, a NaN ignored: `f64::max` (see [`min`]).
#[inline]
pub fn max(x: f64, y: f64) -> f64 {
    if cfg!(target_arch = "wasm32") {
        if x.is_nan() || x < y {
            y
        } else {
            x
        }
    } else {
        x.max(y)
    }
}

/// Whether two lists of numbers (float bits, counts) are the same, compared word by word:
/// `==` on arrays becomes a call to `memcmp`, which costs more than the comparison it
/// makes when a tick asks it several times per service.
#[inline(always)] // see "Speed in the page" in docs/architecture.md
pub fn same_words<const N: usize>(a: &[u64; N], b: &[u64; N]) -> bool {
    a.iter().zip(b).fold(0, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// 2⁵²: from here on every f64 is a whole number, so rounding has nothing to do.
#[cfg(not(target_arch = "wasm32"))]
const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;

/// `x` without its fraction, as `f64::trunc`, sign of zero kept. Baseline x86-64 has no
/// rounding instruction (it came with SSE4.1), so `std`'s `floor` and `round` are library
/// calls of some fifty instructions, and the tick rounds counts several times per service;
/// the conversion to i64 and back is exact below 2⁵² and costs two. (WebAssembly has
/// `f64.trunc`, `f64.floor` and `f64.ceil`: there `std` serves, see `wasm_rounding`.)
#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn trunc(x: f64) -> f64 {
    if x.abs() < WHOLE_FROM {
        (x as i64 as f64).copysign(x)
    } else {
        x // whole already, or infinite, or NaN
    }
}

/// The largest whole number ≤ `x`: bit for bit `f64::floor`, faster (see [`trunc`]).
#[cfg(not(target_arch = "wasm32"))]
#[inline]
pub fn floor(x: f64) -> f64 {
    let t = trunc(x);
    if t > x {
        t - 1.0
    } else {
        t
    }
}

/// The smallest whole number ≥ `x`: bit for bit `f64::ceil`, faster (see [`trunc`]).
#[cfg(not(target_arch = "wasm32"))]
#[inline]
pub fn ceil(x: f64) -> f64 {
    let t = trunc(x);
    if t < x {
        t + 1.0
    } else {
        t
    }
}

/// The nearest whole number, halves away from zero: bit for bit `f64::round`, faster (see
/// [`trunc`]). `x − trunc(x)` is exact, so the half-way test is too. (WebAssembly has no
/// instruction for this rounding either: `std`'s is a library call there too.)
#[inline]
pub fn round(x: f64) -> f64 {
    half_away(x, trunc(x))
}

/// `round(x)` from `t = trunc(x)`, however `t` was found.
#[inline]
fn half_away(x: f64, t: f64) -> f64 {
    if (x - t).abs() >= 0.5 {
        t + 1.0_f64.copysign(x)
    } else {
        t
    }
}

#[cfg(target_arch = "wasm32")]
use wasm_rounding::trunc;
#[cfg(target_arch = "wasm32")]
pub use wasm_rounding::{ceil, floor};

/// WebAssembly's own rounding instructions.
#[cfg(target_arch = "wasm32")]
mod wasm_rounding {
    #[inline]
    pub fn trunc(x: f64) -> f64 {
        x.trunc()
    }
    pub fn floor(x: f64) -> f64 {
        x.floor()
    }
    pub fn ceil(x: f64) -> f64 {
        x.ceil()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Every rounding helper gives `std`'s bits, signs of zero included, on the awkward
    /// cases (halves, the largest double below ½, the 2⁵² edge, tiny and huge values) and
    /// on a sweep of pseudo-random values of every magnitude.
    #[test]
    fn rounding_matches_std_bit_for_bit() {
        let mut cases = vec![
            0.0,
            0.5,
            1.5,
            2.5,
            0.499_999_999_999_999_94,
            1.0 - f64::EPSILON / 2.0,
            f64::MIN_POSITIVE,
            5e-324,
            WHOLE_FROM - 0.5,
            WHOLE_FROM,
            WHOLE_FROM + 1.0,
            9.007_199_254_740_993e15,
            1e300,
            f64::MAX,
            f64::INFINITY,
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let bits = state >> 1; // positive, any exponent
            cases.push(f64::from_bits(bits % f64::INFINITY.to_bits()));
            cases.push((state >> 11) as f64 / 1024.0);
        }
        for x in cases.iter().flat_map(|&x| [x, -x]) {
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "floor({x:e})");
            assert_eq!(ceil(x).to_bits(), x.ceil().to_bits(), "ceil({x:e})");
            assert_eq!(round(x).to_bits(), x.round().to_bits(), "round({x:e})");
            // WebAssembly's `round`: the same rule on its own `trunc` instruction.
            let wasm_round = half_away(x, x.trunc());
            assert_eq!(
                wasm_round.to_bits(),
                x.round().to_bits(),
                "wasm round({x:e})"
            );
        }
        assert!(floor(f64::NAN).is_nan() && ceil(f64::NAN).is_nan() && round(f64::NAN).is_nan());
    }
}
