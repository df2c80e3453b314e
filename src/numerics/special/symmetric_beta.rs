//! The symmetric incomplete beta I_x(ν/2, ν/2) for a whole number ν of
//! degrees of freedom, by finite sums whose constants are computed once per ν.
//!
//! I_x(ν/2, ν/2) is the Student-t cdf with ν degrees of freedom at the t with
//! x = ½ + ½ t/√(ν + t²) (Abramowitz & Stegun 26.7.1 after the substitution
//! x = (1 + sin θ)/2, θ = atan(t/√ν)), and for whole ν that cdf has closed
//! finite sums (A&S 26.7.3, 26.7.4). Only the lower half x ≤ ½ is summed; the
//! upper half is 1 − I_{1−x} (1 − x is exact there). The sums below are the
//! forms of those closed sums whose terms are all positive, so a tail keeps
//! its relative accuracy (p̂ near 1e-10 to about 1e-15):
//!
//! - ν = 2a even: I_x(a, a) = P(Binomial(2a − 1, x) ≥ a)
//!   = x (4xy)^(a−1) Σ_{i<a} [C(2a − 1, a + i)/4^(a−1)] (x/y)^i, y = 1 − x
//!   (A&S 26.5.24 and 26.7.4; a terms, exact in exact arithmetic).
//! - ν = 2m + 1 odd: A&S 26.7.3 in the angle β = 2 asin √x, whose sine is
//!   s = 2√(xy), written as the lower tail:
//!   I_x = (1/π)[β − sin β cos β Σ_{k<m} c_k s^(2k)], c_k = (2·4···2k)/(1·3···(2k + 1)).
//!   The bracket cancels in the tail (it is β minus a partial sum of the series of
//!   β/(sin β cos β)), so for x at or below the point where I_x = 0.05 the
//!   hypergeometric series of A&S 26.5.23 is summed instead, after Pfaff's
//!   transformation 2F1(2a, 1; a + 1; x) = 2F1(1 − a, 1; a + 1; −z)/y, z = x/y
//!   (A&S 15.3.4):
//!   I_x = (c_m/π) (s^(2m+1)/y) Σ_k e_k z^k, e_k = Π_{j<k} (m − ½ − j)/(m + 3/2 + j),
//!   a = m + ½ (x^a y^a/(a B(a, a)) = c_m s^(2m+1)/π). Its terms are positive up
//!   to k = m and alternate, tiny, after; they fall by the ratio
//!   z (m − ½ − k)/(m + 3/2 + k), so it needs a third to a half of the terms
//!   of the untransformed series Σ (2a)_k/(a + 1)_k x^k (16 instead of 33 at
//!   ν = 33, x = 0.2; 19 instead of 56 at the switch). Above that point the
//!   finite form's error stays below 5e-14 relative (measured against scipy's
//!   `betainc` up to ν = 301).
//!
//! The sums are written once for N lanes of x (plain-array loops that the
//! compiler vectorises, with +, −, ×, ÷, √ and the software asin of
//! [`super::elementary`]: no library call, no fused multiply-add): the scalar
//! [`SymmetricBeta::lower`] runs them on one lane and
//! [`SymmetricBeta::lower_each`] on 16, compiled for AVX-512F or AVX2
//! when the processor has it, with the same bits in every lane.
//!
//! Degrees of freedom above [`MAX_DF`] (where the sums grow long and the
//! general incomplete beta is about as fast), and tails so
//! deep that the sums' leading power would near the subnormal range (below
//! 1e-300), are passed to [`super::beta_inc`].

use super::{beta_inc, beta_inc_inv, elementary};
use std::f64::consts::FRAC_1_PI;

/// The largest ν summed in closed form; larger ν use [`super::beta_inc`].
/// Measured (`benches/numerics.rs`, `symmetric_beta_1e3`) the sums are
/// faster than `beta_inc` up to ν ≈ 400 (8x at ν = 1, 5x at 33, 2.5x at 200);
/// at 300 the rounding of their leading power (ν/2 ulps) stays below 1e-13.
pub const MAX_DF: u64 = 300;

/// Below this leading power the sums would lose relative accuracy in
/// subnormal numbers; such tails go to [`super::beta_inc`].
const TINY: f64 = 1e-300;

/// Where the odd-ν finite form takes over from the series: I_x = 0.05.
const FINITE_FROM: f64 = 0.05;

