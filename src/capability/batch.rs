//! Capability studies of many groups at once, in parallel.

use super::analysis::{analyze, Study, StudyOptions};
use super::study::{Spec, Subgroups};
use crate::error::{check_confidence, Error, Result};
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

fn check_offsets(name: &str, offsets: &[usize], len: usize) -> Result<()> {
    if offsets.first() != Some(&0) || offsets.last() != Some(&len) {
        return Err(Error::invalid(
            name,
            format!("{:?}..{:?}", offsets.first(), offsets.last()),
            format!("ascending offsets from 0 to the number of values ({len})"),
        ));
    }
    if let Some(i) = offsets.windows(2).position(|w| w[0] > w[1]) {
        return Err(Error::invalid(
            format!("{name}[{}]", i + 1),
            offsets[i + 1],
            "ascending offsets",
        ));
    }
    Ok(())
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
