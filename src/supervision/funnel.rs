//! Funnel-plot control limits for a proportion (`reference/supervision_notes.md`
//! §6.1, §6.3): score (normal, as public-health agencies publish them), exact
//! binomial with Spiegelhalter's interpolation, and arcsine (as FunnelPlotR),
//! with the multiplicative (φ) or additive (τ²) over-dispersion adjustments
//! and their estimates from winsorised z-scores (§6.3; Spiegelhalter 2005,
//! "Handling over-dispersion of performance indicators", Qual Saf Health
//! Care 14:347–351).

use crate::distinct::grouped;
use crate::error::{check_same_len, Error, Result};
use crate::numerics::summary::quantile_select;
use crate::numerics::{binomial, normal};
use crate::options::named_options;
use crate::parallel;
use rayon::prelude::*;

named_options! {
    /// How [`funnel_limits`] draws the limits around the target.
    pub enum FunnelLimits for "limits" {
        /// θ + z_p √(φ θ(1 − θ)/n + τ²), clipped to [0, 1].
        Score = "score" | "wilson" | "normal",
        /// Exact binomial quantile with Spiegelhalter's interpolation.
        Exact = "exact" | "binomial",
        /// sin²(asin √θ + z_p √(φ/(4n) + τ²)), the angle clipped to [0, π/2].
        Arcsine = "arcsine",
    }
}

named_options! {
    /// How [`funnel`] widens the limits for over-dispersion.
    pub enum Overdispersion for "overdispersion" {
        /// θ ± z_p √φ̂ sᵢ: the binomial variance times φ̂.
        Multiplicative = "multiplicative",
        /// θ ± z_p √(sᵢ² + τ̂²): a between-unit variance τ̂² added.
        Additive = "additive",
    }
}

/// What every limit and z-score of one funnel shares, with the target's
/// angle asin √θ worked out once (the arcsine scale needs it at every unit and
/// limit otherwise: a third of its inverse-sine calls).
#[derive(Debug, Clone, Copy)]
struct Setting {
    target: f64,
    /// asin √θ, the target on the arcsine scale.
    angle: f64,
    method: FunnelLimits,
    phi: f64,
    tau2: f64,
}

impl Setting {
    fn new(target: f64, method: FunnelLimits, phi: f64, tau2: f64) -> Setting {
        Setting {
            target,
            angle: target.sqrt().asin(),
            method,
            phi,
            tau2,
        }
    }

    /// The limit of a unit of size `n` at tail probability `prob`, whose
    /// normal quantile is `z` (the formulas of [`FunnelLimits`]).
    #[inline]
    fn limit(&self, n: f64, prob: f64, z: f64) -> f64 {
        let Setting {
            target, phi, tau2, ..
        } = *self;
        match self.method {
            FunnelLimits::Score => {
                let s2 = phi * target * (1.0 - target) / n + tau2;
                (target + z * s2.sqrt()).clamp(0.0, 1.0)
            }
            FunnelLimits::Arcsine => {
                let s2 = phi / (4.0 * n) + tau2;
                let angle = (self.angle + z * s2.sqrt()).clamp(0.0, std::f64::consts::FRAC_PI_2);
                angle.sin().powi(2)
            }
            FunnelLimits::Exact => exact_limit(n, target, prob),
        }
    }

    /// The z-score (Yᵢ − θ)/sᵢ of a unit on the limits' scale.
    #[inline]
    fn z_score(&self, x: f64, n: f64) -> f64 {
        let rate = x / n;
        if self.method == FunnelLimits::Arcsine {
            (rate.sqrt().asin() - self.angle) / standard_error(n, self.target, true)
        } else {
            (rate - self.target) / standard_error(n, self.target, false)
        }
    }
}

