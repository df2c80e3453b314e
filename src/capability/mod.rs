//! Process capability: sigma estimators, capability and performance indices,
//! confidence intervals, normality test and grouped (batch) studies.
//!
//! Conventions follow Minitab's "Normal Capability Analysis" (see
//! `reference/capability_notes.md` for the sources): within σ by the
//! pooled SD with c4(d + 1) for subgroups and MR̄/d2(2) for individuals,
//! overall σ the sample SD, Cp intervals by chi-square with the degrees of
//! freedom of the σ method, Cpk by Bissell, Cpm by Boyles.
//!
//! [`analyze`] is the one entry point with every option (model, intervals)
//! and a complete result; [`capability_by`] runs it per group. The building
//! blocks it combines ([`capability`], [`boxcox_capability`],
//! [`percentile_capability`], [`bootstrap_interval`]) are public too.

mod analysis;
mod batch;
mod bootstrap;
mod boxcox;
mod intervals;
mod nonnormal;
mod normality;
pub(crate) mod rng;
pub(crate) mod sigma;
mod study;
mod zbench;

pub use crate::proportion::{Bound, Interval};
pub use analysis::{analyze, Fitted, IntervalMethod, Model, Study, StudyOptions};
pub use batch::{capability_by, Layout};
pub use bootstrap::{
    bootstrap_interval, Bootstrap, BootstrapInterval, BootstrapMethod, MAX_RESAMPLES,
};
pub use boxcox::{
    boxcox_capability, boxcox_lambda, boxcox_llf, BoxCoxCapability, Lambda, LambdaRule,
};
pub use intervals::{bissell_interval, boyles_df, chi2_interval};
pub use nonnormal::{
    fit, percentile_capability, quantile_type6, Distribution, Fit, PercentileCapability, P_HIGH,
    P_LOW,
};
pub use normality::AndersonDarling;
pub use sigma::WithinMethod;
pub use study::{capability, Capability, Index, NanPolicy, Options, Ppm, Spec, Subgroups};
