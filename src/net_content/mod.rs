//! Net content of prepackages: the tolerable negative error, the sampling
//! plans and the lot decision of the EU "e-mark" reference test (Directive
//! 76/211/EEC Annex II, with the UK SI 2006/659 additions) and of the OIML
//! R 87:2004 lineage (China's 2005 Measures annex tables 3 and 4, Australia's
//! NTMR 2009 reg 4.34 and 4.36). Sources, conventions and the choices that
//! flip decisions: `reference/lab_notes.md` section A; tables
//! `reference/tables/net_content_*.csv` (generated into `tables.rs` by
//! `scripts/gen_net_content_tables.py`).
//!
//! A lot passes when (A.1) the mean test x̄ ≥ Qn − λ·s holds (s with divisor
//! n − 1), the number of packages short by more than T (T1 errors,
//! "defectives") is within the plan's acceptance number, and the T2 policy
//! (packages short by more than 2T) is met. Limits and ties are decided in
//! exact decimal arithmetic on the shortest decimal of each measurement.

mod decide;
mod decimal;
mod plan;
mod tables;
mod tne;

pub use decide::{decide, decide_lots, Criterion, LotDecision, Settings, Tare};
pub use plan::{plan, prob_pass_mean, NetContentPlan};
pub use tne::{tne, Tne};

use crate::options::named_options;

named_options! {
    /// The regulation whose tables and rules apply.
    pub enum Regime for "regime" {
        /// EU Directive 76/211/EEC Annex II reference test ("e-mark"); the
        /// single non-destructive plan is the one UK SI 2006/659 adds.
        Eu = "eu" | "eec_76_211" | "e_mark",
        /// UK SI 2006/659 Sch 2: the EU test plus the UK single plan and, for
        /// lots under 100, at most 5 % of N defective.
        Uk2006 = "uk_2006" | "uk",
        /// OIML R 87:2004 as copied by national regulations (lots of 100 and
        /// more; the rows below 100 are known only from China's copy).
        OimlR87_2004 = "oiml_r87_2004" | "r87_2004" | "oiml",
        /// China, AQSIQ 2005 Measures for quantitatively packaged commodities
        /// (annex tables 3 and 4, with the rows for lots under 100).
        China2005 = "china_2005" | "china" | "cn",
    }
}

named_options! {
    /// How a percentage-derived tolerable negative error is rounded (in g or mL).
    pub enum Rounding for "rounding" {
        /// Up to the next 0.1 for Qn ≤ 1000, up to the next whole unit above
        /// (R 87:2004; Australia reg 4.36 footnote a).
        UpTenthThenWhole = "up_0.1_then_1" | "r87",
        /// To the nearest 0.1 for Qn ≤ 1000, to the nearest whole unit above,
        /// ties to even (China annex table 3 note, GB/T 8170).
        HalfEvenTenthThenWhole = "half_even_0.1_then_1" | "china",
        /// Up to the next 0.1 for every Qn (EU).
        UpTenth = "up_0.1" | "eu",
        /// Not rounded.
        NoRounding = "none",
    }
}

named_options! {
    /// The unit of the nominal quantity (and of the measurements).
    pub enum Unit for "unit" {
        /// Grams.
        Gram = "g",
        /// Kilograms.
        Kilogram = "kg",
        /// Millilitres.
        Millilitre = "mL" | "cm3",
        /// Centilitres.
        Centilitre = "cL",
        /// Litres.
        Litre = "L" | "dm3",
        /// Millimetres.
        Millimetre = "mm",
        /// Centimetres.
        Centimetre = "cm",
        /// Metres.
        Metre = "m",
        /// Square millimetres.
        SquareMillimetre = "mm2",
        /// Square centimetres.
        SquareCentimetre = "cm2",
        /// Square metres.
        SquareMetre = "m2",
        /// A number of items.
        Count = "count" | "items" | "pieces",
    }
}

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Mass or volume (TNE bands in g or mL).
    MassOrVolume,
    /// Length (T = 0 up to 5 m, else 2 %).
    Length,
    /// Area (T = 3 %).
    Area,
    /// Count (T = 0 up to 50 items, else 1 % rounded up).
    Count,
}

impl Unit {
    /// What the unit measures and the power of ten that turns it into the
    /// tables' unit (g, mL, m; area and count need none).
    pub fn quantity(self) -> (Quantity, i32) {
        use Quantity::*;
        match self {
            Unit::Gram | Unit::Millilitre => (MassOrVolume, 0),
            Unit::Centilitre => (MassOrVolume, 1),
            Unit::Kilogram | Unit::Litre => (MassOrVolume, 3),
            Unit::Millimetre => (Length, -3),
            Unit::Centimetre => (Length, -2),
            Unit::Metre => (Length, 0),
            Unit::SquareMillimetre | Unit::SquareCentimetre | Unit::SquareMetre => (Area, 0),
            Unit::Count => (Count, 0),
        }
    }
}

named_options! {
    /// The kind of sampling plan asked for.
    pub enum Kind for "kind" {
        /// One sample.
        Single = "single",
        /// Two samples (EU non-destructive test).
        Double = "double",
    }
}

named_options! {
    /// Which λ the mean test uses.
    pub enum Lambda for "lam" {
        /// The constant as the regulation prints it (3 decimals).
        Printed = "printed",
        /// t(0.995, n − 1)/√n computed.
        Exact = "exact",
    }
}

named_options! {
    /// How a mean exactly at its limit is judged.
    pub enum MeanRule for "mean_rule" {
        /// Accept when x̄ ≥ Qn − λs (the tables; French "supérieure ou égale").
        Ge = "ge" | ">=",
        /// Accept only when x̄ > Qn − λs (the EU 2.3.1 / UK 4.1 sentence).
        Gt = "gt" | ">",
    }
}

named_options! {
    /// How packages short by more than 2T (T2 errors) count.
    pub enum T2Policy for "t2_policy" {
        /// Not a criterion (EU Annex II counts only defectives; the 2T rule
        /// binds the packer, Annex I 1.3).
        NotChecked = "none" | "not_checked",
        /// Reject on any (R 87 lineage: 0 allowed).
        Any = "any" | "reject_on_any",
        /// Reject on two or more (Canada, SFCR 200(4)(c)).
        TwoOrMore = "two_or_more" | "canada",
    }
}

named_options! {
    /// How the operating characteristic of the mean test is computed.
    pub enum MeanOc for "method" {
        /// Exact for a normal process: √n(x̄ − Qn)/s is noncentral t with n − 1
        /// degrees of freedom and noncentrality √n·δ.
        NoncentralT = "noncentral_t" | "nct" | "exact",
        /// Known-σ approximation Φ(√n (δ + λ)) (s replaced by σ).
        Normal = "normal",
    }
}

impl Regime {
    /// The rounding rule of the regime's TNE table.
    pub fn rounding(self) -> Rounding {
        match self {
            Regime::Eu | Regime::Uk2006 => Rounding::UpTenth,
            Regime::OimlR87_2004 => Rounding::UpTenthThenWhole,
            Regime::China2005 => Rounding::HalfEvenTenthThenWhole,
        }
    }

    /// The regime's T2 policy.
    pub fn t2_policy(self) -> T2Policy {
        match self {
            Regime::Eu | Regime::Uk2006 => T2Policy::NotChecked,
            Regime::OimlR87_2004 | Regime::China2005 => T2Policy::Any,
        }
    }

    fn is_eu(self) -> bool {
        matches!(self, Regime::Eu | Regime::Uk2006)
    }
}
