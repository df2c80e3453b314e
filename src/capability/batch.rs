//! Capability studies of many groups at once, in parallel.

use super::analysis::{analyze, from_normal, Fitted, IntervalMethod, Model, Study, StudyOptions};
use super::sigma::SubgroupStats;
use super::study::{capability_from_summary, Spec, Subgroups, Summary};
use crate::error::{check_confidence, check_offsets, Error, Result};
use rayon::prelude::*;

/// Subgroup layout shared by all groups of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout<'a> {
    /// Individual values in each group.
    Individuals,
    /// Equal consecutive subgroups of this size within each group.
    Size(usize),
    /// Subgroup boundaries as offsets into `values` (ascending, from 0 to
    /// `values.len()`); every group boundary must also be a subgroup boundary.
    Offsets(&'a [usize]),
}

/// Capability studies of the groups `values[group_offsets[g]..group_offsets[g + 1]]`,
/// computed in parallel on qualstat's pool.
///
/// Each group's study is [`analyze`] with `options` (any model, classic or
/// bootstrap intervals; a bootstrap uses the same seed in every group, so a
/// group's result equals its single study). `specs` holds one [`Spec`] for
/// all groups or one per group. Each group's study succeeds or fails on its own (a group with constant values gives its
/// own error); the outer `Result` reports malformed offsets, specs or options.
///
/// # Errors
/// [`Error::InvalidArgument`] for offsets that are not ascending from 0 to
/// `values.len()`, subgroup offsets that split a group boundary, or an invalid
/// confidence; [`Error::LengthMismatch`] if `specs` has neither 1 nor one
/// entry per group.
pub fn capability_by(
    values: &[f64],
    group_offsets: &[usize],
    layout: Layout<'_>,
    specs: &[Spec],
    options: &StudyOptions,
) -> Result<Vec<Result<Study>>> {
    check_confidence(options.options.confidence)?;
    check_offsets("group_offsets", group_offsets, values.len())?;
    let groups = group_offsets.len() - 1;
    if specs.len() != 1 && specs.len() != groups {
        return Err(Error::length_mismatch(
            "specs",
            specs.len(),
            "groups",
            groups,
        ));
    }
    if let Layout::Offsets(sub) = layout {
        check_offsets("subgroup_offsets", sub, values.len())?;
        if let Some(&g) = group_offsets.iter().find(|g| sub.binary_search(g).is_err()) {
            return Err(Error::invalid(
                "subgroup_offsets",
                format!("no boundary at group offset {g}"),
                "subgroups nested within groups",
            ));
        }
    }
    let one = |g: usize| -> Result<Study> {
        let (start, end) = (group_offsets[g], group_offsets[g + 1]);
        let spec = specs.get(g).or(specs.first()).copied().unwrap_or_default();
        let subgroups = match layout {
            Layout::Individuals => Subgroups::Individuals,
            Layout::Size(k) => Subgroups::Size(k),
            Layout::Offsets(sub) => {
                let lo = sub.partition_point(|&o| o < start);
                let hi = sub.partition_point(|&o| o <= end);
                Subgroups::Sizes(sub[lo..hi].windows(2).map(|w| w[1] - w[0]).collect())
            }
        };
        analyze(&values[start..end], &subgroups, &spec, options)
    };
    Ok(crate::parallel::install(|| {
        (0..groups).into_par_iter().map(one).collect()
    }))
}

/// Normal studies with classic intervals of many groups from their
/// [`Summary`], in parallel: group `g`'s subgroups are
/// `stats[subgroup_offsets[g]..subgroup_offsets[g + 1]]` (`None`: individual
/// values), `size` the common subgroup size to check, if one was given.
/// Each group's study is [`capability_from_summary`] (succeeding or failing
/// on its own); `specs` holds one [`Spec`] for all groups or one per group.
///
/// # Errors
/// [`Error::NotAvailable`] for a model other than the normal one or
/// bootstrap intervals (they need every value); [`Error::InvalidArgument`]
/// for subgroup offsets that are not ascending from 0 to `stats.len()` with
/// one entry per group and one more, or an invalid confidence;
/// [`Error::LengthMismatch`] if `specs` has neither 1 nor one entry per group.
pub fn capability_from_summaries(
    summaries: &[Summary],
    subgroup_offsets: Option<&[usize]>,
    stats: &[SubgroupStats],
    size: Option<usize>,
    specs: &[Spec],
    options: &StudyOptions,
) -> Result<Vec<Result<Study>>> {
    check_confidence(options.options.confidence)?;
    if options.model != Model::Normal || options.method != IntervalMethod::Classic {
        return Err(Error::NotAvailable(
            "a study from summaries is the normal model with classic intervals: Box-Cox, the percentile method and bootstrap intervals need every value".into(),
        ));
    }
    let groups = summaries.len();
    if specs.len() != 1 && specs.len() != groups {
        return Err(Error::length_mismatch(
            "specs",
            specs.len(),
            "groups",
            groups,
        ));
    }
    if let Some(offsets) = subgroup_offsets {
        check_offsets("subgroup_offsets", offsets, stats.len())?;
        if offsets.len() != groups + 1 {
            return Err(Error::length_mismatch(
                "subgroup_offsets",
                offsets.len(),
                "groups + 1",
                groups + 1,
            ));
        }
    }
    let one = |g: usize| -> Result<Study> {
        let spec = specs.get(g).or(specs.first()).copied().unwrap_or_default();
        let subgroups = subgroup_offsets.map(|o| &stats[o[g]..o[g + 1]]);
        let c = capability_from_summary(&summaries[g], subgroups, size, &spec, &options.options)?;
        let intervals = std::array::from_fn(|k| c.interval(super::study::Index::ALL[k]));
        Ok(from_normal(
            c,
            intervals,
            options,
            Fitted::Normal,
            Vec::new(),
        ))
    };
    Ok(crate::parallel::install(|| {
        (0..groups).into_par_iter().map(one).collect()
    }))
}
