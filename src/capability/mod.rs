//! Process capability: sigma estimators, capability and performance indices,
//! confidence intervals, normality test and grouped (batch) studies.
//!
//! Conventions follow Minitab's "Normal Capability Analysis" (see
//! `reference/capability_notes.md` for the sources): within σ by the
//! pooled SD with c4(d + 1) for subgroups and MR̄/d2(2) for individuals,
//! overall σ the sample SD, Cp intervals by chi-square with the degrees of
//! freedom of the σ method, Cpk by Bissell, Cpm by Boyles.

mod batch;
mod bootstrap;
mod boxcox;
mod intervals;
mod nonnormal;
mod normality;
mod rng;
mod sigma;
mod study;

pub use batch::{capability_by, Layout};
pub use bootstrap::{bootstrap_interval, Bootstrap, BootstrapInterval, BootstrapMethod};
pub use boxcox::{boxcox_capability, boxcox_lambda, boxcox_llf, BoxCoxCapability, Lambda};
pub use intervals::{bissell_interval, boyles_df, chi2_interval, Bound, Interval};
pub use nonnormal::{
    fit, percentile_capability, quantile_type6, Distribution, Fit, PercentileCapability, P_HIGH,
    P_LOW,
};
pub use normality::AndersonDarling;
pub use sigma::WithinMethod;
pub use study::{capability, Capability, NanPolicy, Options, Ppm, Spec, Subgroups, INDEX_NAMES};
