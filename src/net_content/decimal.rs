//! Exact decimal numbers for limits and ties (`reference/lab_notes.md` A.6:
//! binary floating point breaks exact ties, e.g. 390 · 3 · 0.01 is
//! 11.700000000000001 in `f64` and would round *up* to 11.8 g, and 1.1 kg is
//! 1100.0000000000002 g).
//!
//! A [`Dec`] is `m · 10^(−s)` with an `i128` mantissa. A measurement given as
//! an `f64` stands for its shortest round-trip decimal (the digits Python or
//! Rust print for it), so `499.9` is exactly 499.9 here. Every operation is
//! checked: `None` means the exact value does not fit, and callers fall back
//! to floating point (documented where they do).

use std::cmp::Ordering;

/// Largest scale (digits after the point) kept.
const MAX_SCALE: u32 = 36;

/// An exact decimal `m · 10^(−s)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dec {
    m: i128,
    s: u32,
}

/// How [`Dec::round`] breaks the digits it drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Towards +∞ ("rounded up to the next 0.1 g").
    Up,
    /// To the nearest, ties to the even digit (GB/T 8170).
    HalfEven,
}

fn pow10(k: u32) -> Option<i128> {
    10i128.checked_pow(k)
}

impl Dec {
    /// `m · 10^(−s)`.
    pub(crate) const fn new(m: i128, s: u32) -> Self {
        Dec { m, s }
    }

    /// Zero.
    pub(crate) const ZERO: Dec = Dec { m: 0, s: 0 };

    /// The shortest round-trip decimal of a finite `x` (None for NaN, ±∞ or
    /// a value whose digits do not fit).
    pub(crate) fn from_f64(x: f64) -> Option<Dec> {
        if !x.is_finite() {
            return None;
        }
        // `{:e}` prints the shortest digits that round-trip: "4.999e2".
        let text = format!("{x:e}");
        let (mantissa, exponent) = text.split_once('e')?;
        let exponent: i64 = exponent.parse().ok()?;
        let (negative, digits) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mut m: i128 = 0;
        for c in whole.bytes().chain(frac.bytes()) {
            m = m
                .checked_mul(10)?
                .checked_add(i128::from(c.checked_sub(b'0')?))?;
        }
        let scale = frac.len() as i64 - exponent;
        let (m, s) = if scale < 0 {
            (m.checked_mul(pow10(u32::try_from(-scale).ok()?)?)?, 0)
        } else {
            (m, u32::try_from(scale).ok()?)
        };
        if s > MAX_SCALE {
            return None;
        }
        let m = if negative { -m } else { m };
        Some(Dec { m, s }.trimmed())
    }