/// The exact binomial limit of a unit of size `n` (whole) at tail
/// probability `prob`, with Spiegelhalter's interpolation.
fn exact_limit(n: f64, target: f64, prob: f64) -> f64 {
    let m = n as u64;
    // r_p = smallest r with F(r) >= p (F(n) = 1 >= p always).
    let (mut lo, mut hi) = (0u64, m);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if binomial::cdf(mid, m, target) >= prob {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let r = lo;
    let f_r = binomial::cdf(r, m, target);
    let f_prev = if r == 0 {
        0.0
    } else {
        binomial::cdf(r - 1, m, target)
    };
    let denom = f_r - f_prev;
    let a = if denom > 0.0 {
        (f_r - prob) / denom
    } else {
        0.0
    };
    ((r as f64 - a) / n).clamp(0.0, 1.0)
}

/// Checks the target and the over-dispersion parameters of the limits.
fn check_settings(target: f64, method: FunnelLimits, phi: f64, tau2: f64) -> Result<()> {
    if !(target > 0.0 && target < 1.0) {
        return Err(Error::invalid("target", target, "strictly between 0 and 1"));
    }
    if !(phi.is_finite() && phi > 0.0) {
        return Err(Error::invalid("phi", phi, "a finite number above 0"));
    }
    if !(tau2.is_finite() && tau2 >= 0.0) {
        return Err(Error::invalid("tau2", tau2, "a finite number at least 0"));
    }
    if method == FunnelLimits::Exact && (phi != 1.0 || tau2 != 0.0) {
        return Err(Error::invalid(
            "overdispersion",
            "an adjustment",
            "none for exact limits (use limits=\"score\" or \"arcsine\")",
        ));
    }
    Ok(())
}

/// Checks the unit sizes (named `name[i]` in errors): finite and above 0,
/// whole for exact limits.
fn check_sizes(name: &str, n: &[f64], method: FunnelLimits) -> Result<()> {
    for (i, &m) in n.iter().enumerate() {
        let whole = method != FunnelLimits::Exact || (m.fract() == 0.0 && m < 9.0e15);
        if !(m.is_finite() && m > 0.0 && whole) {
            let allowed = if method == FunnelLimits::Exact {
                "a whole number at least 1 (exact limits)"
            } else {
                "a finite number above 0"
            };
            return Err(Error::invalid(format!("{name}[{i}]"), m, allowed));
        }
    }
    Ok(())
}

/// The funnel limit at tail probability `prob` (e.g. 0.025 for the lower 95 %
/// limit, 0.975 for the upper) for each unit size in `n`, in parallel.
///
/// `phi` (≥ 0) multiplies the binomial variance, `tau2` (≥ 0) adds a
/// between-unit variance on the limits' scale; the exact limits take neither
/// (φ = 1, τ² = 0). Exact limits need whole `n`.
///
/// ```
/// use qualstat::supervision::{funnel_limits, FunnelLimits};
/// let up = funnel_limits(&[100.0], 0.5, 0.975, FunnelLimits::Score, 1.0, 0.0).unwrap();
/// assert!((up[0] - (0.5 + 1.959963984540054 * 0.05)).abs() < 1e-12);
/// ```
pub fn funnel_limits(
    n: &[f64],
    target: f64,
    prob: f64,
    method: FunnelLimits,
    phi: f64,
    tau2: f64,
) -> Result<Vec<f64>> {
    check_settings(target, method, phi, tau2)?;
    if !(prob > 0.0 && prob < 1.0) {
        return Err(Error::invalid("prob", prob, "strictly between 0 and 1"));
    }
    check_sizes("n", n, method)?;
    let z = normal::quantile(prob);
    let setting = Setting::new(target, method, phi, tau2);
    Ok(parallel::install(|| {
        n.par_iter().map(|&m| setting.limit(m, prob, z)).collect()
    }))
}

/// Every unit of a funnel plot: its z-score, its limits at each level and
/// its class (see [`funnel_units`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelUnits {
    /// z-score on the limits' scale, before any over-dispersion adjustment:
    /// (p − θ)/√(θ(1 − θ)/n) for score and exact limits,
    /// (asin √p − asin √θ)·2√n for arcsine limits.
    pub z: Vec<f64>,
    /// Lower limit of each unit, one vector per level (in the order given).
    pub lower: Vec<Vec<f64>>,
    /// Upper limit of each unit, one vector per level (in the order given).
    pub upper: Vec<Vec<f64>>,
    /// Class of each unit: 0 inside every pair of limits; otherwise, with
    /// levels ranked from the narrowest (rank 0), 2r + 1 below and 2r + 2
    /// above the limits of the widest level whose limits the rate is outside
    /// (strictly; a rate on a limit is inside).
    pub class: Vec<u8>,
}

