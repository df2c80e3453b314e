//! Estimates of the process σ for control charts, named as in qcc 3.0 and
//! Minitab (`reference/spc_notes.md` §2-3), and the unbiasing constants
//! they use: exact (`crate::spc`) or qcc's tables.
//!
//! Subgroups (sizes nᵢ, ranges Rᵢ, standard deviations Sᵢ):
//! * `uwave-r`: mean of Rᵢ/d2(nᵢ) (qcc's default);
//! * `uwave-sd`: mean of Sᵢ/c4(nᵢ);
//! * `mvlue-r`: Σwᵢ Rᵢ/d2(nᵢ) / Σwᵢ, wᵢ = (d2(nᵢ)/d3(nᵢ))² (Burr 1969);
//! * `mvlue-sd`: the same with Sᵢ/c4(nᵢ), wᵢ = c4²/(1 − c4²);
//! * `rmsdf`: √(Σ(nᵢ − 1)Sᵢ²/Σ(nᵢ − 1)) / c4(Σ(nᵢ − 1) + 1) (Minitab's
//!   "pooled standard deviation" with its unbiasing constant);
//! * `pooled_sd`: √(Σ(nᵢ − 1)Sᵢ²/Σ(nᵢ − 1)), without unbiasing.
//!
//! Individuals x₁..x_N:
//! * `mr`: mean moving range of span w (range of w consecutive values) / d2(w);
//! * `median_mr`: median moving range of span w / d4(w);
//! * `mssd`: √(Σ(xᵢ₊₁ − xᵢ)² / (2(N − 1))), the root of half the mean
//!   square successive difference (von Neumann et al. 1941), without
//!   Minitab's small-sample constant;
//! * `sd`: s/c4(N).

use crate::capability::sigma::subgroups;
use crate::error::{Error, Result};
use crate::numerics::summary::mean_sd;
use crate::options::named_options;
use crate::spc::{c4, d2, d3, d4};

named_options! {
    /// How a chart estimates the process σ.
    pub enum SigmaMethod for "sigma_method" {
        /// Mean of Rᵢ/d2(nᵢ).
        UwaveR = "uwave-r",
        /// Mean of Sᵢ/c4(nᵢ).
        UwaveSd = "uwave-sd",
        /// Weighted mean of Rᵢ/d2(nᵢ), weights (d2/d3)².
        MvlueR = "mvlue-r",
        /// Weighted mean of Sᵢ/c4(nᵢ), weights c4²/(1 − c4²).
        MvlueSd = "mvlue-sd",
        /// Root mean square within-subgroup deviation over c4(Σ(nᵢ − 1) + 1).
        Rmsdf = "rmsdf",
        /// Root mean square within-subgroup deviation (no unbiasing).
        PooledSd = "pooled_sd" | "pooled",
        /// Mean moving range / d2(span).
        Mr = "mr" | "moving_range",
        /// Median moving range / d4(span).
        MedianMr = "median_mr" | "median_moving_range",
        /// √(MSSD/2).
        Mssd = "mssd",
        /// Sample standard deviation / c4(N).
        Sd = "sd",
    }
}

named_options! {
    /// Where d2 and d3 come from.
    pub enum Constants for "constants" {
        /// Computed exactly (`crate::spc`).
        Exact = "exact",
        /// qcc 3.0's tables: d2 to 3 decimals, d3 to 7, sizes 2 to 25
        /// (`reference/tables/spc_constants.csv`, source QCC_CODE).
        Qcc = "qcc",
    }
}

/// qcc 3.0 `exp.R.unscaled` (d2) for n = 2..25 (reference/tables/spc_constants.csv).
const QCC_D2: [f64; 24] = [
    1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336, 3.407,
    3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931,
];

/// qcc 3.0 `se.R.unscaled` (d3) for n = 2..25 (reference/tables/spc_constants.csv).
const QCC_D3: [f64; 24] = [
    0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378, 0.8078413,
    0.7970584, 0.7873230, 0.7784873, 0.7704257, 0.7630330, 0.7562217, 0.7499188, 0.7440627,
    0.7386021, 0.7334929, 0.7286980, 0.7241851, 0.7199267, 0.7158987, 0.7120802, 0.7084528,
];

impl Constants {
    fn table(self, table: &[f64; 24], n: u64, exact: fn(u64) -> Result<f64>) -> Result<f64> {
        match self {
            Constants::Exact => exact(n),
            Constants::Qcc => usize::try_from(n)
                .ok()
                .and_then(|n| n.checked_sub(2))
                .and_then(|i| table.get(i).copied())
                .ok_or_else(|| {
                    Error::invalid(
                        "subgroup size",
                        n,
                        "2 to 25 with constants=\"qcc\" (qcc's table ends at 25)",
                    )
                }),
        }
    }

