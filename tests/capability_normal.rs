//! Normal capability studies against an independent numpy/scipy computation
//! (tests/data/capability_reference.py: random data, seed 20261128; the
//! numbers below are its output) and against qcc's published piston-ring
//! results.

use qualstat::capability::{
    analyze, bissell_interval, capability, capability_by, chi2_interval, Bound, Index, Layout,
    Options, Spec, StudyOptions, Subgroups, WithinMethod,
};
use qualstat::spc::d2;

const DATA: [f64; 60] = [
    10.1447, 9.5543, 9.5558, 9.9822, 9.6894, 10.5304, 11.032, 10.3111, 9.8656, 11.5705, 10.1739,
    10.942, 9.3928, 10.5426, 9.8031, 9.6233, 10.0732, 9.6722, 9.509, 9.9936, 9.538, 10.3892,
    9.4767, 10.574, 9.2685, 10.9782, 10.1463, 10.0739, 10.3948, 10.3494, 9.6748, 10.653, 11.1864,
    10.5221, 10.7133, 9.0965, 9.025, 9.7332, 9.2429, 9.473, 10.1618, 9.6593, 9.5855, 9.6953,
    10.9198, 10.2958, 9.6371, 10.2794, 9.7771, 10.0887, 10.5255, 10.3996, 9.9112, 10.1223, 9.7806,
    10.6938, 9.6928, 8.9371, 10.0257, 10.4191,
];
const SIZES: [usize; 13] = [3, 5, 4, 6, 2, 5, 7, 4, 3, 5, 6, 4, 6];
const AD: (f64, f64) = (0.3290838307992203, 0.5094592422561602); // statsmodels normal_ad

type Case = (
    &'static str,
    fn() -> Subgroups,
    &'static [(&'static str, f64)],
);