/// The series is summed up to the first term below this share of the sum
/// (the terms fall by a ratio below ¾ there, or alternate in sign with
/// falling size, so the remainder is below 2^-54).
const SERIES_STOP: f64 = 1.0 / (1u64 << 56) as f64;

/// The series' length is tabulated at this many points up to the switch
/// (a sum of fixed length evaluates faster than one that tests each term).
const LENGTH_STEPS: usize = 16;

/// I_x(ν/2, ν/2) for one whole ν, for many x.
///
/// # Examples
/// ```
/// use qualstat::numerics::special::{beta_inc, SymmetricBeta};
/// let b = SymmetricBeta::new(33);
/// let x = 0.24;
/// assert!((b.lower(x) / beta_inc(16.5, 16.5, x) - 1.0).abs() < 1e-13);
/// assert_eq!(SymmetricBeta::new(2).lower(0.3), 0.3); // I_x(1, 1) = x
/// ```
#[derive(Debug, Clone)]
pub struct SymmetricBeta {
    /// a = ν/2.
    a: f64,
    form: Form,
}

#[derive(Debug, Clone)]
enum Form {
    /// ν = 2a even: C(2a − 1, a + i)/4^(a−1) for i < a.
    Binomial(Vec<f64>),
    /// ν = 2m + 1 odd.
    HalfInteger {
        /// c_k for k < m (the finite form).
        finite: Vec<f64>,
        /// e_k, as many as the series needs at `switch`.
        series: Vec<f64>,
        /// How many terms of the series x needs, for x up to `switch·j/LENGTH_STEPS`.
        lengths: [usize; LENGTH_STEPS + 1],
        /// LENGTH_STEPS/switch: x times it, truncated, plus one is the
        /// grid point above x.
        steps_per_x: f64,
        /// c_m/π, the series' constant factor.
        lead: f64,
        /// The x where I_x = 0.05: the series at and below it, the finite form above.
        switch: f64,
        /// m as the exponent of s².
        m: u32,
    },
    /// ν above [`MAX_DF`]: the general incomplete beta.
    General,
}

impl SymmetricBeta {
    /// The constants for ν degrees of freedom (ν ≥ 1; ν = 0 gives NaN from
    /// [`SymmetricBeta::lower`]). O(ν) work up to [`MAX_DF`], none above.
    pub fn new(df: u64) -> SymmetricBeta {
        let a = df as f64 / 2.0;
        let form = if df == 0 || df > MAX_DF {
            Form::General
        } else if df.is_multiple_of(2) {
            Form::Binomial(binomial_coefficients(df / 2))
        } else {
            half_integer(df / 2)
        };
        SymmetricBeta { a, form }
    }

    /// I_x(ν/2, ν/2) for x in [0, 1] (NaN outside, or for ν = 0).
    pub fn lower(&self, x: f64) -> f64 {
        if !(0.0..=1.0).contains(&x) || self.a == 0.0 {
            return f64::NAN;
        }
        if x > 0.5 {
            1.0 - self.lower_half(1.0 - x)
        } else {
            self.lower_half(x)
        }
    }

    /// I_x(ν/2, ν/2) in place of each x of `x` (NaN outside [0, 1], or for
    /// ν = 0): the same bits as [`SymmetricBeta::lower`] on each, computed
    /// 16 at a time. 16 consecutive x that take one sum (the
    /// binomial sum; the series or the angle form) run as they lie; the
    /// others are queued by the sum they take, and each sum runs in
    /// 16 lanes of x of its kind (AVX-512F or AVX2 when the processor
    /// has it, chosen at run time). A lane whose leading power is tiny, and
    /// every x of ν above [`MAX_DF`], takes [`super::beta_inc`] as in
    /// [`SymmetricBeta::lower`].
    ///
    /// # Examples
    /// ```
    /// use qualstat::numerics::special::SymmetricBeta;
    /// let b = SymmetricBeta::new(33);
    /// let mut x = [0.1, 0.3, 0.5, 0.8, 2.0];
    /// let want = x.map(|x| b.lower(x));
    /// b.lower_each(&mut x);
    /// assert_eq!(x.map(f64::to_bits)[..4], want.map(f64::to_bits)[..4]);
    /// assert!(x[4].is_nan());
    /// ```
    pub fn lower_each(&self, x: &mut [f64]) {
        let isa = Isa::detect();
        let mut queues = [Queue::default(); 3];
        let whole = x.len() - x.len() % LANES;
        for start in (0..whole).step_by(LANES) {
            let mut v = [0.0; LANES];
            v.copy_from_slice(&x[start..start + LANES]);
            // A chunk of one part (as in most batches) runs as it lies.
            let (half, flip) = halves_of(v);
            if let Some(part) = self.common_part(&v, &half) {
                let (sum, ok) = isa.run(self, part, half);
                for (j, out) in x[start..start + LANES].iter_mut().enumerate() {
                    *out = self.finish(sum[j], ok[j], half[j], flip[j]);
                }
                continue;
            }
            for (j, &v) in v.iter().enumerate() {
                self.enqueue(v, start + j, &mut queues, isa, x);
            }
        }
        for i in whole..x.len() {
            self.enqueue(x[i], i, &mut queues, isa, x);
        }
        for part in [Part::Binomial, Part::Series, Part::Angle] {
            let queue = &mut queues[part as usize];
            if queue.len > 0 {
                self.flush(part, queue, isa, x);
            }
        }
    }