    /// d2(n).
    ///
    /// # Errors
    /// n < 2, or n > 25 with the qcc table.
    pub fn d2(self, n: u64) -> Result<f64> {
        self.table(&QCC_D2, n, d2)
    }

    /// d3(n).
    ///
    /// # Errors
    /// n < 2, or n > 25 with the qcc table.
    pub fn d3(self, n: u64) -> Result<f64> {
        self.table(&QCC_D3, n, d3)
    }
}

/// Range and standard deviation of each subgroup (sizes ≥ 2, checked by
/// the caller), and each subgroup's mean.
pub fn summaries(values: &[f64], sizes: &[usize]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut out = (
        Vec::with_capacity(sizes.len()),
        Vec::with_capacity(sizes.len()),
        Vec::with_capacity(sizes.len()),
    );
    for g in subgroups(values, sizes) {
        let (m, s) = mean_sd(g);
        let hi = g.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let lo = g.iter().fold(f64::INFINITY, |a, &b| a.min(b));
        out.0.push(m);
        out.1.push(hi - lo);
        out.2.push(if g.len() > 1 { s } else { 0.0 });
    }
    out
}

/// σ from subgroup ranges and standard deviations (see the module docs),
/// using the subgroups where `used` is true.
///
/// # Errors
/// A method for individuals, no subgroup used, a used subgroup of size 1,
/// a size beyond the qcc table with `constants = qcc`, or an estimate that
/// is zero (every used subgroup constant).
pub fn subgroup_sigma(
    method: SigmaMethod,
    sizes: &[usize],
    ranges: &[f64],
    sds: &[f64],
    used: &[bool],
    constants: Constants,
) -> Result<f64> {
    let mut rows = (0..sizes.len()).filter(|&i| used.get(i).copied().unwrap_or(false));
    if let Some(i) = rows.clone().find(|&i| sizes[i] < 2) {
        return Err(Error::invalid(
            format!("subgroup {i} size"),
            sizes[i],
            "at least 2 values per subgroup to estimate sigma within subgroups",
        ));
    }
    let (mut num, mut den) = (0.0, 0.0);
    let mut add = |w: f64, v: f64| {
        num += w * v;
        den += w;
    };
    match method {
        SigmaMethod::UwaveR | SigmaMethod::MvlueR => {
            for i in rows.by_ref() {
                let n = sizes[i] as u64;
                let d2 = constants.d2(n)?;
                let w = if method == SigmaMethod::MvlueR {
                    (d2 / constants.d3(n)?).powi(2)
                } else {
                    1.0
                };
                add(w, ranges[i] / d2);
            }
        }
        SigmaMethod::UwaveSd | SigmaMethod::MvlueSd => {
            for i in rows.by_ref() {
                let c = c4(sizes[i] as u64)?;
                let w = if method == SigmaMethod::MvlueSd {
                    c * c / (1.0 - c * c)
                } else {
                    1.0
                };
                add(w, sds[i] / c);
            }
        }
        SigmaMethod::Rmsdf | SigmaMethod::PooledSd => {
            for i in rows.by_ref() {
                add((sizes[i] - 1) as f64, sds[i] * sds[i]);
            }
            let pooled = (num / den).sqrt();
            num = if method == SigmaMethod::Rmsdf {
                pooled / c4(den as u64 + 1)?
            } else {
                pooled
            };
            den = 1.0;
        }
        _ => {
            return Err(Error::invalid(
                "sigma_method",
                method,
                "a method for subgroups: uwave-r, uwave-sd, mvlue-r, mvlue-sd, rmsdf, pooled_sd",
            ))
        }
    }
    positive(num / den, den)
}

fn positive(sigma: f64, den: f64) -> Result<f64> {
    if den == 0.0 {
        Err(Error::invalid(
            "phase1",
            "no subgroup",
            "at least one phase-I subgroup to estimate sigma",
        ))
    } else if sigma > 0.0 && sigma.is_finite() {
        Ok(sigma)
    } else {
        Err(Error::invalid(
            "sigma",
            sigma,
            "a positive estimate (the phase-I data show no variation: give sigma=)",
        ))
    }
}

