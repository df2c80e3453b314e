//! Type-1 gauge study: repeated measurements of one reference part
//! (Minitab, Type 1 Gage Study, Methods and formulas; VDA 5; Bosch booklet 10;
//! `reference/lab_notes.md` B.5).
//!
//! With K the percentage of the tolerance T the gauge may use (default 20),
//! L the number of standard deviations spanned by its variation (default 6),
//! x̄ and s the mean and standard deviation of the n measurements and X_m
//! the reference value:
//!
//! * Cg = (K/100 · T)/(L s); Cgk = (K/200 · T − |x̄ − X_m|)/((L/2) s);
//! * %Var(repeatability) = K/Cg; %Var(repeatability and bias) = K/Cgk;
//! * bias = x̄ − X_m, t = bias/(s/√n) with n − 1 degrees of freedom, two-sided
//!   p-value and a confidence interval of the bias.

use crate::error::{check_confidence, Error, Result};
use crate::numerics::{student_t, summary};

/// The results of a type-1 gauge study.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Type1 {
    /// Number of measurements.
    pub n: usize,
    /// Their mean x̄.
    pub mean: f64,
    /// Their standard deviation s (divisor n − 1).
    pub sd: f64,
    /// x̄ − X_m.
    pub bias: f64,
    /// t = bias/(s/√n).
    pub t: f64,
    /// n − 1.
    pub df: f64,
    /// Two-sided p-value of the test of bias = 0.
    pub p_value: f64,
    /// Lower end of the confidence interval of the bias.
    pub bias_lower: f64,
    /// Upper end of the confidence interval of the bias.
    pub bias_upper: f64,
    /// Cg.
    pub cg: f64,
    /// Cgk (negative when |bias| exceeds K/200 · T).
    pub cgk: f64,
    /// %Var(repeatability) = K/Cg.
    pub pct_var_repeatability: f64,
    /// %Var(repeatability and bias) = K/Cgk (infinite when Cgk ≤ 0: the
    /// bias alone uses the whole allowance).
    pub pct_var_repeatability_bias: f64,
}

fn positive(name: &str, v: f64, what: &str) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(name, v, what))
    }
}

/// The type-1 study of `values` against `reference`.
///
/// # Errors
/// Fewer than 2 values, non-finite values or reference, `tolerance` not
/// positive, `k` outside (0, 100], `l` not positive, `confidence` outside
/// (0, 1), all values equal (no repeatability to estimate).
pub fn type1(
    values: &[f64],
    reference: f64,
    tolerance: f64,
    k: f64,
    l: f64,
    confidence: f64,
) -> Result<Type1> {
    if values.len() < 2 {
        return Err(Error::invalid(
            "values",
            format!("{} measurement(s)", values.len()),
            "at least 2 repeated measurements of the reference part",
        ));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            format!("values[{i}]"),
            values[i],
            "a finite measurement",
        ));
    }
    if !reference.is_finite() {
        return Err(Error::invalid(
            "reference",
            reference,
            "a finite reference value",
        ));
    }
    positive(
        "tolerance",
        tolerance,
        "a positive tolerance width (USL − LSL)",
    )?;
    if !(k > 0.0 && k <= 100.0) {
        return Err(Error::invalid(
            "k",
            k,
            "a percentage of the tolerance in (0, 100]",
        ));
    }
    positive(
        "l",
        l,
        "a positive number of standard deviations (6, or 5.15 for 99 %)",
    )?;
    check_confidence(confidence)?;
    let (mean, sd) = summary::mean_sd(values);
    if sd == 0.0 {
        return Err(Error::invalid(
            "values",
            format!("{} equal measurements", values.len()),
            "measurements that vary (Cg needs a standard deviation above zero)",
        ));
    }
    let n = values.len();
    let bias = mean - reference;
    let se = sd / (n as f64).sqrt();
    let df = (n - 1) as f64;
    let t = bias / se;
    let half = student_t::isf(0.5 * (1.0 - confidence), df) * se;
    let cg = k / 100.0 * tolerance / (l * sd);
    let cgk = (k / 200.0 * tolerance - bias.abs()) / (0.5 * l * sd);
    Ok(Type1 {
        n,
        mean,
        sd,
        bias,
        t,
        df,
        p_value: 2.0 * student_t::sf(t.abs(), df),
        bias_lower: bias - half,
        bias_upper: bias + half,
        cg,
        cgk,
        pct_var_repeatability: k / cg,
        pct_var_repeatability_bias: if cgk > 0.0 { k / cgk } else { f64::INFINITY },
    })
}
