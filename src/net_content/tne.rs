//! The tolerable negative error T of a prepackage (`reference/lab_notes.md`
//! A.4; bands `reference/tables/net_content_tne.csv`, other units
//! `net_content_tne_other_units.csv`).

use super::decimal::{Dec, Mode};
use super::tables::TNE_BANDS;
use super::{Quantity, Regime, Rounding, Unit};
use crate::error::{Error, Result};
use std::cmp::Ordering;

/// A tolerable negative error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tne {
    /// T in the unit of the nominal quantity.
    pub value: f64,
    /// The percentage of Qn the band gives (None for an absolute T).
    pub percent: Option<f64>,
    pub(crate) exact: Dec,
}

/// The tolerable negative error T for nominal quantity `nominal` (in `unit`)
/// under `regime`, rounded by `rounding` (None: the regime's own rule),
/// returned in the unit of `nominal`.
///
/// Mass and volume: the band table (9 % up to 50 g or mL, 4.5 g, 4.5 %, 9 g,
/// 3 %, 15 g, 1.5 %, 150 g, 1 %); a percentage-derived T is rounded in g or
/// mL by the rule; absolute values are as printed. Scope: the EU table covers
/// 5 g to 10 kg (EU 76/211 Annex I 2.4), the R 87 lineage 0 to 50 kg
/// (Australia reg 4.36, China annex table 3). Length (R 87 lineage only): T =
/// 0 up to 5 m, else 2 % of Qn; area: 3 %; count: T = 0 up to 50 items, else
/// 1 % rounded up to a whole item (Australia reg 4.36 footnote b); the
/// rounding rule applies to mass and volume only. Computed in exact decimal
/// arithmetic on the shortest decimal of `nominal`.
///
/// ```
/// use qualstat::net_content::{tne, Regime, Unit};
/// // 4.5 % of 150 g = 6.75 g, rounded up to 6.8 g (EU) ...
/// assert_eq!(tne(150.0, Unit::Gram, Regime::Eu, None).unwrap().value, 6.8);
/// // ... and 1.5 % of 1.1 kg = 16.5 g: up to 17 g (R 87), to even 16 g (China).
/// assert_eq!(tne(1.1, Unit::Kilogram, Regime::OimlR87_2004, None).unwrap().value, 0.017);
/// assert_eq!(tne(1.1, Unit::Kilogram, Regime::China2005, None).unwrap().value, 0.016);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for a nominal quantity that is not finite and
/// positive, outside the regime's table (no extrapolation), a count that is
/// not whole, or a unit other than mass or volume under the EU regimes.
pub fn tne(nominal: f64, unit: Unit, regime: Regime, rounding: Option<Rounding>) -> Result<Tne> {
    let qn = Dec::from_f64(nominal)
        .filter(|q| nominal > 0.0 && !q.is_negative())
        .ok_or_else(|| Error::invalid("nominal", nominal, "a finite quantity above 0"))?;
    tne_exact(qn, nominal, unit, regime, rounding)
}

fn overflow(nominal: f64) -> Error {
    Error::invalid(
        "nominal",
        nominal,
        "a quantity with at most 17 significant digits",
    )
}