const CASES: [Case; 8] = [
    // pooled, size 5
    (
        "pooled",
        || Subgroups::Size(5),
        &[
            ("sigma", 0.4823563541660523),
            ("df", 48.0),
            ("cp", 1.0020254302837373),
            ("cpl", 0.9338232028358279),
            ("cpu", 1.0702276577316467),
            ("cpk", 0.9338232028358279),
            ("pp", 0.8615171931644454),
            ("ppk", 0.802878570049014),
            ("cpm", 0.8036017644159053),
            ("cp_lo", 0.8020704209798509),
            ("cp_hi", 1.2015828953990086),
            ("cpk_lo", 0.7288644388285251),
            ("cpk_hi", 1.1387819668431307),
            ("pp_lo", 0.7063573657438007),
            ("pp_hi", 1.0163786976119986),
            ("ppk_lo", 0.635250854511028),
            ("ppk_hi", 0.9705062855869999),
            ("cpm_lo", 0.6603853298196874),
            ("cpm_hi", 0.9465440637846168),
            ("ppm_w", 3205.6212994777634),
            ("ppm_o", 10892.071422355191),
            ("zb_w", 2.7259720557698746),
            ("cp_lower_bound", 0.8320693193615347),
            ("cpk_lower_bound", 0.7618163858677005),
        ],
    ),
    // rbar, size 5
    (
        "rbar",
        || Subgroups::Size(5),
        &[
            ("sigma", 0.4776908603759468),
            ("df", 43.2),
            ("cp", 1.011811975956471),
            ("cpl", 0.9429436334642436),
            ("cpu", 1.0806803184486984),
            ("cpk", 0.9429436334642436),
            ("pp", 0.8615171931644454),
            ("ppk", 0.802878570049014),
            ("cpm", 0.8036017644159053),
            ("cp_lo", 0.7990630595951773),
            ("cp_hi", 1.2241342729646494),
            ("cpk_lo", 0.7269661380848077),
            ("cpk_hi", 1.1589211288436794),
            ("pp_lo", 0.7063573657438007),
            ("pp_hi", 1.0163786976119986),
            ("ppk_lo", 0.635250854511028),
            ("ppk_hi", 0.9705062855869999),
            ("cpm_lo", 0.6603853298196874),
            ("cpm_hi", 0.9465440637846168),
            ("ppm_w", 2929.303664549634),
            ("ppm_o", 10892.071422355191),
            ("zb_w", 2.7555917352561883),
            ("cp_lower_bound", 0.8308478540025465),
            ("cpk_lower_bound", 0.7616896056265193),
        ],
    ),
    // sbar, size 5
    (
        "sbar",
        || Subgroups::Size(5),
        &[
            ("sigma", 0.4804188239727808),
            ("df", 45.599999999999994),
            ("cp", 1.0060666010887154),
            ("cpl", 0.9375893139047282),
            ("cpu", 1.0745438882727025),
            ("cpk", 0.9375893139047282),
            ("pp", 0.8615171931644454),
            ("ppk", 0.802878570049014),
            ("cpm", 0.8036017644159053),
            ("cp_lo", 0.8001265037470581),
            ("cp_hi", 1.2115951995772183),
            ("cpk_lo", 0.7274905168226745),
            ("cpk_hi", 1.147688110986782),
            ("pp_lo", 0.7063573657438007),
            ("pp_hi", 1.0163786976119986),
            ("ppk_lo", 0.635250854511028),
            ("ppk_hi", 0.9705062855869999),
            ("cpm_lo", 0.6603853298196874),
            ("cpm_hi", 0.9465440637846168),
            ("ppm_w", 3088.7346475329146),
            ("ppm_o", 10892.071422355191),
            ("zb_w", 2.7382095890532754),
            ("cp_lower_bound", 0.8309613949645116),
            ("cpk_lower_bound", 0.7612688451999651),
        ],
    ),
    // mr, individuals
    (
        "mr",
        || Subgroups::Individuals,
        &[
            ("sigma", 0.5657101901867233),
            ("df", 59.0),
            ("cp", 0.8543832897438177),
            ("cpl", 0.7962302312547723),
            ("cpu", 0.912536348232863),
            ("cpk", 0.7962302312547723),
            ("pp", 0.8615171931644454),
            ("ppk", 0.802878570049014),
            ("cpm", 0.8036017644159053),
            ("cp_lo", 0.7005082831397076),
            ("cp_hi", 1.0079624436764103),
            ("cpk_lo", 0.6296380704470039),
            ("cpk_hi", 0.9628223920625407),
            ("pp_lo", 0.7063573657438007),
            ("pp_hi", 1.0163786976119986),
            ("ppk_lo", 0.635250854511028),
            ("ppk_hi", 0.9705062855869999),
            ("cpm_lo", 0.6603853298196874),
            ("cpm_hi", 0.9465440637846168),
            ("ppm_w", 11548.645401944419),
            ("ppm_o", 10892.071422355191),
            ("zb_w", 2.2718215484583673),
            ("cp_lower_bound", 0.7237667310848362),
            ("cpk_lower_bound", 0.6564216826856285),
        ],
    ),
    // median_mr, individuals
    (
        "median_mr",
        || Subgroups::Individuals,
        &[
            ("sigma", 0.5591942012095171),
            ("df", 59.0),
            ("cp", 0.86433895825082),
            ("cpl", 0.8055082734786589),
            ("cpu", 0.9231696430229809),
            ("cpk", 0.8055082734786589),
            ("pp", 0.8615171931644454),
            ("ppk", 0.802878570049014),
            ("cpm", 0.8036017644159053),
            ("cp_lo", 0.708670929035368),
            ("cp_hi", 1.0197076873828492),
            ("cpk_lo", 0.6374703495186997),
            ("cpk_hi", 0.9735461974386181),
            ("pp_lo", 0.7063573657438007),
            ("pp_hi", 1.0163786976119986),
            ("ppk_lo", 0.635250854511028),
            ("ppk_hi", 0.9705062855869999),
            ("cpm_lo", 0.6603853298196874),
            ("cpm_hi", 0.9465440637846168),
            ("ppm_w", 10641.772216780746),
            ("ppm_o", 10892.071422355191),
            ("zb_w", 2.3029164498416574),
            ("cp_lower_bound", 0.7322003951529126),
            ("cpk_lower_bound", 0.6644864022243272),
        ],
    ),
    // pooled, unequal
    (
        "pooled",
        || Subgroups::Sizes(SIZES.to_vec()),
        &[
            ("sigma", 0.5202614524319978),
            ("df", 47.0),
            ("cp", 0.9290200745681975),
            ("cpl", 0.8657869105042552),
            ("cpu", 0.9922532386321399),
            ("cpk", 0.8657869105042552),
            ("pp", 0.8615171931644454),
            ("ppk", 0.802878570049014),
            ("cpm", 0.8036017644159053),
            ("cp_lo", 0.7416850052870408),
            ("cp_hi", 1.115981855958131),
            ("cpk_lo", 0.6715013704220216),
            ("cpk_hi", 1.0600724505864887),
            ("pp_lo", 0.7063573657438007),
            ("pp_hi", 1.0163786976119986),
            ("ppk_lo", 0.635250854511028),
            ("ppk_hi", 0.9705062855869999),
            ("cpm_lo", 0.6603853298196874),
            ("cpm_hi", 0.9465440637846168),
            ("ppm_w", 6153.721498582151),
            ("ppm_o", 10892.071422355191),
            ("zb_w", 2.503204435468405),
            ("cp_lower_bound", 0.7697676342023043),
            ("cpk_lower_bound", 0.7027373454157),
        ],
    ),
    // rbar, unequal
    (
        "rbar",
        || Subgroups::Sizes(SIZES.to_vec()),
        &[
            ("sigma", 0.5384261863553773),
            ("df", 42.3),
            ("cp", 0.8976779836898924),
            ("cpl", 0.8365780992276164),
            ("cpu", 0.9587778681521685),
            ("cpk", 0.8365780992276164),
            ("pp", 0.8615171931644454),
            ("ppk", 0.802878570049014),
            ("cpm", 0.8036017644159053),
            ("cp_lo", 0.7069456744823407),
            ("cp_hi", 1.0880274904413887),
            ("cpk_lo", 0.639365756091458),
            ("cpk_hi", 1.033790442363775),
            ("pp_lo", 0.7063573657438007),
            ("pp_hi", 1.0163786976119986),
            ("ppk_lo", 0.635250854511028),
            ("ppk_hi", 0.9705062855869999),
            ("cpm_lo", 0.6603853298196874),
            ("cpm_hi", 0.9465440637846168),
            ("ppm_w", 8052.72295606275),
            ("ppm_o", 10892.071422355191),
            ("zb_w", 2.4065171931266534),
            ("cp_lower_bound", 0.7354163499089339),
            ("cpk_lower_bound", 0.6710722835872172),
        ],
    ),
    // sbar, unequal (n-bar 4.6 -> f 0.95)
    (
        "sbar",
        || Subgroups::Sizes(SIZES.to_vec()),
        &[
            ("sigma", 0.5224048752528572),
            ("df", 44.64999999999999),
            ("cp", 0.9252083129955244),
            ("cpl", 0.8622345940732917),
            ("cpu", 0.9881820319177572),
            ("cpk", 0.8622345940732917),
            ("pp", 0.8615171931644454),
            ("ppk", 0.802878570049014),
            ("cpm", 0.8036017644159053),
            ("cp_lo", 0.7338302609886173),
            ("cp_hi", 1.116203348983915),
            ("cpk_lo", 0.664509847111042),
            ("cpk_hi", 1.0599593410355415),
            ("pp_lo", 0.7063573657438007),
            ("pp_hi", 1.0163786976119986),
            ("ppk_lo", 0.635250854511028),
            ("ppk_hi", 0.9705062855869999),
            ("cpm_lo", 0.6603853298196874),
            ("cpm_hi", 0.9465440637846168),
            ("ppm_w", 6360.591815075006),
            ("ppm_o", 10892.071422355191),
            ("zb_w", 2.491480817133958),
            ("cp_lower_bound", 0.7624606832666975),
            ("cpk_lower_bound", 0.6962987555863207),
        ],
    ),
];

