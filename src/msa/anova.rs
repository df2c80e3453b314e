//! ANOVA tables and variance components of a balanced gauge study.
//!
//! Crossed model y_ijk = μ + P_i + O_j + (PO)_ij + e_ijk (p parts, o
//! operators, r replicates), sums of squares from the cell means
//! (SAS/STAT PROC VARCOMP "Gauge Repeatability and Reproducibility
//! Analysis"; Minitab, Crossed Gage R&R, Methods and formulas, ANOVA table):
//!
//! | source | df | SS |
//! |---|---|---|
//! | part | p − 1 | o r Σ(ȳᵢ.. − ȳ)² |
//! | operator | o − 1 | p r Σ(ȳ.ⱼ. − ȳ)² |
//! | part:operator | (p − 1)(o − 1) | r ΣΣ(ȳᵢⱼ. − ȳᵢ.. − ȳ.ⱼ. + ȳ)² |
//! | repeatability | p o (r − 1) | ΣΣΣ(y − ȳᵢⱼ.)² |
//!
//! The interaction is tested against repeatability; when its p-value is at
//! least `alpha_remove` it is pooled into the error (reduced model, Minitab's
//! rule), and part and operator are tested against the pooled mean square.
//! In the full model [`FTest::Minitab`] tests part and operator against the
//! interaction (the expected mean squares of the random-effects model),
//! [`FTest::AllVsError`] against repeatability (the AIAG MSA-4 worked table
//! and R `aov()`). Components (negative estimates are set to zero):
//!
//! * full: σ²_e = MS_E, σ²_PO = (MS_PO − MS_E)/r, σ²_O = (MS_O − MS_PO)/(p r),
//!   σ²_P = (MS_P − MS_PO)/(o r);
//! * reduced: σ²_O = (MS_O − MS_E′)/(p r), σ²_P = (MS_P − MS_E′)/(o r).
//!
//! Nested (parts within operators; a parts per operator, n replicates;
//! Minitab, Nested Gage R&R, Methods and formulas): SS_O = a n Σ(ȳⱼ − ȳ)²,
//! SS_P(O) = n ΣΣ(ȳᵢⱼ − ȳⱼ)², df o − 1, o(a − 1), o a (n − 1);
//! F_O = MS_O/MS_P(O) (Minitab) and F_P(O) = MS_P(O)/MS_E; σ²_O =
//! (MS_O − MS_P(O))/(a n), σ²_P = (MS_P(O) − MS_E)/n.
//!
//! One operator (Minitab's "type 3" study): one-way ANOVA, σ²_P =
//! (MS_P − MS_E)/r. Formulas and sources: `reference/lab_notes.md` B.1, B.2, B.4.

use super::layout::Cells;
use super::{ComponentSource, FTest, Term};
use crate::numerics::fisher_f;

/// One row of an ANOVA table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AnovaRow {
    /// The source of variation.
    pub source: Term,
    /// Degrees of freedom.
    pub df: f64,
    /// Sum of squares.
    pub ss: f64,
    /// Mean square (None for the total).
    pub ms: Option<f64>,
    /// F statistic (None for repeatability and the total).
    pub f: Option<f64>,
    /// P(F > f) (None where `f` is None).
    pub p: Option<f64>,
}

/// A row with its mean square, no test yet.
fn row(source: Term, df: f64, ss: f64) -> AnovaRow {
    AnovaRow {
        source,
        df,
        ss,
        ms: Some(ss / df),
        f: None,
        p: None,
    }
}

/// Tests `row` against the mean square `ms_den` with `df_den` degrees of
/// freedom. A zero denominator gives F = ∞ and p = 0 when the numerator is
/// positive, and no test (F and p absent) when both are zero.
fn test(row: &mut AnovaRow, ms_den: f64, df_den: f64) {
    let ms = row.ms.unwrap_or(0.0);
    if ms_den > 0.0 {
        let f = ms / ms_den;
        row.f = Some(f);
        row.p = Some(fisher_f::sf(f, row.df, df_den));
    } else if ms > 0.0 {
        row.f = Some(f64::INFINITY);
        row.p = Some(0.0);
    }
}

fn total(rows: &[AnovaRow]) -> AnovaRow {
    AnovaRow {
        source: Term::Total,
        df: rows.iter().map(|r| r.df).sum(),
        ss: rows.iter().map(|r| r.ss).sum(),
        ms: None,
        f: None,
        p: None,
    }
}

fn ms(row: &AnovaRow) -> f64 {
    row.ms.unwrap_or(0.0)
}

/// Variance components before clamping, with their sources.
pub(crate) type RawComponents = Vec<(ComponentSource, f64)>;

/// The fitted ANOVA model of a study.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    /// The table of the full model (with the interaction when crossed).
    pub full: Vec<AnovaRow>,
    /// The table of the model used for the components.
    pub used: Vec<AnovaRow>,
    /// p-value of the interaction test (crossed studies with operators).
    pub interaction_p: Option<f64>,
    /// Whether the interaction was pooled into repeatability.
    pub pooled: bool,
    /// Components σ² of the model used (unclamped): repeatability, operator,
    /// operator_part (full crossed model only), part.
    pub raw: RawComponents,
}

/// `weight` Σ (m − grand)² over the group means `means` (each mean stands
/// for `weight` measurements).
fn ss_of_means(means: &[f64], grand: f64, weight: f64) -> f64 {
    weight * means.iter().map(|m| (m - grand) * (m - grand)).sum::<f64>()
}