    /// The part all of `v` (whose lower halves are `half`) take when it is
    /// one (each x in (0, 1) and ν summed in closed form).
    fn common_part(&self, v: &[f64; LANES], half: &[f64; LANES]) -> Option<Part> {
        let inside = v.iter().all(|&v| v > 0.0 && v < 1.0);
        match &self.form {
            Form::General => None,
            Form::Binomial(_) => inside.then_some(Part::Binomial),
            Form::HalfInteger { switch, .. } => {
                let above = half.iter().filter(|&&h| h > *switch).count();
                match (inside, above) {
                    (true, 0) => Some(Part::Series),
                    (true, LANES) => Some(Part::Angle),
                    _ => None,
                }
            }
        }
    }

    /// Queues x (entry `i` of `out`) for the lanes of its part, running them
    /// when full; x of no part (ν above [`MAX_DF`], 0, 1, outside [0, 1]) is
    /// evaluated at once.
    fn enqueue(&self, v: f64, i: usize, queues: &mut [Queue; 3], isa: Isa, out: &mut [f64]) {
        let flip = v > 0.5;
        let half = if flip { 1.0 - v } else { v };
        match self.part(half) {
            Some(part) if (0.0..=1.0).contains(&v) && half > 0.0 => {
                let queue = &mut queues[part as usize];
                queue.push(half, i, flip);
                if queue.len == LANES {
                    self.flush(part, queue, isa, out);
                }
            }
            _ => out[i] = self.lower(v),
        }
    }

    /// I_x from the sum of the lower half x ≤ ½ (`ok`: not tiny; else
    /// [`super::beta_inc`]), and 1 − I_x for the upper half (`flip`).
    #[inline(always)]
    fn finish(&self, sum: f64, ok: bool, half: f64, flip: bool) -> f64 {
        let value = if ok {
            sum
        } else {
            beta_inc(self.a, self.a, half)
        };
        if flip {
            1.0 - value
        } else {
            value
        }
    }

    /// The sum that takes x in (0, ½] (`None`: [`super::beta_inc`]).
    fn part(&self, x: f64) -> Option<Part> {
        match &self.form {
            Form::General => None,
            Form::Binomial(_) => Some(Part::Binomial),
            Form::HalfInteger { switch, .. } => Some(if x > *switch {
                Part::Angle
            } else {
                Part::Series
            }),
        }
    }

    /// Evaluates a full or partial queue of x of one part into `out` (at
    /// their places, the upper half as 1 − I_{1−x}), and empties it.
    fn flush(&self, part: Part, queue: &mut Queue, isa: Isa, out: &mut [f64]) {
        // Lanes beyond the queue's length compute on a copy of its first x.
        let first = queue.x[0];
        for x in &mut queue.x[queue.len..] {
            *x = first;
        }
        let (sum, ok) = isa.run(self, part, queue.x);
        for j in 0..queue.len {
            out[queue.at[j]] = self.finish(sum[j], ok[j], queue.x[j], queue.flip[j]);
        }
        queue.len = 0;
    }