const LSL: f64 = 8.7;
const USL: f64 = 11.6;
const TARGET: f64 = 10.2;

/// Relative tolerance: the formulas are closed forms, but Φ, Φ⁻¹ and the
/// chi-square quantile come from numerics:: (statrs today, ~1e-10 relative).
fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

#[test]
fn indices_and_intervals_match_numpy_scipy() {
    let spec = Spec {
        lsl: Some(LSL),
        usl: Some(USL),
        target: Some(TARGET),
    };
    for (within, layout, want) in CASES {
        let opts = Options {
            within: within.parse::<WithinMethod>().unwrap(),
            ..Options::default()
        };
        let r = capability(&DATA, &layout(), &spec, &opts).unwrap();
        let lower = Options {
            bound: Bound::Lower,
            ..opts
        };
        let rl = capability(&DATA, &layout(), &spec, &lower).unwrap();
        for &(name, value) in want {
            let ours = match name {
                "sigma" => r.sigma_within,
                "df" => r.df_within,
                "cp" => r.cp.unwrap(),
                "cpl" => r.cpl.unwrap(),
                "cpu" => r.cpu.unwrap(),
                "cpk" => r.cpk.unwrap(),
                "pp" => r.pp.unwrap(),
                "ppk" => r.ppk.unwrap(),
                "cpm" => r.cpm.unwrap(),
                "cp_lo" => r.cp_interval.unwrap().lower,
                "cp_hi" => r.cp_interval.unwrap().upper,
                "cpk_lo" => r.cpk_interval.unwrap().lower,
                "cpk_hi" => r.cpk_interval.unwrap().upper,
                "pp_lo" => r.pp_interval.unwrap().lower,
                "pp_hi" => r.pp_interval.unwrap().upper,
                "ppk_lo" => r.ppk_interval.unwrap().lower,
                "ppk_hi" => r.ppk_interval.unwrap().upper,
                "cpm_lo" => r.cpm_interval.unwrap().lower,
                "cpm_hi" => r.cpm_interval.unwrap().upper,
                "ppm_w" => r.ppm_within.total,
                "ppm_o" => r.ppm_overall.total,
                "zb_w" => r.z_bench_within,
                "cp_lower_bound" => rl.cp_interval.unwrap().lower,
                "cpk_lower_bound" => rl.cpk_interval.unwrap().lower,
                other => panic!("unknown reference {other}"),
            };
            assert!(
                close(ours, value, 1e-8),
                "{within} {name}: ours {ours}, numpy {value}"
            );
        }
        assert_eq!(rl.cp_interval.unwrap().upper, f64::INFINITY);
        assert!(
            close(r.normality.statistic, AD.0, 1e-8),
            "AD statistic {}",
            r.normality.statistic
        );
        assert!(
            close(r.normality.p_value, AD.1, 1e-7),
            "AD p {}",
            r.normality.p_value
        );
    }
}