/// The caller's buffers [`funnel`] fills, one entry per unit (the limits:
/// level-major, level ℓ's units at `ℓ·units..(ℓ + 1)·units`); the fields of
/// [`FunnelUnits`].
#[derive(Debug)]
pub struct FunnelBuffers<'a> {
    /// z-scores (as [`FunnelUnits::z`]).
    pub z: &'a mut [f64],
    /// Lower limits, levels × units.
    pub lower: &'a mut [f64],
    /// Upper limits, levels × units.
    pub upper: &'a mut [f64],
    /// Classes (as [`FunnelUnits::class`]).
    pub class: &'a mut [u8],
}

/// The over-dispersion estimates of a funnel plot (see [`dispersion`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dispersion {
    /// φ̂, the mean of the winsorised (or trimmed) squared z-scores.
    pub phi: f64,
    /// τ̂², the additive between-unit variance on the limits' scale.
    pub tau2: f64,
}

/// Most levels [`funnel_units`] takes (the class codes fit a byte).
pub const MAX_LEVELS: usize = 100;

/// Units per task of the parallel passes over the units.
const CHUNK: usize = 4096;

/// One task of the pass over the units: the units `start..start + z.len()`.
struct Chunk<'a> {
    start: usize,
    z: &'a mut [f64],
    class: &'a mut [u8],
    lower: Vec<&'a mut [f64]>,
    upper: Vec<&'a mut [f64]>,
}

/// A levels × units buffer as one slice per level.
fn per_level(buffer: &mut [f64], levels: usize, units: usize) -> Vec<&mut [f64]> {
    if units == 0 {
        return (0..levels).map(|_| <&mut [f64]>::default()).collect();
    }
    buffer.chunks_mut(units).collect()
}

/// Splits the per-level outputs into one piece per chunk of units.
fn split<'a>(columns: &'a mut [&mut [f64]]) -> Vec<std::slice::ChunksMut<'a, f64>> {
    columns.iter_mut().map(|c| c.chunks_mut(CHUNK)).collect()
}

/// The standard error sᵢ of a unit of size n on the limits' scale:
/// √(θ(1 − θ)/n) for score and exact limits, 1/(2√n) for arcsine limits.
#[inline]
fn standard_error(n: f64, target: f64, arcsine: bool) -> f64 {
    if arcsine {
        1.0 / (2.0 * n.sqrt())
    } else {
        (target * (1.0 - target) / n).sqrt()
    }
}

/// Checks the counts and levels of [`funnel_units`] and [`funnel`].
fn check_units(
    successes: &[f64],
    trials: &[f64],
    method: FunnelLimits,
    levels: &[f64],
) -> Result<()> {
    check_same_len("successes", successes.len(), "trials", trials.len())?;
    check_sizes("trials", trials, method)?;
    for (i, (&x, &n)) in successes.iter().zip(trials).enumerate() {
        if !(x >= 0.0 && x <= n) {
            let allowed = format!("a count from 0 to trials[{i}] = {n}");
            return Err(Error::invalid(format!("successes[{i}]"), x, allowed));
        }
    }
    if levels.len() > MAX_LEVELS {
        let allowed = format!("at most {MAX_LEVELS} levels");
        return Err(Error::invalid("levels", levels.len(), allowed));
    }
    if let Some(&bad) = levels.iter().find(|&&l| !(l > 0.0 && l < 1.0)) {
        return Err(Error::invalid(
            "levels",
            bad,
            "levels strictly between 0 and 1",
        ));
    }
    Ok(())
}