    /// The sum of `part` in N lanes of x in (0, ½], each lane with the
    /// arithmetic of the others and of N = 1 (the scalar
    /// [`SymmetricBeta::lower`]); `false` where the leading power is tiny
    /// (or the form has no such part).
    #[inline(always)]
    fn sums<const N: usize>(&self, part: Part, x: [f64; N]) -> ([f64; N], [bool; N]) {
        match (&self.form, part) {
            (Form::Binomial(c), _) => binomial_tail(c, x),
            (Form::HalfInteger { finite, .. }, Part::Angle) => (angle_form(finite, x), [true; N]),
            (
                Form::HalfInteger {
                    series,
                    lengths,
                    steps_per_x,
                    lead,
                    m,
                    ..
                },
                Part::Series,
            ) => {
                // The length tabulated at the grid point above x; each lane
                // sums its own terms (the terms beyond are zeros to it).
                let mut len = [0; N];
                for (len, &x) in len.iter_mut().zip(&x) {
                    *len = lengths[grid_step(x * steps_per_x)];
                }
                let top = len.iter().copied().max().unwrap_or(0).min(series.len());
                hypergeometric_series(&series[..top], len, *lead, *m, x)
            }
            _ => ([f64::NAN; N], [false; N]),
        }
    }

    /// I_x for x in [0, ½].
    fn lower_half(&self, x: f64) -> f64 {
        if x == 0.0 {
            return 0.0;
        }
        match self.part(x).map(|part| self.sums(part, [x])) {
            Some(([sum], [true])) => sum,
            _ => beta_inc(self.a, self.a, x),
        }
    }
}

/// The lower halves min(v, 1 − v) of each v and whether v is in the upper half.
#[inline(always)]
fn halves_of(v: [f64; LANES]) -> ([f64; LANES], [bool; LANES]) {
    let (mut half, mut flip) = ([0.0; LANES], [false; LANES]);
    for i in 0..LANES {
        flip[i] = v[i] > 0.5;
        half[i] = if flip[i] { 1.0 - v[i] } else { v[i] };
    }
    (half, flip)
}

/// x evaluated side by side by [`SymmetricBeta::lower_each`]: two AVX-512
/// vectors (four AVX2 ones), whose independent chains overlap (measured
/// against 8 and 32 lanes, `benches/variables.rs`: 16 lanes took 0.72 of
/// the time of 8 for 200,000 x, 32 no less than 16).
const LANES: usize = 16;

/// The sums of the symmetric beta, in the order of the queues.
#[derive(Debug, Clone, Copy)]
enum Part {
    Binomial = 0,
    Series = 1,
    Angle = 2,
}

/// Up to [`LANES`] x of one part waiting for their sum: x ≤ ½, its place in
/// the output, and whether the output is the upper half 1 − I_x.
#[derive(Debug, Clone, Copy, Default)]
struct Queue {
    x: [f64; LANES],
    at: [usize; LANES],
    flip: [bool; LANES],
    len: usize,
}

impl Queue {
    fn push(&mut self, x: f64, at: usize, flip: bool) {
        (self.x[self.len], self.at[self.len], self.flip[self.len]) = (x, at, flip);
        self.len += 1;
    }
}

/// The instruction set the lanes are compiled for, detected once per call.
#[derive(Debug, Clone, Copy)]
enum Isa {
    #[cfg(target_arch = "x86_64")]
    Avx512,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    Portable,
}

impl Isa {
    fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") {
            return Isa::Avx512;
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            return Isa::Avx2;
        }
        Isa::Portable
    }

    fn run(self, b: &SymmetricBeta, part: Part, x: [f64; LANES]) -> ([f64; LANES], [bool; LANES]) {
        match self {
            // SAFETY: `detect` found AVX-512F on this processor.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => unsafe { sums_avx512(b, part, x) },
            // SAFETY: `detect` found AVX2 on this processor.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe { sums_avx2(b, part, x) },
            Isa::Portable => b.sums(part, x),
        }
    }
}

/// [`SymmetricBeta::sums`] in [`LANES`] lanes, compiled for AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn sums_avx512(b: &SymmetricBeta, part: Part, x: [f64; LANES]) -> ([f64; LANES], [bool; LANES]) {
    b.sums(part, x)
}

/// [`SymmetricBeta::sums`] in [`LANES`] lanes, compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sums_avx2(b: &SymmetricBeta, part: Part, x: [f64; LANES]) -> ([f64; LANES], [bool; LANES]) {
    b.sums(part, x)
}

/// C(2a − 1, a + i)/4^(a−1) for i < a, from the middle outwards.
fn binomial_coefficients(a: u64) -> Vec<f64> {
    // C(2a − 1, a)/4^(a−1) = Π_{j=1}^{a−1} (a + j)/(4j).
    let mut c = (1..a).fold(1.0, |acc, j| acc * (a + j) as f64 / (4 * j) as f64);
    (0..a)
        .map(|i| {
            let now = c;
            // C(N, a + i + 1) = C(N, a + i) (N − a − i)/(a + i + 1), N = 2a − 1.
            c *= (a - 1 - i) as f64 / (a + i + 1) as f64;
            now
        })
        .collect()
}