fn piston_rings_trial() -> Vec<f64> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("reference/datasets/pistonrings.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reference dataset {} is required: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter(|l| l.ends_with("TRUE"))
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect()
}

/// Rounds to `digits` decimals, as qcc prints.
fn printed(x: f64, decimals: i32) -> f64 {
    let p = 10f64.powi(decimals);
    (x * p).round() / p
}

/// qcc's process.capability on the 25 trial subgroups of `pistonrings`
/// (qcc documentation example; values as printed by qcc 2.7 and asserted
/// in the mistat port's test_processCapability.py): σ = R̄/d2 with qcc's
/// 3-decimal d2(5) = 2.326, so our R̄/d2 is converted by d2(5)/2.326 first.
#[test]
fn qcc_piston_rings() {
    let x = piston_rings_trial();
    assert_eq!(x.len(), 125);
    let opts = Options {
        within: WithinMethod::Rbar,
        ..Options::default()
    };
    let table = d2(5).unwrap() / 2.326;
    let cases: [(f64, f64, [f64; 4], i32); 3] = [
        (73.95, 74.05, [1.703, 1.743, 1.663, 1.663], 3),
        (73.99, 74.01, [0.3407, 0.3807, 0.3006, 0.3006], 4),
        (73.99, 74.1, [1.8736, 0.3807, 3.3665, 0.3807], 4),
    ];
    for (lsl, usl, want, dec) in cases {
        let spec = Spec {
            lsl: Some(lsl),
            usl: Some(usl),
            target: None,
        };
        let r = capability(&x, &Subgroups::Size(5), &spec, &opts).unwrap();
        assert!((r.mean - 74.00118).abs() < 5e-6);
        assert!((r.sigma_within * table - 0.009785039).abs() < 5e-10);
        let ours = [r.cp, r.cpl, r.cpu, r.cpk].map(|v| printed(v.unwrap() / table, dec));
        assert_eq!(ours, want, "limits {lsl}..{usl}");
    }
    // qcc's intervals: chi-square with N − 1 = 124 df for Cp, Bissell with
    // N = 125 for Cpk (qcc's choice of df; Minitab's would be the Rbar df).
    let cp = chi2_interval(0.1 / (6.0 * 0.009785039), 124.0, 0.95, Bound::TwoSided).unwrap();
    assert_eq!([printed(cp.lower, 3), printed(cp.upper, 3)], [1.491, 1.915]);
    let cpk = 0.04882 / (3.0 * 0.009785039); // (USL − x̄)/(3σ) with x̄ = 74.00118
    let i = bissell_interval(cpk, 125, 124.0, 0.95, Bound::TwoSided).unwrap();
    assert_eq!([printed(i.lower, 3), printed(i.upper, 3)], [1.448, 1.878]);
    let i = bissell_interval(0.3006, 125, 124.0, 0.95, Bound::TwoSided).unwrap();
    assert_eq!([printed(i.lower, 4), printed(i.upper, 4)], [0.2312, 0.37]);
}