pub(crate) fn tne_exact(
    qn: Dec,
    nominal: f64,
    unit: Unit,
    regime: Regime,
    rounding: Option<Rounding>,
) -> Result<Tne> {
    let rounding = rounding.unwrap_or_else(|| regime.rounding());
    let (quantity, power) = unit.quantity();
    let base = if power >= 0 {
        qn.shift_up(power.unsigned_abs())
    } else {
        qn.shift_down(power.unsigned_abs())
    }
    .ok_or_else(|| overflow(nominal))?;
    let to_unit = |t: Dec| -> Result<Dec> {
        if power >= 0 {
            t.shift_down(power.unsigned_abs())
        } else {
            t.shift_up(power.unsigned_abs())
        }
        .ok_or_else(|| overflow(nominal))
    };
    let percent_of = |pct: Dec| -> Result<Dec> {
        base.mul(pct)
            .and_then(|x| x.shift_down(2))
            .ok_or_else(|| overflow(nominal))
    };
    // Comparisons with the table's whole-number edges (exact).
    let leq = |a: Dec, b: i128| a.compare(Dec::new(b, 0)) != Some(Ordering::Greater);
    if regime.is_eu() && quantity != Quantity::MassOrVolume {
        return Err(Error::invalid(
            "unit",
            unit.name(),
            "a unit of mass or volume (the EU table covers only those)",
        ));
    }
    let (t, percent) = match quantity {
        Quantity::MassOrVolume => {
            let (low, high) = if regime.is_eu() {
                (5, 10_000)
            } else {
                (0, 50_000)
            };
            let too_small = base.compare(Dec::new(low, 0)) == Some(Ordering::Less);
            if too_small || !leq(base, high) {
                return Err(Error::invalid(
                    "nominal",
                    format!("{nominal} {unit}"),
                    format!(
                        "a nominal quantity from {low} to {high} g or mL ({} table; no extrapolation)",
                        regime.name()
                    ),
                ));
            }
            let band = TNE_BANDS
                .iter()
                .find(|b| base.compare(b.1) != Some(Ordering::Greater))
                .ok_or_else(|| overflow(nominal))?;
            match (band.2, band.3) {
                (Some(pct), _) => {
                    let raw = percent_of(pct)?;
                    let small = leq(base, 1000);
                    let rounded = match rounding {
                        Rounding::NoRounding => Some(raw),
                        Rounding::UpTenth => raw.round(1, Mode::Up),
                        Rounding::UpTenthThenWhole => raw.round(u32::from(small), Mode::Up),
                        Rounding::HalfEvenTenthThenWhole => {
                            raw.round(u32::from(small), Mode::HalfEven)
                        }
                    }
                    .ok_or_else(|| overflow(nominal))?;
                    (rounded, Some(pct))
                }
                (None, Some(abs)) => (abs, None),
                (None, None) => return Err(overflow(nominal)),
            }
        }
        Quantity::Length => {
            if leq(base, 5) {
                (Dec::ZERO, None)
            } else {
                (percent_of(Dec::new(2, 0))?, Some(Dec::new(2, 0)))
            }
        }
        Quantity::Area => (percent_of(Dec::new(3, 0))?, Some(Dec::new(3, 0))),
        Quantity::Count => {
            if !base.is_whole() {
                return Err(Error::invalid(
                    "nominal",
                    nominal,
                    "a whole number of items (unit count)",
                ));
            }
            if leq(base, 50) {
                (Dec::ZERO, None)
            } else {
                let t = percent_of(Dec::new(1, 0))?
                    .round(0, Mode::Up)
                    .ok_or_else(|| overflow(nominal))?;
                (t, Some(Dec::new(1, 0)))
            }
        }
    };
    let exact = to_unit(t)?;
    Ok(Tne {
        value: exact.to_f64(),
        percent: percent.map(Dec::to_f64),
        exact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(q: f64, unit: Unit, regime: Regime) -> f64 {
        tne(q, unit, regime, None).unwrap().value
    }

    #[test]
    fn band_values_and_rounding() {
        assert_eq!(t(200.0, Unit::Gram, Regime::Eu), 9.0);
        assert_eq!(t(150.0, Unit::Gram, Regime::Eu), 6.8);
        assert_eq!(t(1000.0, Unit::Gram, Regime::Eu), 15.0);
        assert_eq!(t(1100.0, Unit::Gram, Regime::Eu), 16.5);
        assert_eq!(t(1100.0, Unit::Gram, Regime::OimlR87_2004), 17.0);
        assert_eq!(t(1100.0, Unit::Gram, Regime::China2005), 16.0);
        assert_eq!(t(20.0, Unit::Millilitre, Regime::China2005), 1.8);
        assert_eq!(t(2.0, Unit::Litre, Regime::Eu), 0.03);
        assert_eq!(t(6.0, Unit::Metre, Regime::China2005), 0.12);
        assert_eq!(t(5.0, Unit::Metre, Regime::China2005), 0.0);
        assert_eq!(t(500.0, Unit::Centimetre, Regime::China2005), 0.0);
        assert_eq!(t(101.0, Unit::Count, Regime::China2005), 2.0);
        assert_eq!(t(50.0, Unit::Count, Regime::China2005), 0.0);
    }

    #[test]
    fn out_of_scope_is_an_error() {
        for (q, u, r) in [
            (4.0, Unit::Gram, Regime::Eu),
            (10.5, Unit::Kilogram, Regime::Eu),
            (50_001.0, Unit::Gram, Regime::China2005),
            (0.0, Unit::Gram, Regime::China2005),
            (-1.0, Unit::Gram, Regime::China2005),
            (f64::NAN, Unit::Gram, Regime::China2005),
            (100.0, Unit::Count, Regime::Eu),
            (100.5, Unit::Count, Regime::China2005),
        ] {
            assert!(tne(q, u, r, None).is_err(), "{q} {u} {r}");
        }
        assert_eq!(t(5.0, Unit::Gram, Regime::Eu), 0.5);
        assert_eq!(t(10.0, Unit::Kilogram, Regime::Eu), 0.15);
    }
}