/// y = 1 − x, s² = 4xy and z = x/y in each lane (the sums take what they
/// need; the rest is not computed once inlined).
#[inline(always)]
fn halves<const N: usize>(x: [f64; N]) -> ([f64; N], [f64; N], [f64; N]) {
    let (mut y, mut s2, mut z) = ([0.0; N], [0.0; N], [0.0; N]);
    for i in 0..N {
        y[i] = 1.0 - x[i];
        s2[i] = 4.0 * x[i] * y[i];
        z[i] = x[i] / y[i];
    }
    (y, s2, z)
}

/// P(Binomial(2a − 1, x) ≥ a) for x ≤ ½ in each lane (`false` where the
/// leading power is tiny).
#[inline(always)]
fn binomial_tail<const N: usize>(c: &[f64], x: [f64; N]) -> ([f64; N], [bool; N]) {
    let (_, s2, z) = halves(x);
    let powers = powi(s2, (c.len() as u32).saturating_sub(1));
    let sums = polynomial(c, [c.len(); N], z);
    let (mut value, mut ok) = ([0.0; N], [false; N]);
    for i in 0..N {
        let power = x[i] * powers[i];
        ok[i] = power >= TINY;
        value[i] = power * sums[i];
    }
    (value, ok)
}

fn half_integer(m: u64) -> Form {
    let mut c = Vec::with_capacity(m as usize + 1);
    let mut ck = 1.0;
    for k in 0..=m {
        c.push(ck);
        ck *= (2 * k + 2) as f64 / (2 * k + 3) as f64;
    }
    let lead = c.pop().unwrap_or(1.0) * FRAC_1_PI;
    let a = m as f64 + 0.5;
    // ν = 1: the finite form is β/π, no cancellation anywhere.
    let switch = if m == 0 {
        0.0
    } else {
        beta_inc_inv(a, a, FINITE_FROM)
    };
    // e_k while |e_k| z^k, z = switch/(1 − switch), is at least the stopping
    // share of the sum (≥ 1), then one more; for each grid point, the terms it needs.
    let mut series: Vec<f64> = vec![1.0];
    let mut lengths = [1; LENGTH_STEPS + 1];
    if m > 0 {
        let z = switch / (1.0 - switch);
        let mut k = 0.0;
        let mut zk = 1.0;
        while series.last().copied().unwrap_or(0.0).abs() * zk >= SERIES_STOP {
            let e = series.last().copied().unwrap_or(0.0) * (a - 1.0 - k) / (a + 1.0 + k);
            series.push(e);
            zk *= z;
            k += 1.0;
        }
        for (j, len) in lengths.iter_mut().enumerate() {
            let x = switch * j as f64 / LENGTH_STEPS as f64;
            let z = x / (1.0 - x);
            let (mut sum, mut zk) = (0.0, 1.0);
            *len = series.len();
            for (i, &e) in series.iter().enumerate() {
                sum += e * zk;
                if (e * zk).abs() < SERIES_STOP * sum {
                    *len = i + 1;
                    break;
                }
                zk *= z;
            }
        }
    }
    let steps_per_x = if m > 0 {
        LENGTH_STEPS as f64 / switch
    } else {
        0.0
    };
    Form::HalfInteger {
        finite: c,
        series,
        lengths,
        steps_per_x,
        lead,
        switch,
        m: m as u32,
    }
}

/// A&S 26.7.3 as the lower tail: (β − sin β cos β Σ_{k<m} c_k s^(2k))/π,
/// β = 2 asin √x ([`elementary::asin`]), in each lane.
#[inline(always)]
fn angle_form<const N: usize>(c: &[f64], x: [f64; N]) -> [f64; N] {
    let (y, s2, _) = halves(x);
    let sums = polynomial(c, [c.len(); N], s2);
    let mut value = [0.0; N];
    for i in 0..N {
        let beta = 2.0 * elementary::asin(x[i].sqrt());
        let sin_cos = 2.0 * (x[i] * y[i]).sqrt() * (1.0 - 2.0 * x[i]);
        value[i] = (beta - sin_cos * sums[i]) * FRAC_1_PI;
    }
    value
}

