//! Lot decisions in a loop, as an inspection service would run them: each
//! incoming lot is inspected under the current switching state of ISO 2859-1,
//! stage by stage for a double plan, and the state moves with the results.
//!
//! `cargo run --example lot_service`

use qualstat::plan::Outcome;
use qualstat::standards::iso2859_1::{Edition, Kind, Level, Scheme};

/// A stand-in for the inspection floor: nonconforming items found in each
/// sample drawn (deterministic, so the example prints the same every time).
fn inspect_sample(lot: usize, stage: usize) -> u64 {
    [0, 2, 1, 3, 0, 1, 4, 2, 0, 2, 1, 0, 5, 3][(lot * 2 + stage) % 14]
}

fn main() -> qualstat::error::Result<()> {
    let mut scheme = Scheme::new(1.0, Level::II, Kind::Double, Edition::Z14)?;
    for lot in 0..12 {
        let lot_size = 1500 + 100 * lot as u64;
        let used = scheme.current_plan(lot_size)?;
        // Draw samples until the plan decides (a double plan may need a second).
        let mut counts = Vec::new();
        let decision = loop {
            counts.push(inspect_sample(lot, counts.len()));
            let d = used.plan.decide(&counts)?;
            if d.outcome != Outcome::Continue {
                break d;
            }
        };
        let state = scheme.state();
        let record = scheme.inspect(lot_size, &counts)?;
        assert_eq!(record.decision, decision);
        println!(
            "lot {lot:>2} (N = {lot_size}) {state:<10} code {} counts {counts:?}: {:?} -> {}",
            used.code_letter, decision.outcome, record.state_after
        );
    }
    Ok(())
}