/// Crossed study: full table, pooling decision, components.
pub(crate) fn crossed(c: &Cells, f_test: FTest, alpha_remove: Option<f64>) -> Fit {
    let (p, o, r) = (c.parts, c.operators, c.replicates as f64);
    let (pf, of) = (p as f64, o as f64);
    let part_mean: Vec<f64> = (0..p)
        .map(|i| c.mean[i * o..(i + 1) * o].iter().sum::<f64>() / of)
        .collect();
    let op_mean: Vec<f64> = (0..o)
        .map(|j| (0..p).map(|i| c.mean[i * o + j]).sum::<f64>() / pf)
        .collect();
    let grand = part_mean.iter().sum::<f64>() / pf;
    let ss_po = r
        * (0..p)
            .flat_map(|i| (0..o).map(move |j| (i, j)))
            .map(|(i, j)| {
                let d = c.mean[i * o + j] - part_mean[i] - op_mean[j] + grand;
                d * d
            })
            .sum::<f64>();
    let mut part = row(Term::Part, pf - 1.0, ss_of_means(&part_mean, grand, of * r));
    let mut oper = row(
        Term::Operator,
        of - 1.0,
        ss_of_means(&op_mean, grand, pf * r),
    );
    let mut inter = row(Term::PartOperator, (pf - 1.0) * (of - 1.0), ss_po);
    let error = row(Term::Repeatability, pf * of * (r - 1.0), c.ss_within);
    test(&mut inter, ms(&error), error.df);
    let (den, den_df) = match f_test {
        FTest::Minitab => (ms(&inter), inter.df),
        FTest::AllVsError => (ms(&error), error.df),
    };
    test(&mut part, den, den_df);
    test(&mut oper, den, den_df);
    let mut full = vec![part.clone(), oper.clone(), inter.clone(), error.clone()];
    full.push(total(&full));
    let interaction_p = inter.p;
    // No test (both mean squares zero) counts as "not significant".
    let pooled = alpha_remove.is_some_and(|a| interaction_p.is_none_or(|pv| pv >= a));
    if !pooled {
        let raw = vec![
            (ComponentSource::Repeatability, ms(&error)),
            (
                ComponentSource::Operator,
                (ms(&oper) - ms(&inter)) / (pf * r),
            ),
            (ComponentSource::OperatorPart, (ms(&inter) - ms(&error)) / r),
            (ComponentSource::Part, (ms(&part) - ms(&inter)) / (of * r)),
        ];
        return Fit {
            used: full.clone(),
            full,
            interaction_p,
            pooled,
            raw,
        };
    }
    let pooled_error = row(
        Term::Repeatability,
        inter.df + error.df,
        inter.ss + error.ss,
    );
    let mut part = row(Term::Part, part.df, part.ss);
    let mut oper = row(Term::Operator, oper.df, oper.ss);
    test(&mut part, ms(&pooled_error), pooled_error.df);
    test(&mut oper, ms(&pooled_error), pooled_error.df);
    let raw = vec![
        (ComponentSource::Repeatability, ms(&pooled_error)),
        (
            ComponentSource::Operator,
            (ms(&oper) - ms(&pooled_error)) / (pf * r),
        ),
        (
            ComponentSource::Part,
            (ms(&part) - ms(&pooled_error)) / (of * r),
        ),
    ];
    let mut used = vec![part, oper, pooled_error];
    used.push(total(&used));
    Fit {
        full,
        used,
        interaction_p,
        pooled,
        raw,
    }
}

/// Nested study (parts within operators).
pub(crate) fn nested(c: &Cells, f_test: FTest) -> Fit {
    let (p, o, n) = (c.parts, c.operators, c.replicates as f64);
    let a = (p / o) as f64;
    let of = o as f64;
    let mut op_mean = vec![0.0; o];
    for (part, &op) in c.operator_of_part.iter().enumerate() {
        op_mean[op] += c.mean[part] / a;
    }
    let grand = op_mean.iter().sum::<f64>() / of;
    let ss_part = n * c
        .operator_of_part
        .iter()
        .enumerate()
        .map(|(part, &op)| {
            let d = c.mean[part] - op_mean[op];
            d * d
        })
        .sum::<f64>();
    let mut oper = row(
        Term::Operator,
        of - 1.0,
        ss_of_means(&op_mean, grand, a * n),
    );
    let mut part = row(Term::Part, of * (a - 1.0), ss_part);
    let error = row(Term::Repeatability, of * a * (n - 1.0), c.ss_within);
    test(&mut part, ms(&error), error.df);
    let (den, den_df) = match f_test {
        FTest::Minitab => (ms(&part), part.df),
        FTest::AllVsError => (ms(&error), error.df),
    };
    test(&mut oper, den, den_df);
    let raw = vec![
        (ComponentSource::Repeatability, ms(&error)),
        (ComponentSource::Operator, (ms(&oper) - ms(&part)) / (a * n)),
        (ComponentSource::Part, (ms(&part) - ms(&error)) / n),
    ];
    let mut full = vec![oper, part, error];
    full.push(total(&full));
    Fit {
        used: full.clone(),
        full,
        interaction_p: None,
        pooled: false,
        raw,
    }
}

/// One-operator study: one-way ANOVA of parts.
pub(crate) fn one_way(c: &Cells) -> Fit {
    let (p, r) = (c.parts as f64, c.replicates as f64);
    let grand = c.mean.iter().sum::<f64>() / p;
    let mut part = row(Term::Part, p - 1.0, ss_of_means(&c.mean, grand, r));
    let error = row(Term::Repeatability, p * (r - 1.0), c.ss_within);
    test(&mut part, ms(&error), error.df);
    let raw = vec![
        (ComponentSource::Repeatability, ms(&error)),
        (ComponentSource::Part, (ms(&part) - ms(&error)) / r),
    ];
    let mut full = vec![part, error];
    full.push(total(&full));
    Fit {
        used: full.clone(),
        full,
        interaction_p: None,
        pooled: false,
        raw,
    }
}