/// z-scores, limits and classes of the units of a funnel plot (the PHE
/// significance scheme: "Low (tail)" / "High (tail)" at the widest level a
/// rate is outside, "Not significant" inside every pair of limits), in one
/// parallel pass over the units; exact limits, costly per size, are
/// computed once per distinct size first.
///
/// `levels` are two-sided coverages in (0, 1) (the limits at level ℓ are
/// those of [`funnel_limits`] at tail probabilities (1 − ℓ)/2 and
/// 1 − (1 − ℓ)/2); `phi` and `tau2` adjust the limits, never the z-scores.
/// Counts need not be whole except the trials of exact limits.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `successes[i]` (outside 0 to `trials[i]`)
/// or `trials[i]`, a level outside (0, 1), or the settings
/// [`funnel_limits`] refuses; [`Error::LengthMismatch`] for counts of
/// different lengths.
///
/// ```
/// use qualstat::supervision::{funnel_units, FunnelLimits};
/// let f = funnel_units(&[45.0, 20.0], &[50.0, 40.0], 0.8, FunnelLimits::Score,
///                      &[0.95, 0.998], 1.0, 0.0).unwrap();
/// assert!((f.z[0] - 0.1 / (0.8f64 * 0.2 / 50.0).sqrt()).abs() < 1e-12);
/// assert_eq!(f.class, vec![0, 3]); // B is below the 99.8 % limits
/// ```
pub fn funnel_units(
    successes: &[f64],
    trials: &[f64],
    target: f64,
    method: FunnelLimits,
    levels: &[f64],
    phi: f64,
    tau2: f64,
) -> Result<FunnelUnits> {
    check_settings(target, method, phi, tau2)?;
    check_units(successes, trials, method, levels)?;
    let k = trials.len();
    let (mut z, mut class) = (vec![0.0; k], vec![0u8; k]);
    let (mut lower, mut upper) = (vec![0.0; k * levels.len()], vec![0.0; k * levels.len()]);
    let mut out = FunnelBuffers {
        z: &mut z,
        lower: &mut lower,
        upper: &mut upper,
        class: &mut class,
    };
    let setting = Setting::new(target, method, phi, tau2);
    fill_units(successes, trials, setting, levels, false, &mut out);
    let columns = |v: Vec<f64>| v.chunks(k.max(1)).map(<[f64]>::to_vec).collect::<Vec<_>>();
    let (lower, upper) = if k == 0 {
        (
            vec![Vec::new(); levels.len()],
            vec![Vec::new(); levels.len()],
        )
    } else {
        (columns(lower), columns(upper))
    };
    Ok(FunnelUnits {
        z,
        lower,
        upper,
        class,
    })
}

