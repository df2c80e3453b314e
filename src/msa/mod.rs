//! Measurement system analysis: gauge R&R studies and type-1 gauge studies.
//!
//! * [`gauge_rr`]: a balanced crossed, nested or one-operator study by the
//!   ANOVA method (interaction kept or pooled by `alpha_remove`, F tests by
//!   [`FTest`]) or by the AIAG Average & Range method; variance components
//!   (negative estimates set to zero and listed in [`GaugeRR::clamped`]),
//!   %Contribution, %Study Var, %Tolerance and the number of distinct
//!   categories.
//! * [`type1`]: Cg, Cgk and the bias test of repeated measurements of one
//!   reference part.
//!
//! Formulas, conventions and the peers' differences: `reference/lab_notes.md`
//! part B; the data sets the tests reproduce: `reference/datasets/msa_*.csv`.
//!
//! ```
//! use qualstat::msa::{gauge_rr, GaugeOptions};
//! // 3 parts x 2 operators x 2 replicates.
//! let y = [10.0, 10.2, 10.1, 10.3, 12.0, 12.1, 12.2, 12.2, 8.0, 8.1, 8.3, 8.2];
//! let part = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
//! let op = [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1];
//! let g = gauge_rr(&y, &part, Some(&op), &GaugeOptions::default()).unwrap();
//! assert!(g.ndc.unwrap() >= 5);
//! ```

mod anova;
mod layout;
mod type1;
mod xbar_r;

pub use anova::AnovaRow;
pub use type1::{type1, Type1};
pub use xbar_r::AverageRange;

use crate::error::{Error, Result};
use crate::options::named_options;
use layout::Layout;

named_options! {
    /// How a gauge R&R study is analysed.
    pub enum GaugeMethod for "method" {
        /// Analysis of variance and variance components.
        Anova = "anova",
        /// The AIAG Average & Range method.
        XbarR = "xbar_r" | "average_range",
    }
}

named_options! {
    /// Denominator of the F tests of part and operator in the full model.
    pub enum FTest for "f_test" {
        /// Against the interaction mean square (nested: operator against
        /// part within operator), Minitab's expected-mean-square tests.
        Minitab = "minitab",
        /// Every term against repeatability: the AIAG MSA-4 worked table and
        /// R `aov()` (qualityTools); "aiag" is the same convention.
        AllVsError = "all_vs_error" | "aiag",
    }
}

named_options! {
    /// How parts relate to operators.
    pub enum Design for "design" {
        /// Every operator measures every part.
        Crossed = "crossed",
        /// Each part is measured by one operator (destructive tests).
        Nested = "nested",
    }
}

named_options! {
    /// The K1, K2, K3 constants of the Average & Range method.
    pub enum Constants for "constants" {
        /// From d2 and d3 computed exactly (`crate::spc`).
        Exact = "exact",
        /// Rounded to the 4 decimals of the AIAG MSA tables.
        Aiag = "aiag",
    }
}

named_options! {
    /// A row of an ANOVA table.
    pub enum Term for "source" {
        /// Parts (in a nested study: parts within operators).
        Part = "part",
        /// Operators.
        Operator = "operator",
        /// The part-by-operator interaction.
        PartOperator = "part:operator",
        /// Repeatability (error; pooled with the interaction in the reduced model).
        Repeatability = "repeatability",
        /// Total.
        Total = "total",
    }
}

named_options! {
    /// A row of the variance components table.
    pub enum ComponentSource for "source" {
        /// Repeatability + reproducibility.
        TotalGrr = "total_grr",
        /// Repeatability (equipment variation).
        Repeatability = "repeatability",
        /// Operator + operator_part (appraiser variation).
        Reproducibility = "reproducibility",
        /// Operator.
        Operator = "operator",
        /// Operator-by-part interaction.
        OperatorPart = "operator_part",
        /// Part-to-part.
        Part = "part",
        /// Total variation.
        Total = "total",
    }
}

/// The options of [`gauge_rr`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GaugeOptions {
    /// ANOVA or Average & Range.
    pub method: GaugeMethod,
    /// Crossed or nested (ignored without operators).
    pub design: Design,
    /// F-test convention of the full model.
    pub f_test: FTest,
    /// Pool the interaction when its p-value is at least this (None: never).
    pub alpha_remove: Option<f64>,
    /// Multiplier of the standard deviations in the study variation (6).
    pub study_var: f64,
    /// Tolerance width USL − LSL for %Tolerance.
    pub tolerance: Option<f64>,
    /// Constants of the Average & Range method.
    pub constants: Constants,
}