/// A&S 26.5.23 after Pfaff's transformation: (c_m/π) (s^(2m+1)/y) Σ_k e_k z^k,
/// z = x/y, in each lane over its first `len` terms of `e` (`false` where the
/// leading power is tiny).
#[inline(always)]
fn hypergeometric_series<const N: usize>(
    e: &[f64],
    len: [usize; N],
    lead: f64,
    m: u32,
    x: [f64; N],
) -> ([f64; N], [bool; N]) {
    let (y, s2, z) = halves(x);
    let powers = powi(s2, m);
    let sums = polynomial(e, len, z);
    let (mut value, mut ok) = ([0.0; N], [false; N]);
    for i in 0..N {
        let power = powers[i] * s2[i].sqrt();
        ok[i] = power >= TINY;
        value[i] = lead * power * sums[i] / y[i];
    }
    (value, ok)
}

/// min(⌊v⌋ + 1, [`LENGTH_STEPS`]) for v ≥ 0: the index of the grid point
/// above x = v/steps_per_x. v + 2⁵² holds v rounded to the nearest whole
/// number in the low bits of its mantissa (one less where that rounded up),
/// which vectorises where `as usize` and `floor` convert lane by lane.
#[inline(always)]
fn grid_step(v: f64) -> usize {
    const TWO52: f64 = 4_503_599_627_370_496.0;
    let capped = v.min(LENGTH_STEPS as f64);
    let nearest = capped + TWO52;
    let up = u64::from(nearest - TWO52 > capped);
    let floor = (nearest.to_bits() & 0x3f) - up;
    (floor + 1).min(LENGTH_STEPS as u64) as usize
}

/// x^n by binary powers in each lane, the steps of `f64::powi`
/// (compiler-rt's `__powidf2`) inline instead of a library call.
#[inline(always)]
fn powi<const N: usize>(mut x: [f64; N], mut n: u32) -> [f64; N] {
    let mut r = [1.0; N];
    loop {
        if n & 1 == 1 {
            for (r, x) in r.iter_mut().zip(x) {
                *r *= x;
            }
        }
        n /= 2;
        if n == 0 {
            return r;
        }
        for v in &mut x {
            *v *= *v;
        }
    }
}