/// A whole funnel plot into the caller's buffers: the units' z-scores, the
/// over-dispersion estimates φ̂ and τ̂² (always estimated; see
/// [`dispersion`]), and the units' limits and classes (as [`funnel_units`])
/// with the limits widened by φ̂ or τ̂² when `overdispersion` asks: the
/// z-scores first, then the estimates, then the limits. Without an
/// adjustment, one pass over the units and the estimates after it.
///
/// # Errors
/// As [`funnel_units`]; `winsorize` outside [0, 0.5); an adjustment of
/// exact limits, or with fewer than two units; buffers whose lengths are not
/// the units' count (levels × units for the limits); an adjustment by a
/// φ̂ of 0 (every rate on the target) or a τ̂² that cannot be estimated.
///
/// ```
/// use qualstat::supervision::{funnel, FunnelBuffers, FunnelLimits, Overdispersion};
/// let (x, n) = ([45.0, 90.0, 170.0, 20.0], [50.0, 100.0, 200.0, 40.0]);
/// let (mut z, mut lower, mut upper, mut class) = ([0.0; 4], [0.0; 8], [0.0; 8], [0u8; 4]);
/// let out = FunnelBuffers { z: &mut z, lower: &mut lower, upper: &mut upper, class: &mut class };
/// let d = funnel(&x, &n, 325.0 / 390.0, FunnelLimits::Score, &[0.95, 0.998],
///                Some(Overdispersion::Multiplicative), 0.1, false, out).unwrap();
/// assert!((d.phi - 4.719).abs() < 5e-4);
/// assert_eq!(class, [0, 0, 0, 1]); // D is below the 95 % limits only
/// ```
#[allow(clippy::too_many_arguments)]
pub fn funnel(
    successes: &[f64],
    trials: &[f64],
    target: f64,
    method: FunnelLimits,
    levels: &[f64],
    overdispersion: Option<Overdispersion>,
    winsorize: f64,
    trim: bool,
    out: FunnelBuffers<'_>,
) -> Result<Dispersion> {
    check_settings(target, method, 1.0, 0.0)?;
    check_units(successes, trials, method, levels)?;
    check_winsorize(winsorize)?;
    let k = trials.len();
    check_same_len("z", out.z.len(), "trials", k)?;
    check_same_len("class", out.class.len(), "trials", k)?;
    check_same_len("lower", out.lower.len(), "levels × units", levels.len() * k)?;
    check_same_len("upper", out.upper.len(), "levels × units", levels.len() * k)?;
    let mut out = out;
    let Some(od) = overdispersion else {
        let setting = Setting::new(target, method, 1.0, 0.0);
        fill_units(successes, trials, setting, levels, false, &mut out);
        return dispersion(out.z, trials, target, method, winsorize, trim);
    };
    if method == FunnelLimits::Exact {
        return Err(Error::invalid(
            "overdispersion",
            od,
            "none for exact limits (use limits=\"score\" or \"arcsine\")",
        ));
    }
    if k < 2 {
        return Err(Error::invalid(
            "overdispersion",
            od,
            "none for a single unit (phi and tau2 are estimated across units)",
        ));
    }
    fill_z(
        successes,
        trials,
        Setting::new(target, method, 1.0, 0.0),
        out.z,
    );
    let d = dispersion(out.z, trials, target, method, winsorize, trim)?;
    let (phi, tau2) = match od {
        Overdispersion::Multiplicative => (d.phi, 0.0),
        Overdispersion::Additive => (1.0, d.tau2),
    };
    check_settings(target, method, phi, tau2)?;
    // The z-scores are those of the first pass (the adjustment leaves them).
    let setting = Setting::new(target, method, phi, tau2);
    fill_units(successes, trials, setting, levels, true, &mut out);
    Ok(d)
}

/// Checks the fraction of z-scores winsorised (or trimmed) at each end.
fn check_winsorize(winsorize: f64) -> Result<()> {
    if !(0.0..0.5).contains(&winsorize) {
        return Err(Error::invalid(
            "winsorize",
            winsorize,
            "a fraction in [0, 0.5)",
        ));
    }
    Ok(())
}

