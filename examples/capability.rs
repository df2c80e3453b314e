//! A capability study of subgrouped measurements, with the indices'
//! confidence intervals.
//!
//! `cargo run --example capability`

use qualstat::capability::{capability, Index, Options, Spec, Subgroups};

fn main() -> qualstat::error::Result<()> {
    // Piston-ring diameters (mm): the first 5 trial subgroups of 5 of qcc's
    // `pistonrings` data (Montgomery, Introduction to SQC, Table 6.3).
    let data = [
        74.030, 74.002, 74.019, 73.992, 74.008, 73.995, 73.992, 74.001, 74.011, 74.004, 73.988,
        74.024, 74.021, 74.005, 74.002, 74.002, 73.996, 73.993, 74.015, 74.009, 73.992, 74.007,
        74.015, 73.989, 74.014,
    ];
    let spec = Spec {
        lsl: Some(73.95),
        usl: Some(74.05),
        target: Some(74.0),
    };
    let study = capability(&data, &Subgroups::Size(5), &spec, &Options::default())?;
    println!(
        "n = {}, mean = {:.4}, sigma within = {:.5} ({}), overall = {:.5}",
        study.n, study.mean, study.sigma_within, study.within, study.sigma_overall
    );
    for index in [Index::Cp, Index::Cpk, Index::Pp, Index::Ppk] {
        if let (Some(value), Some(ci)) = (study.index(index), study.interval(index)) {
            println!(
                "{index:<4} {value:.3}  95 % interval [{:.3}, {:.3}]",
                ci.lower, ci.upper
            );
        }
    }
    Ok(())
}
