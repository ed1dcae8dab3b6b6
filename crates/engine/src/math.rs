//! The one door to transcendental float functions.
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

pub fn sqrt(x: f64) -> f64 {
    libm::sqrt(x)
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