#[test]
fn one_sided_specifications_give_none_for_two_sided_indices() {
    let spec = Spec {
        lsl: None,
        usl: Some(USL),
        target: None,
    };
    let r = capability(&DATA, &Subgroups::Size(5), &spec, &Options::default()).unwrap();
    assert!(r.cp.is_none() && r.pp.is_none() && r.cpl.is_none() && r.cpm.is_none());
    assert_eq!(r.cpk, r.cpu);
    assert_eq!(r.ppk, r.ppu);
    assert!(r.cp_interval.is_none() && r.cpk_interval.is_some());
    assert!(r.ppm_within.below.is_none() && r.ppm_within.above.is_some());
    assert_eq!(r.interval(Index::Cp), None);
    assert_eq!(r.interval("CPK".parse().unwrap()), r.cpk_interval);
    assert!("cpx".parse::<Index>().is_err());
    // Upper limit and target: Cpm = (USL − T)/(3τ).
    let spec = Spec {
        lsl: None,
        usl: Some(USL),
        target: Some(TARGET),
    };
    let r = capability(&DATA, &Subgroups::Size(5), &spec, &Options::default()).unwrap();
    let tau = (DATA.iter().map(|v| (v - TARGET).powi(2)).sum::<f64>() / 59.0).sqrt();
    assert!(close(r.cpm.unwrap(), (USL - TARGET) / (3.0 * tau), 1e-12));
}

#[test]
fn bad_input_is_a_clear_error() {
    let spec = Spec {
        lsl: Some(LSL),
        usl: Some(USL),
        target: None,
    };
    let o = Options::default();
    let err = |d: &[f64], s: &Subgroups, sp: &Spec, o: &Options| {
        capability(d, s, sp, o).unwrap_err().to_string()
    };
    assert!(err(&[1.0], &Subgroups::Individuals, &spec, &o).contains("at least 2"));
    assert!(err(&[], &Subgroups::Individuals, &spec, &o).contains("at least 2"));
    assert!(
        err(&[10.0; 10], &Subgroups::Size(2), &spec, &o).contains("non-zero standard deviation")
    );
    let bad = Spec {
        lsl: Some(12.0),
        usl: Some(11.0),
        target: None,
    };
    assert!(err(&DATA, &Subgroups::Size(5), &bad, &o).contains("lsl = 12"));
    let bad = Spec {
        lsl: Some(LSL),
        usl: Some(USL),
        target: Some(12.0),
    };
    assert!(err(&DATA, &Subgroups::Size(5), &bad, &o).contains("target = 12"));
    let bad = Spec {
        lsl: None,
        usl: None,
        target: None,
    };
    assert!(err(&DATA, &Subgroups::Size(5), &bad, &o).contains("at least one specification limit"));
    let bad = Spec {
        lsl: Some(f64::NAN),
        usl: Some(USL),
        target: None,
    };
    assert!(err(&DATA, &Subgroups::Size(5), &bad, &o).contains("lsl = NaN"));
    assert!(err(&DATA, &Subgroups::Size(7), &spec, &o).contains("subgroup_size = 7"));
    assert!(err(&DATA, &Subgroups::Size(0), &spec, &o).contains("subgroup_size = 0"));
    let rbar = Options {
        within: WithinMethod::Rbar,
        ..o
    };
    assert!(err(&DATA, &Subgroups::Size(1), &spec, &rbar).contains("within = rbar"));
    assert!(err(&DATA, &Subgroups::Individuals, &spec, &rbar).contains("within = rbar"));
    let mut sizes = vec![5; 11];
    sizes.extend([1, 4]);
    assert!(err(&DATA, &Subgroups::Sizes(sizes), &spec, &rbar).contains("subgroups[11]"));
    assert!(err(&DATA, &Subgroups::Sizes(vec![5; 3]), &spec, &o).contains("length"));
    let mr = Options {
        within: WithinMethod::MovingRange,
        ..o
    };
    assert!(err(&DATA, &Subgroups::Size(5), &spec, &mr).contains("within = mr"));
    let mut nan = DATA;
    nan[7] = f64::NAN;
    assert!(err(&nan, &Subgroups::Size(5), &spec, &o).contains("data[7] = NaN"));
    nan[7] = f64::INFINITY;
    assert!(err(&nan, &Subgroups::Size(5), &spec, &o).contains("data[7] = inf"));
    let conf = Options {
        confidence: 1.0,
        ..o
    };
    assert!(err(&DATA, &Subgroups::Size(5), &spec, &conf).contains("confidence"));
    // Constant subgroups with different means: within σ is 0.
    let steps = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
    let e = capability(&steps, &Subgroups::Size(2), &spec, &o).unwrap_err();
    assert!(matches!(e, qualstat::Error::NoSolution(_)), "{e}");
}