/// Σ_{i<len} c_i x^i in each lane by four interleaved Horner chains in x⁴,
/// whose latencies overlap (the sums here have positive terms, or after
/// them alternating ones small next to the sum, so the order of the
/// additions does not matter for their accuracy). A lane's terms from
/// `len` on are zeros: its chains are 0·x⁴ + 0 = 0 up to its own top
/// coefficient, then the same operations as on `c[..len]`, so the bits do
/// not depend on the coefficients beyond `len` nor on the other lanes. One
/// lane (the scalar path) is given `c` of its own length, unmasked.
#[inline(always)]
fn polynomial<const N: usize>(c: &[f64], len: [usize; N], x: [f64; N]) -> [f64; N] {
    let (mut x2, mut x4) = ([0.0; N], [0.0; N]);
    for i in 0..N {
        x2[i] = x[i] * x[i];
        x4[i] = x2[i] * x2[i];
    }
    debug_assert!(N > 1 || len[0] == c.len());
    let chunks = c.chunks_exact(4);
    let base = c.len() - chunks.remainder().len();
    let mut acc = [[0.0; N]; 4];
    for (j, (a, &top)) in acc.iter_mut().zip(chunks.remainder()).enumerate() {
        for i in 0..N {
            a[i] = if N == 1 || base + j < len[i] {
                top
            } else {
                0.0
            };
        }
    }
    for (k, chunk) in chunks.enumerate().rev() {
        for (j, (a, &ci)) in acc.iter_mut().zip(chunk).enumerate() {
            for i in 0..N {
                a[i] = a[i] * x4[i]
                    + if N == 1 || 4 * k + j < len[i] {
                        ci
                    } else {
                        0.0
                    };
            }
        }
    }
    let mut sum = [0.0; N];
    for i in 0..N {
        sum[i] = acc[0][i] + x[i] * acc[1][i] + x2[i] * (acc[2][i] + x[i] * acc[3][i]);
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn closed_forms_of_small_df() {
        let one = SymmetricBeta::new(1);
        let two = SymmetricBeta::new(2);
        let three = SymmetricBeta::new(3);
        for x in [1e-290_f64, 1e-12, 0.01, 0.3, 0.5, 0.7, 0.99] {
            // ν = 1: 2 asin(√x)/π; ν = 2: x; ν = 3: I_x(3/2, 3/2) by A&S 26.7.3.
            let b = 2.0 * x.sqrt().asin();
            assert!((one.lower(x) / (b / std::f64::consts::PI) - 1.0).abs() < 1e-15);
            assert!((two.lower(x) / x - 1.0).abs() < 1e-15, "{x}");
            let (t, want) = (three.lower(x), beta_inc(1.5, 1.5, x));
            assert!(t == want || (t / want - 1.0).abs() < 1e-13, "{x}: {t}");
        }
        assert_eq!(one.lower(0.0), 0.0);
        assert_eq!(three.lower(1.0), 1.0);
        assert!(three.lower(1.5).is_nan() && three.lower(f64::NAN).is_nan());
        assert!(SymmetricBeta::new(0).lower(0.3).is_nan());
    }

    /// `b.lower(x)` against `beta_inc(ν/2, ν/2, x)` (checked against mpmath
    /// in tests/numerics_reference.rs), which works in logarithms: 1e-13
    /// relative plus 4 ulps of |ln I| in deep tails.
    fn assert_matches_beta_inc(b: &SymmetricBeta, df: u64, x: f64) {
        let a = df as f64 / 2.0;
        let (got, want) = (b.lower(x), beta_inc(a, a, x));
        let tol = 1e-13 + 4.0 * f64::EPSILON * want.ln().abs();
        let rel = if got == want {
            0.0
        } else {
            (got / want - 1.0).abs()
        };
        assert!(rel < tol, "df {df}, x {x}: {got} vs {want} ({rel:e})");
    }

    #[test]
    fn agrees_with_the_general_incomplete_beta() {
        // beta_inc is checked against mpmath (tests/numerics_reference.rs).
        for df in (1..=MAX_DF + 2)
            .step_by(7)
            .chain([32, 33, 34, 35, 199, 200])
        {
            let b = SymmetricBeta::new(df);
            for i in 1..400 {
                let x = if i < 200 {
                    0.5 * (i as f64 / 200.0).powi(8)
                } else {
                    i as f64 / 400.0
                };
                assert_matches_beta_inc(&b, df, x);
            }
        }
    }

    /// x across [0, 1] for ν: the series below the switch (and at it), the
    /// angle form above, both halves, leading powers below TINY (ν large, x
    /// tiny), the ends, and values outside [0, 1].
    fn x_value() -> impl Strategy<Value = f64> {
        prop_oneof![
            0.0f64..=1.0,
            0.0f64..0.05,
            0.95f64..=1.0,
            (-320i32..-1).prop_map(|e| 10f64.powi(e)),
            (-320i32..-1).prop_map(|e| 1.0 - 10f64.powi(e)),
            Just(0.0),
            Just(1.0),
            Just(0.5),
            Just(-0.1),
            Just(1.5),
            Just(f64::NAN),
        ]
    }

    fn df_value() -> impl Strategy<Value = u64> {
        prop_oneof![
            0u64..12,
            30u64..40,
            Just(MAX_DF - 1),
            Just(MAX_DF),
            Just(MAX_DF + 1),
            1u64..400
        ]
    }

    /// The instruction sets this processor runs.
    fn isas() -> Vec<Isa> {
        let mut isas = vec![Isa::Portable];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            isas.push(Isa::Avx2);
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") {
            isas.push(Isa::Avx512);
        }
        isas
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// `lower_each` gives `lower`'s bits at every x, whatever the x
        /// beside it (chunks of one part, lanes of mixed parts, partial queues).
        #[test]
        fn lower_each_equals_lower(
            df in df_value(),
            x in prop_oneof![
                proptest::collection::vec(x_value(), 0..40),
                // Narrow bands: whole chunks of one sum, with strays.
                (0.0f64..1.0, 1e-6f64..0.1).prop_flat_map(|(lo, w)| {
                    proptest::collection::vec(prop_oneof![9 => lo..lo + w, 1 => x_value()], 0..40)
                }),
            ],
        ) {
            let b = SymmetricBeta::new(df);
            let want: Vec<u64> = x.iter().map(|&x| b.lower(x).to_bits()).collect();
            let mut got = x.clone();
            b.lower_each(&mut got);
            prop_assert_eq!(got.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), want);
        }

        /// Each lane of the sums, in the portable, AVX2 and AVX-512F builds,
        /// equals the one-lane sum (the scalar path), whatever the other lanes hold.
        #[test]
        fn lanes_equal_one_lane_in_every_build(
            df in 1u64..=MAX_DF,
            x in proptest::array::uniform16(prop_oneof![1e-300f64..=0.5, (1e-9f64..1e-3), Just(0.5), (-320i32..-1).prop_map(|e| 10f64.powi(e))]),
        ) {
            let b = SymmetricBeta::new(df);
            for part in [Part::Binomial, Part::Series, Part::Angle] {
                let one: Vec<(u64, bool)> = x
                    .iter()
                    .map(|&x| {
                        let ([v], [ok]) = b.sums(part, [x]);
                        (v.to_bits(), ok)
                    })
                    .collect();
                for isa in isas() {
                    let (v, ok) = isa.run(&b, part, x);
                    let lanes: Vec<(u64, bool)> = v.iter().zip(ok).map(|(v, ok)| (v.to_bits(), ok)).collect();
                    prop_assert_eq!(&lanes, &one, "{:?} {:?}", isa, part);
                }
            }
        }
    }

    #[test]
    fn lower_each_of_many_agrees_with_beta_inc() {
        // Many x of each part, in full queues, against the general incomplete beta.
        for df in [3, 4, 33, 34, 35, 301] {
            let b = SymmetricBeta::new(df);
            let x: Vec<f64> = (1..1000).map(|i| i as f64 / 1000.0).collect();
            let mut got = x.clone();
            b.lower_each(&mut got);
            for (&x, &p) in x.iter().zip(&got) {
                assert_eq!(p.to_bits(), b.lower(x).to_bits());
                let want = beta_inc(df as f64 / 2.0, df as f64 / 2.0, x);
                assert!(
                    p == want || (p / want - 1.0).abs() < 1e-13,
                    "df {df}, x {x}: {p} vs {want}"
                );
            }
        }
    }

    #[test]
    fn grid_step_is_the_truncating_conversion() {
        // ⌊v⌋ + 1 capped at LENGTH_STEPS, as `(v as usize + 1).min(..)` gives it (saturating).
        let cases = (0..=2000).map(|i| i as f64 / 100.0).chain([
            0.0,
            0.5,
            1.0 - f64::EPSILON / 2.0,
            1.0,
            2.5,
            15.999_999_999_999_998,
            16.0,
            17.0,
            1e300,
        ]);
        for v in cases {
            assert_eq!(
                grid_step(v),
                (v as usize).saturating_add(1).min(LENGTH_STEPS),
                "{v}"
            );
        }
    }

    #[test]
    fn symmetric_and_monotone_across_the_switch() {
        let b = SymmetricBeta::new(33);
        let Form::HalfInteger { switch, .. } = b.form else {
            panic!("odd df")
        };
        let below = b.lower(switch);
        let above = b.lower(switch + 1e-15);
        assert!(below <= above && (above / below - 1.0).abs() < 1e-13);
        for &x in &[0.01, 0.2, 0.35, 0.5] {
            let sum = b.lower(x) + b.lower(1.0 - x);
            assert!((sum - 1.0).abs() < 1e-15, "{x}");
        }
    }

    #[test]
    fn transformed_series_agrees_up_to_the_switch_for_every_odd_df() {
        // The series holds on (0, switch]; its terms are most at the switch.
        // beta_inc is checked against mpmath (tests/numerics_reference.rs).
        for df in (3..=MAX_DF).step_by(2) {
            let b = SymmetricBeta::new(df);
            let Form::HalfInteger { switch, .. } = b.form else {
                panic!("odd df")
            };
            let grid = (1..=64).map(|j| switch * j as f64 / 64.0);
            for x in grid.chain([switch * (1.0 - 1e-15), 1e-3 * switch]) {
                assert_matches_beta_inc(&b, df, x);
            }
        }
    }

    #[test]
    fn transformed_series_is_short() {
        // Σ (2a)_k/(a + 1)_k x^k needed 33 terms at ν = 33, x = 0.2, and
        // 56 at its switch (x = 0.359); the transformed series needs 16 and 19.
        let Form::HalfInteger {
            series, lengths, ..
        } = SymmetricBeta::new(33).form
        else {
            panic!("odd df")
        };
        assert!(series.len() <= 20, "{}", series.len());
        assert!(lengths[LENGTH_STEPS] <= 20 && lengths[LENGTH_STEPS / 2] <= 17);
    }
}