impl Default for GaugeOptions {
    fn default() -> Self {
        GaugeOptions {
            method: GaugeMethod::Anova,
            design: Design::Crossed,
            f_test: FTest::Minitab,
            alpha_remove: Some(0.05),
            study_var: 6.0,
            tolerance: None,
            constants: Constants::Exact,
        }
    }
}

/// One row of the variance components table.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Component {
    /// The source.
    pub source: ComponentSource,
    /// Variance component σ² (after clamping).
    pub variance: f64,
    /// 100 σ²/σ²_total.
    pub pct_contribution: f64,
    /// σ.
    pub sd: f64,
    /// `study_var` · σ.
    pub study_var: f64,
    /// 100 σ/σ_total.
    pub pct_study_var: f64,
    /// 100 `study_var` · σ / tolerance (None without a tolerance).
    pub pct_tolerance: Option<f64>,
}

/// The results of [`gauge_rr`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GaugeRR {
    /// Number of parts (nested: all parts over all operators).
    pub parts: usize,
    /// Number of operators (1 without an operator column).
    pub operators: usize,
    /// Replicates per cell.
    pub replicates: usize,
    /// The full model's ANOVA table (empty for the Average & Range method).
    pub anova_full: Vec<AnovaRow>,
    /// The ANOVA table of the model used (empty for Average & Range).
    pub anova: Vec<AnovaRow>,
    /// p-value of the interaction (crossed ANOVA with operators).
    pub interaction_p: Option<f64>,
    /// Whether the interaction was pooled into repeatability.
    pub interaction_pooled: bool,
    /// The variance components table.
    pub components: Vec<Component>,
    /// Components whose estimate was negative and was set to zero.
    pub clamped: Vec<ComponentSource>,
    /// Number of distinct categories ⌊1.41 σ_part/σ_GRR⌋, at least 1 (None
    /// when σ_GRR = 0).
    pub ndc: Option<u64>,
    /// The Average & Range quantities (that method only).
    pub average_range: Option<AverageRange>,
}

fn check_options(o: &GaugeOptions) -> Result<()> {
    if !(o.study_var.is_finite() && o.study_var > 0.0) {
        return Err(Error::invalid(
            "study_var",
            o.study_var,
            "a positive multiplier of the standard deviation (6, or 5.15 for 99 %)",
        ));
    }
    if let Some(t) = o.tolerance {
        if !(t.is_finite() && t > 0.0) {
            return Err(Error::invalid(
                "tolerance",
                t,
                "a positive tolerance width (USL − LSL)",
            ));
        }
    }
    if let Some(a) = o.alpha_remove {
        if !(a > 0.0 && a <= 1.0) {
            return Err(Error::invalid(
                "alpha_remove",
                a,
                "a significance level in (0, 1] (or none to keep the interaction)",
            ));
        }
    }
    Ok(())
}