/// The over-dispersion of units' z-scores `z` (Spiegelhalter 2005 §2;
/// `reference/supervision_notes.md` §6.3, as FunnelPlotR): the z-scores
/// winsorised at their `winsorize` and 1 − `winsorize` type-7 quantiles
/// (values outside set to the bound), or with `trim` those outside dropped
/// (the NHS SHMI variant); over the I z-scores kept,
///
/// φ̂ = (1/I) Σ z²ᵢ,  τ̂² = max(0, (I φ̂ − (I − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ)),
///
/// wᵢ = 1/sᵢ² with sᵢ the standard error of unit i on the limits' scale
/// (DerSimonian–Laird style). Both NaN for fewer than two units; τ̂² NaN when
/// fewer than two z-scores are kept or the weights' denominator is not
/// positive. Sums over fixed chunks of units, in parallel (deterministic).
///
/// # Errors
/// `winsorize` outside [0, 0.5); `z` and `trials` of different lengths.
pub fn dispersion(
    z: &[f64],
    trials: &[f64],
    target: f64,
    method: FunnelLimits,
    winsorize: f64,
    trim: bool,
) -> Result<Dispersion> {
    check_winsorize(winsorize)?;
    check_same_len("z", z.len(), "trials", trials.len())?;
    if z.len() < 2 {
        return Ok(Dispersion {
            phi: f64::NAN,
            tau2: f64::NAN,
        });
    }
    let mut scratch = z.to_vec();
    let lo = quantile_select(&mut scratch, winsorize);
    let hi = quantile_select(&mut scratch, 1.0 - winsorize);
    drop(scratch);
    let arcsine = method == FunnelLimits::Arcsine;
    // Per chunk: [count kept, Σ z², Σ w, Σ w²].
    let parts: Vec<[f64; 4]> = parallel::install(|| {
        z.par_chunks(CHUNK)
            .zip(trials.par_chunks(CHUNK))
            .map(|(z, n)| {
                let mut s = [0.0; 4];
                for (&z, &n) in z.iter().zip(n) {
                    if trim && !(z >= lo && z <= hi) {
                        continue;
                    }
                    let zw = z.clamp(lo, hi);
                    let se = standard_error(n, target, arcsine);
                    let w = 1.0 / (se * se);
                    s[0] += 1.0;
                    s[1] += zw * zw;
                    s[2] += w;
                    s[3] += w * w;
                }
                s
            })
            .collect()
    });
    let [count, z2, w, w2] = parts.iter().fold([0.0; 4], |mut a, p| {
        for (a, p) in a.iter_mut().zip(p) {
            *a += p;
        }
        a
    });
    let phi = z2 / count;
    let denom = w - w2 / w;
    let tau2 = if count >= 2.0 && denom > 0.0 {
        ((count * phi - (count - 1.0)) / denom).max(0.0)
    } else {
        f64::NAN
    };
    Ok(Dispersion { phi, tau2 })
}

/// The units' z-scores into `z`, in parallel. On the arcsine scale (an
/// inverse sine each, the costliest step of an arcsine funnel) once per
/// distinct (successes, trials) pair when pairs repeat ([`grouped`]), then
/// copied to the units: the same bits either way.
fn fill_z(successes: &[f64], trials: &[f64], setting: Setting, z: &mut [f64]) {
    if setting.method == FunnelLimits::Arcsine {
        let pairs: Vec<(u64, u64)> = successes
            .iter()
            .zip(trials)
            .map(|(x, n)| (x.to_bits(), n.to_bits()))
            .collect();
        if let Some((values, position)) = grouped(&pairs) {
            parallel::install(|| {
                let table: Vec<f64> = values
                    .par_iter()
                    .with_min_len(64)
                    .map(|&(x, n)| setting.z_score(f64::from_bits(x), f64::from_bits(n)))
                    .collect();
                z.par_chunks_mut(CHUNK)
                    .zip(position.par_chunks(CHUNK))
                    .for_each(|(z, position)| {
                        for (z, &j) in z.iter_mut().zip(position) {
                            *z = table[j];
                        }
                    });
            });
            return;
        }
    }
    parallel::install(|| {
        z.par_chunks_mut(CHUNK)
            .zip(successes.par_chunks(CHUNK).zip(trials.par_chunks(CHUNK)))
            .for_each(|(z, (x, n))| {
                for (z, (&x, &n)) in z.iter_mut().zip(x.iter().zip(n)) {
                    *z = setting.z_score(x, n);
                }
            });
    });
}

