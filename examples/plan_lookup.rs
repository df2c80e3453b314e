//! Look up an ISO 2859-1 / ANSI Z1.4 plan and print its OC points.
//!
//! `cargo run --example plan_lookup` (add `--features serde` to also print
//! the plan as JSON).

use qualstat::plan::Model;
use qualstat::standards::iso2859_1::{plan, Kind, Level, Lookup};

fn main() -> qualstat::error::Result<()> {
    // AQL 1.0 % (in percent, as the standard prints it), a lot of 2,000, level II.
    let lookup = Lookup::new(1.0).lot_size(2000).level(Level::II);
    let single = plan(&lookup)?;
    println!(
        "code {}, n = {:?}, Ac = {:?}, Re = {:?} ({})",
        single.code_letter,
        single.plan.n(),
        single.plan.ac(),
        single.plan.re(),
        single.table
    );
    let double = plan(&lookup.kind(Kind::Double))?;
    println!(
        "double: n = {:?}, Ac = {:?}, Re = {:?} ({})",
        double.plan.n(),
        double.plan.ac(),
        double.plan.re(),
        double.table
    );
    // Quality levels are fractions everywhere else: AQL 1.0 % is p = 0.01.
    for p in [0.005, single.aql_fraction, 0.02, 0.05, 0.10] {
        let pa = single.plan.prob_accept(p, Model::Binomial, None)?;
        println!("  p = {p:<6} Pa = {pa:.4}");
    }
    #[cfg(feature = "serde")]
    println!("{}", serde_json::to_string(&single).unwrap_or_default());
    Ok(())
}
