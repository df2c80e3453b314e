//! Simulation: the Cp (chi-square), Cpk/Ppk (Bissell) and Cpm (Boyles)
//! intervals cover the true index at about the nominal rate.

mod common;

use common::normals;
use qualstat::capability::{capability, Options, Spec, Subgroups};
use rand::{rngs::StdRng, SeedableRng};

#[test]
fn intervals_cover_the_true_index_at_about_95_percent() {
    let mut rng = StdRng::seed_from_u64(7);
    // Process N(0.5, 1); LSL −3, USL 4, target 0.5: Cp = Pp = 7/6,
    // Cpk = Ppk = 3.5/3, Cpm = 7/6 (on target).
    let spec = Spec {
        lsl: Some(-3.0),
        usl: Some(4.0),
        target: Some(0.5),
    };
    let (true_cp, true_cpk) = (7.0 / 6.0, 3.5 / 3.0);
    let reps = 2000;
    let mut hits = [0usize; 4];
    for _ in 0..reps {
        let x: Vec<f64> = normals(&mut rng, 100).iter().map(|z| z + 0.5).collect();
        let r = capability(&x, &Subgroups::Size(5), &spec, &Options::default()).unwrap();
        let covers = |i: Option<qualstat::capability::Interval>, t: f64| {
            let i = i.unwrap();
            usize::from(i.lower <= t && t <= i.upper)
        };
        hits[0] += covers(r.cp_interval, true_cp);
        hits[1] += covers(r.cpk_interval, true_cpk);
        hits[2] += covers(r.ppk_interval, true_cpk);
        hits[3] += covers(r.cpm_interval, true_cp);
    }
    for (name, h) in ["cp", "cpk", "ppk", "cpm"].iter().zip(hits) {
        let rate = h as f64 / reps as f64;
        // Binomial sd at 2000 reps is 0.005; allow the approximations' bias.
        assert!((0.93..=0.97).contains(&rate), "{name}: coverage {rate}");
    }
}