#[test]
fn nan_omit_drops_values_from_their_subgroups() {
    let spec = Spec {
        lsl: Some(LSL),
        usl: Some(USL),
        target: None,
    };
    let mut with_nan = DATA.to_vec();
    with_nan.insert(5, f64::NAN); // into the second subgroup, which becomes 6 long
    let omit = Options {
        nan_policy: qualstat::capability::NanPolicy::Omit,
        ..Options::default()
    };
    let mut sizes = vec![5; 12];
    sizes[1] = 6;
    let a = capability(&with_nan, &Subgroups::Sizes(sizes), &spec, &omit).unwrap();
    let b = capability(&DATA, &Subgroups::Size(5), &spec, &Options::default()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn batch_equals_one_by_one() {
    // Three groups of 20 (4 subgroups of 5) with their own specs.
    let offsets = [0, 20, 40, 60];
    let specs: Vec<Spec> = (0..3)
        .map(|g| Spec {
            lsl: Some(LSL + 0.1 * g as f64),
            usl: Some(USL),
            target: None,
        })
        .collect();
    let o = StudyOptions::from(Options::default());
    let res = capability_by(&DATA, &offsets, Layout::Size(5), &specs, &o).unwrap();
    for g in 0..3 {
        let one = analyze(
            &DATA[offsets[g]..offsets[g + 1]],
            &Subgroups::Size(5),
            &specs[g],
            &o,
        );
        assert_eq!(res[g], one);
    }
    // Subgroup offsets nested within the groups, unequal sizes.
    let sub = [0, 3, 8, 12, 20, 26, 31, 40, 45, 52, 60];
    let res = capability_by(&DATA, &offsets, Layout::Offsets(&sub), &specs[..1], &o).unwrap();
    let one = analyze(
        &DATA[20..40],
        &Subgroups::Sizes(vec![6, 5, 9]),
        &specs[0],
        &o,
    );
    assert_eq!(res[1], one);
    // A constant group fails alone.
    let mut x = DATA.to_vec();
    x[20..40].fill(1.0);
    let res = capability_by(&x, &offsets, Layout::Individuals, &specs[..1], &o).unwrap();
    assert!(res[0].is_ok() && res[1].is_err() && res[2].is_ok());
    // Malformed batch arguments.
    assert!(capability_by(&DATA, &[0, 20, 59], Layout::Individuals, &specs, &o).is_err());
    assert!(capability_by(&DATA, &[0, 30, 20, 60], Layout::Individuals, &specs, &o).is_err());
    assert!(capability_by(&DATA, &offsets, Layout::Individuals, &specs[..2], &o).is_err());
    let split = [0, 3, 8, 12, 22, 60];
    assert!(capability_by(&DATA, &offsets, Layout::Offsets(&split), &specs, &o).is_err());
}