/// σ from individuals (see the module docs): moving ranges of span `span`
/// over `values` (the consecutive phase-I values).
///
/// # Errors
/// A method for subgroups, fewer values than the method needs, span < 2 or
/// beyond the qcc table, a zero estimate.
pub fn individuals_sigma(
    method: SigmaMethod,
    values: &[f64],
    span: usize,
    constants: Constants,
) -> Result<f64> {
    if span < 2 {
        return Err(Error::invalid("span", span, "a whole number >= 2"));
    }
    let n = values.len();
    let need = if matches!(method, SigmaMethod::Mr | SigmaMethod::MedianMr) {
        span
    } else {
        2
    };
    if n < need {
        return Err(Error::invalid(
            "values",
            format!("{n} phase-I values"),
            format!("at least {need}"),
        ));
    }
    let ranges = || {
        values.windows(span).map(|w| {
            w.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b))
                - w.iter().fold(f64::INFINITY, |a, &b| a.min(b))
        })
    };
    let sigma = match method {
        SigmaMethod::Mr => {
            let m = n - span + 1;
            ranges().sum::<f64>() / m as f64 / constants.d2(span as u64)?
        }
        SigmaMethod::MedianMr => {
            let mut r: Vec<f64> = ranges().collect();
            r.sort_by(f64::total_cmp);
            let m = r.len();
            let median = if m % 2 == 1 {
                r[m / 2]
            } else {
                0.5 * (r[m / 2 - 1] + r[m / 2])
            };
            median / d4(span as u64)?
        }
        SigmaMethod::Mssd => {
            let ss: f64 = values.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum();
            (ss / (2.0 * (n - 1) as f64)).sqrt()
        }
        SigmaMethod::Sd => mean_sd(values).1 / c4(n as u64)?,
        _ => {
            return Err(Error::invalid(
                "sigma_method",
                method,
                "a method for individuals: mr, median_mr, mssd, sd",
            ))
        }
    };
    positive(sigma, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qcc_table_and_exact() {
        assert_eq!(Constants::Qcc.d2(5).unwrap(), 2.326);
        assert!(Constants::Qcc.d2(26).is_err());
        assert!((Constants::Exact.d2(5).unwrap() - 2.325_929).abs() < 1e-6);
    }

    #[test]
    fn equal_sizes_reduce_to_textbook() {
        // Two subgroups of 2: R = 1, 3; S = R/√2.
        let sizes = [2, 2];
        let r = [1.0, 3.0];
        let s = [1.0 / 2f64.sqrt(), 3.0 / 2f64.sqrt()];
        let used = [true, true];
        let d2 = Constants::Exact.d2(2).unwrap();
        for m in [SigmaMethod::UwaveR, SigmaMethod::MvlueR] {
            let v = subgroup_sigma(m, &sizes, &r, &s, &used, Constants::Exact).unwrap();
            assert!((v - 2.0 / d2).abs() < 1e-14);
        }
        let p = subgroup_sigma(
            SigmaMethod::PooledSd,
            &sizes,
            &r,
            &s,
            &used,
            Constants::Exact,
        );
        assert!((p.unwrap() - 2.5f64.sqrt()).abs() < 1e-14);
        let only_first = [true, false];
        let v = subgroup_sigma(
            SigmaMethod::UwaveR,
            &sizes,
            &r,
            &s,
            &only_first,
            Constants::Exact,
        );
        assert!((v.unwrap() - 1.0 / d2).abs() < 1e-14);
        assert!(subgroup_sigma(SigmaMethod::Mr, &sizes, &r, &s, &used, Constants::Exact).is_err());
        assert!(subgroup_sigma(
            SigmaMethod::UwaveR,
            &[1, 2],
            &r,
            &s,
            &used,
            Constants::Exact
        )
        .is_err());
        assert!(subgroup_sigma(
            SigmaMethod::UwaveR,
            &sizes,
            &[0.0, 0.0],
            &s,
            &used,
            Constants::Exact
        )
        .is_err());
    }

    #[test]
    fn individuals_methods() {
        let x = [1.0, 2.0, 4.0, 3.0];
        let mr = individuals_sigma(SigmaMethod::Mr, &x, 2, Constants::Qcc).unwrap();
        assert!((mr - (4.0 / 3.0) / 1.128).abs() < 1e-14);
        let mssd = individuals_sigma(SigmaMethod::Mssd, &x, 2, Constants::Exact).unwrap();
        assert!((mssd - (6.0f64 / 6.0).sqrt()).abs() < 1e-14);
        assert!(individuals_sigma(SigmaMethod::Mr, &x, 1, Constants::Exact).is_err());
        assert!(individuals_sigma(SigmaMethod::Mr, &[1.0; 4], 2, Constants::Exact).is_err());
    }
}