    /// The nearest `f64` (correctly rounded).
    pub(crate) fn to_f64(self) -> f64 {
        format!("{}e-{}", self.m, self.s)
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// The same value without trailing zeros in the mantissa.
    fn trimmed(self) -> Dec {
        let mut d = self;
        while d.s > 0 && d.m % 10 == 0 {
            d.m /= 10;
            d.s -= 1;
        }
        d
    }

    /// The same value at scale `s >= self.s`.
    fn at_scale(self, s: u32) -> Option<i128> {
        self.m.checked_mul(pow10(s.checked_sub(self.s)?)?)
    }

    /// Both values at their common scale.
    fn aligned(self, other: Dec) -> Option<(i128, i128, u32)> {
        let s = self.s.max(other.s);
        Some((self.at_scale(s)?, other.at_scale(s)?, s))
    }

    pub(crate) fn sub(self, other: Dec) -> Option<Dec> {
        let (a, b, s) = self.aligned(other)?;
        Some(
            Dec {
                m: a.checked_sub(b)?,
                s,
            }
            .trimmed(),
        )
    }

    pub(crate) fn mul(self, other: Dec) -> Option<Dec> {
        let s = self.s.checked_add(other.s)?;
        (s <= 2 * MAX_SCALE).then_some(())?;
        Some(
            Dec {
                m: self.m.checked_mul(other.m)?,
                s,
            }
            .trimmed(),
        )
    }

    /// `self / 10^k`.
    pub(crate) fn shift_down(self, k: u32) -> Option<Dec> {
        let s = self.s.checked_add(k)?;
        (s <= 2 * MAX_SCALE).then_some(Dec { m: self.m, s }.trimmed())
    }

    /// `self · 10^k`.
    pub(crate) fn shift_up(self, k: u32) -> Option<Dec> {
        if k <= self.s {
            return Some(Dec {
                m: self.m,
                s: self.s - k,
            });
        }
        Some(Dec {
            m: self.m.checked_mul(pow10(k - self.s)?)?,
            s: 0,
        })
    }

    /// Exact comparison (None when the values cannot be aligned).
    pub(crate) fn compare(self, other: Dec) -> Option<Ordering> {
        let (a, b, _) = self.aligned(other)?;
        Some(a.cmp(&b))
    }

    pub(crate) fn is_negative(self) -> bool {
        self.m < 0
    }

    /// Whether the value is a whole number.
    pub(crate) fn is_whole(self) -> bool {
        self.trimmed().s == 0
    }

    /// The value rounded to `scale` decimals by `mode`.
    pub(crate) fn round(self, scale: u32, mode: Mode) -> Option<Dec> {
        if self.s <= scale {
            return Some(self);
        }
        let unit = pow10(self.s - scale)?;
        let q = self.m.div_euclid(unit); // floor
        let r = self.m.rem_euclid(unit); // in [0, unit)
        let up = match mode {
            Mode::Up => r > 0,
            Mode::HalfEven => match (2 * r).cmp(&unit) {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => q % 2 != 0,
            },
        };
        Some(
            Dec {
                m: if up { q.checked_add(1)? } else { q },
                s: scale,
            }
            .trimmed(),
        )
    }

    /// The mantissa at scale `s` (None when `s < self.s` would lose digits or overflow).
    pub(crate) fn mantissa_at(self, s: u32) -> Option<i128> {
        self.at_scale(s)
    }

    pub(crate) fn scale(self) -> u32 {
        self.s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: f64) -> Dec {
        Dec::from_f64(x).unwrap()
    }

    #[test]
    fn shortest_digits_are_exact() {
        assert_eq!(d(499.9), Dec::new(4999, 1));
        assert_eq!(d(-0.125), Dec::new(-125, 3));
        assert_eq!(d(1500.0), Dec::new(1500, 0));
        assert_eq!(d(1e-7), Dec::new(1, 7));
        assert_eq!(d(0.0), Dec::ZERO);
        assert!(Dec::from_f64(f64::NAN).is_none());
        assert!(Dec::from_f64(1e300).is_none());
        assert_eq!(d(0.3).sub(d(0.1)).unwrap(), Dec::new(2, 1));
        assert_eq!(d(0.3).to_f64(), 0.3);
    }

    #[test]
    fn rounding_up_and_half_even() {
        // 3 % of 390 g is 11.7 exactly: no spurious round-up.
        let t = d(390.0).mul(Dec::new(3, 0)).unwrap().shift_down(2).unwrap();
        assert_eq!(t.round(1, Mode::Up).unwrap(), Dec::new(117, 1));
        assert_eq!(d(1.1).shift_up(3).unwrap(), Dec::new(1100, 0));
        assert_eq!(
            Dec::new(1651, 2).round(1, Mode::Up).unwrap(),
            Dec::new(166, 1)
        );
        assert_eq!(
            Dec::new(165, 1).round(0, Mode::HalfEven).unwrap(),
            Dec::new(16, 0)
        );
        assert_eq!(
            Dec::new(175, 1).round(0, Mode::HalfEven).unwrap(),
            Dec::new(18, 0)
        );
        assert_eq!(
            Dec::new(1651, 2).round(1, Mode::HalfEven).unwrap(),
            Dec::new(165, 1)
        );
        assert_eq!(
            Dec::new(-15, 1).round(0, Mode::Up).unwrap(),
            Dec::new(-1, 0)
        );
        assert_eq!(
            d(2.0).compare(d(1.999_999_999_999)).unwrap(),
            Ordering::Greater
        );
    }
}