/// The pass over the units of [`funnel_units`] and [`funnel`] (arguments
/// checked): z-scores (unless `z_done`: already in `out.z`), limits at each
/// level and classes into `out`.
///
/// Score limits cost a square root: they are computed at every unit. Exact
/// limits (tail probabilities) and arcsine limits (a sine each) are
/// computed once per distinct size when sizes repeat ([`grouped`], one
/// hash-map pass shared by every level and side) and looked up at each unit;
/// otherwise at every unit. The limit of a size is the same bits either way.
fn fill_units(
    successes: &[f64],
    trials: &[f64],
    setting: Setting,
    levels: &[f64],
    z_done: bool,
    out: &mut FunnelBuffers<'_>,
) {
    // Tail probabilities and normal quantiles of each level's two limits.
    let tails: Vec<[(f64, f64); 2]> = levels
        .iter()
        .map(|&l| {
            let tail = (1.0 - l) / 2.0;
            [tail, 1.0 - tail].map(|p| (p, normal::quantile(p)))
        })
        .collect();
    let mut ranked: Vec<usize> = (0..levels.len()).collect();
    ranked.sort_by(|&a, &b| levels[a].total_cmp(&levels[b]));
    let k = trials.len();
    let (mut lower, mut upper) = (
        per_level(out.lower, levels.len(), k),
        per_level(out.upper, levels.len(), k),
    );
    // Per distinct size: its limits, level-major and lower before upper
    // (2 · levels values); per unit: its size's row.
    let limits_of = |n: f64| {
        tails.iter().flat_map(move |&[(p_lo, z_lo), (p_hi, z_hi)]| {
            [setting.limit(n, p_lo, z_lo), setting.limit(n, p_hi, z_hi)]
        })
    };
    let table: Option<(Vec<f64>, Vec<usize>)> = if setting.method == FunnelLimits::Score {
        None
    } else {
        let bits: Vec<u64> = trials.iter().map(|n| n.to_bits()).collect();
        grouped(&bits).map(|(sizes, row)| {
            let rows = parallel::install(|| {
                sizes
                    .par_iter()
                    .with_min_len(16)
                    .flat_map_iter(|&b| limits_of(f64::from_bits(b)))
                    .collect()
            });
            (rows, row)
        })
    };
    let width = 2 * tails.len();
    if !z_done {
        fill_z(successes, trials, setting, out.z);
    }
    let (mut lo_parts, mut up_parts) = (split(&mut lower), split(&mut upper));
    let chunks: Vec<Chunk<'_>> = out
        .z
        .chunks_mut(CHUNK)
        .zip(out.class.chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, (z, class))| Chunk {
            start: c * CHUNK,
            z,
            class,
            lower: lo_parts
                .iter_mut()
                .map(|p| p.next().unwrap_or_default())
                .collect(),
            upper: up_parts
                .iter_mut()
                .map(|p| p.next().unwrap_or_default())
                .collect(),
        })
        .collect();
    parallel::install(|| {
        chunks.into_par_iter().for_each(|mut c| {
            // Level by level over the chunk: short loops over cache-resident slices.
            let range = c.start..c.start + c.z.len();
            let (x, n) = (&successes[range.clone()], &trials[range.clone()]);
            c.class.fill(0); // the buffers may hold anything (numpy's empty)
            if let Some((rows, row)) = &table {
                for (i, &r) in row[range].iter().enumerate() {
                    let values = &rows[r * width..(r + 1) * width];
                    let sides = c.lower.iter_mut().zip(c.upper.iter_mut());
                    for ((lower, upper), pair) in sides.zip(values.chunks_exact(2)) {
                        lower[i] = pair[0];
                        upper[i] = pair[1];
                    }
                }
            } else {
                let sides = c.lower.iter_mut().zip(c.upper.iter_mut());
                for ((lower, upper), [(p_lo, z_lo), (p_hi, z_hi)]) in sides.zip(&tails) {
                    for ((lo, hi), &n) in lower.iter_mut().zip(upper.iter_mut()).zip(n) {
                        *lo = setting.limit(n, *p_lo, *z_lo);
                        *hi = setting.limit(n, *p_hi, *z_hi);
                    }
                }
            }
            // Narrowest level first: a wider level broken overwrites the code.
            for (r, &l) in ranked.iter().enumerate() {
                let (low, high) = (2 * r as u8 + 1, 2 * r as u8 + 2);
                let bounds = c.lower[l].iter().zip(c.upper[l].iter());
                for (code, ((&x, &n), (&lo, &hi))) in
                    c.class.iter_mut().zip(x.iter().zip(n).zip(bounds))
                {
                    // Branch-free select (rates fall on either side unpredictably);
                    // above wins, as when both held.
                    let rate = x / n;
                    let pick = usize::from(rate < lo) + 2 * usize::from(rate > hi);
                    *code = [*code, low, high, high][pick];
                }
            }
        });
    });
}