/// A gauge R&R study of `values` measured on `parts` (codes 0, 1, ...) by
/// `operators` (codes 0, 1, ...; None for a one-operator study).
///
/// # Errors
/// Invalid options; mismatched lengths, non-finite values, fewer than 2
/// parts, an unbalanced study, fewer than 2 replicates per cell, a part
/// measured by two operators in a nested study; the Average & Range method
/// on a nested study; a study without any variation.
pub fn gauge_rr(
    values: &[f64],
    parts: &[u32],
    operators: Option<&[u32]>,
    options: &GaugeOptions,
) -> Result<GaugeRR> {
    check_options(options)?;
    let layout = match options.design {
        Design::Crossed => Layout::Crossed,
        Design::Nested => Layout::Nested,
    };
    if layout == Layout::Nested && options.method == GaugeMethod::XbarR {
        return Err(Error::invalid(
            "method",
            "xbar_r",
            "anova for a nested study (the Average & Range method needs a crossed study)",
        ));
    }
    let cells = crate::parallel::install(|| layout::cells(values, parts, operators, layout))?;
    if layout == Layout::Nested && cells.operators > 1 && cells.parts == cells.operators {
        return Err(Error::invalid(
            "part",
            "one part per operator",
            "at least 2 parts per operator in a nested study",
        ));
    }
    let (fit, average_range) = match options.method {
        GaugeMethod::Anova => {
            let fit = if cells.operators == 1 {
                anova::one_way(&cells)
            } else if layout == Layout::Nested {
                anova::nested(&cells, options.f_test)
            } else {
                anova::crossed(&cells, options.f_test, options.alpha_remove)
            };
            (Some(fit), None)
        }
        GaugeMethod::XbarR => (
            None,
            Some(xbar_r::average_range(&cells, options.constants)?),
        ),
    };
    let raw = match (&fit, &average_range) {
        (Some(f), _) => f.raw.clone(),
        (None, Some((_, raw))) => raw.clone(),
        (None, None) => Vec::new(),
    };
    let (components, clamped, ndc) = summarise(&raw, options)?;
    let (anova_full, anova, interaction_p, interaction_pooled) = match fit {
        Some(f) => (f.full, f.used, f.interaction_p, f.pooled),
        None => (Vec::new(), Vec::new(), None, false),
    };
    Ok(GaugeRR {
        parts: cells.parts,
        operators: cells.operators,
        replicates: cells.replicates,
        anova_full,
        anova,
        interaction_p,
        interaction_pooled,
        components,
        clamped,
        ndc,
        average_range: average_range.map(|(a, _)| a),
    })
}

type Summary = (Vec<Component>, Vec<ComponentSource>, Option<u64>);

/// The components table from the raw σ² estimates: clamps negatives, adds
/// reproducibility (operator + operator_part, when there are operators),
/// total_grr and total, and the percentages (Minitab, Gage R&R table,
/// Methods and formulas; `reference/lab_notes.md` B.2).
fn summarise(raw: &[(ComponentSource, f64)], o: &GaugeOptions) -> Result<Summary> {
    let clamped: Vec<ComponentSource> = raw
        .iter()
        .filter(|(_, v)| *v < 0.0)
        .map(|(s, _)| *s)
        .collect();
    let get = |s: ComponentSource| {
        raw.iter()
            .find(|(src, _)| *src == s)
            .map(|(_, v)| v.max(0.0))
    };
    let repeat = get(ComponentSource::Repeatability).unwrap_or(0.0);
    let oper = get(ComponentSource::Operator);
    let inter = get(ComponentSource::OperatorPart);
    let part = get(ComponentSource::Part).unwrap_or(0.0);
    let reprod = oper.map(|v| v + inter.unwrap_or(0.0));
    let grr = repeat + reprod.unwrap_or(0.0);
    let total = grr + part;
    if total <= 0.0 {
        return Err(Error::invalid(
            "value",
            "a study without variation",
            "measurements that vary (every variance component is zero)",
        ));
    }
    let mut rows = vec![
        (ComponentSource::TotalGrr, grr),
        (ComponentSource::Repeatability, repeat),
    ];
    if let Some(r) = reprod {
        rows.push((ComponentSource::Reproducibility, r));
    }
    // The interaction's own row shows only in the full crossed model; the
    // operator row shows when reproducibility has two parts (crossed) or is
    // the operator alone (nested, Average & Range: Minitab lists only
    // reproducibility there, and so do we).
    if let Some(i) = inter {
        rows.push((ComponentSource::Operator, oper.unwrap_or(0.0)));
        rows.push((ComponentSource::OperatorPart, i));
    } else if let (Some(v), Design::Crossed, GaugeMethod::Anova) = (oper, o.design, o.method) {
        rows.push((ComponentSource::Operator, v));
    }
    rows.push((ComponentSource::Part, part));
    rows.push((ComponentSource::Total, total));
    let sd_total = total.sqrt();
    let components = rows
        .into_iter()
        .map(|(source, variance)| {
            let sd = variance.sqrt();
            Component {
                source,
                variance,
                pct_contribution: 100.0 * variance / total,
                sd,
                study_var: o.study_var * sd,
                pct_study_var: 100.0 * sd / sd_total,
                pct_tolerance: o.tolerance.map(|t| 100.0 * o.study_var * sd / t),
            }
        })
        .collect();
    let ndc = (grr > 0.0).then(|| ((1.41 * (part / grr).sqrt()).floor() as u64).max(1));
    Ok((components, clamped, ndc))
}
