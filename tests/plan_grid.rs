//! `prob_accept_grid` shares work between plans (repeated plans once, single
//! plans of one sample size on one pmf recurrence); its results must be those
//! of evaluating every plan alone, bit for bit, for every model.

use qualstat::plan::{prob_accept_grid, AttributePlan, Model};
use qualstat::standards::iso2859_1::{
    plan, Inspection, Kind, Lookup, CODE_LETTERS, PREFERRED_AQLS,
};

fn iso_plans(kind: Kind) -> Vec<AttributePlan> {
    let mut out = Vec::new();
    for inspection in [
        Inspection::Normal,
        Inspection::Tightened,
        Inspection::Reduced,
    ] {
        for code in CODE_LETTERS {
            for aql in PREFERRED_AQLS {
                let lookup = Lookup::new(aql)
                    .code(code)
                    .inspection(inspection)
                    .kind(kind);
                if let Ok(p) = plan(&lookup) {
                    out.push(p.plan);
                }
            }
        }
    }
    out
}

fn assert_grid_is_plan_by_plan(plans: &[AttributePlan], p: &[f64], model: Model, lot: Option<u64>) {
    let grid = prob_accept_grid(plans, p, model, lot).unwrap();
    for (i, plan) in plans.iter().enumerate() {
        for (j, &x) in p.iter().enumerate() {
            let alone = plan.prob_accept(x, model, lot).unwrap();
            assert_eq!(
                grid[[i, j]].to_bits(),
                alone.to_bits(),
                "plan {plan} at p = {x} ({model}): grid {} vs alone {alone}",
                grid[[i, j]]
            );
        }
    }
}

#[test]
fn iso_single_plans_share_work_and_agree_bit_for_bit() {
    let plans = iso_plans(Kind::Single);
    assert!(plans.len() > 1000);
    // Up to p = 0.6 so that f(0) = (1 - p)^n underflows for the large plans
    // (those are evaluated alone), and the edges 0 and 1.
    let mut p: Vec<f64> = (0..=120).map(|i| i as f64 * 0.005).collect();
    p.push(1.0);
    assert_grid_is_plan_by_plan(&plans, &p, Model::Binomial, None);
    let lambda: Vec<f64> = (0..=100).map(|i| i as f64 * 0.02).collect();
    assert_grid_is_plan_by_plan(&plans, &lambda, Model::Poisson, None);
}

#[test]
fn double_plans_and_hypergeometric_models_agree_bit_for_bit() {
    let mut plans = iso_plans(Kind::Double);
    plans.truncate(300);
    plans.push(AttributePlan::single(50, 1).unwrap());
    plans.push(AttributePlan::single(50, 3).unwrap());
    plans.push(AttributePlan::single(50, 1).unwrap());
    let p: Vec<f64> = (0..=40).map(|i| i as f64 * 0.01).collect();
    assert_grid_is_plan_by_plan(&plans, &p, Model::Binomial, None);
    let small: Vec<AttributePlan> = plans
        .iter()
        .filter(|x| x.max_sample_size() <= 500)
        .cloned()
        .collect();
    assert_grid_is_plan_by_plan(&small, &p, Model::Hypergeometric, Some(500));
}

#[test]
fn no_plans_give_an_empty_grid_and_odd_shapes_transpose_exactly() {
    let p: Vec<f64> = (0..50).map(|i| i as f64 * 0.004).collect();
    let grid = prob_accept_grid(&[], &p, Model::Binomial, None).unwrap();
    assert_eq!(grid.dim(), (0, 50));
    // 3 plans (one repeated) by 33 qualities: tiles cut on both sides.
    let plans = [
        AttributePlan::single(50, 1).unwrap(),
        AttributePlan::double(8, 0, 2, 8, 1).unwrap(),
        AttributePlan::single(50, 1).unwrap(),
    ];
    assert_grid_is_plan_by_plan(&plans, &p[..33], Model::Binomial, None);
}
