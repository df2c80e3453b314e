//! Every cell of the Z1.9 reference tables in reference/tables
//! reproduced by `qualstat::standards::iso3951`, and the switching scheme.

use qualstat::plan::Outcome;
use qualstat::standards::iso2859_1::State;
use qualstat::standards::iso3951::{
    code_letter, plan, Inspection, Level, Lookup, Scheme, CODE_LETTERS,
};
use qualstat::variables::{Control, Method, VariablesPlan};
mod common;

use common::read_csv;

fn level_of(name: &str) -> Level {
    name.parse::<Level>().unwrap()
}

fn lookup(code: &str, aql: f64, inspection: Inspection, method: Method) -> Lookup {
    Lookup {
        code: code.chars().next(),
        inspection,
        tables: method,
        ..Lookup::new(aql)
    }
}

#[test]
fn table_a2_code_letters() {
    let rows = read_csv("z19_tableA2_code_letters.csv");
    assert_eq!(rows.len(), 16);
    for r in &rows {
        let lo: u64 = r["lot_min"].parse::<f64>().unwrap() as u64;
        let hi: Option<u64> = r["lot_max"].parse::<f64>().ok().map(|v| v as u64);
        for level in ["S-3", "S-4", "I", "II", "III"] {
            let want = r[level].chars().next().unwrap();
            assert_eq!(
                code_letter(lo, level_of(level)).unwrap(),
                want,
                "{lo} {level}"
            );
            let top = hi.unwrap_or(u64::MAX);
            assert_eq!(
                code_letter(top, level_of(level)).unwrap(),
                want,
                "{top} {level}"
            );
        }
    }
}

#[test]
fn every_n_and_m_cell() {
    let rows = read_csv("z19_M_and_n.csv");
    assert_eq!(rows.len(), 924);
    let mut derived = 0;
    for r in &rows {
        let method = if r["sigma"] == "unknown" {
            Method::S
        } else {
            Method::Sigma
        };
        let inspection = r["type"].parse::<Inspection>().unwrap();
        let aql: f64 = r["aql"].parse().unwrap();
        let p = plan(&lookup(&r["code"], aql, inspection, method)).unwrap();
        let n: u64 = r["n"].parse().unwrap();
        let m: f64 = r["M_percent"].parse().unwrap();
        assert_eq!(p.plan.n(), n, "{r:?}");
        assert_eq!(p.m_percent.parse::<f64>().unwrap(), m, "{r:?}");
        assert_eq!(p.plan.m(), m / 100.0, "{r:?}");
        assert_eq!(
            p.note.is_some(),
            r["arrow_or_suspect"].starts_with("yes"),
            "{r:?}"
        );
        assert_eq!(p.plan.method(), method);
        if p.k_derived {
            derived += 1;
            // k derived from M: mapping k back gives M.
            let back = VariablesPlan::new(n, p.plan.k(), method, None).unwrap().m();
            assert!((back - m / 100.0).abs() <= 1e-9 * m / 100.0, "{r:?}");
        } else {
            // Printed k agrees with the rounded M to within 0.015.
            let from_m = VariablesPlan::m_form(n, m / 100.0, method, None)
                .unwrap()
                .k();
            let k: f64 = p.k_printed.unwrap().parse().unwrap();
            assert_eq!(p.plan.k(), k);
            assert!(
                (from_m - k).abs() <= 0.015,
                "{r:?}: k {k} vs from M {from_m}"
            );
        }
    }
    assert!(derived > 0 && derived < rows.len());
}

#[test]
fn every_printed_k_cell() {
    let rows = read_csv("z19_tableB1_k_excerpt.csv");
    assert_eq!(rows.len(), 108);
    for r in &rows {
        let code = &r["code"];
        let n: u64 = r["n"].parse().unwrap();
        let k = &r["k"];
        // Tightened AQL 15 (the column of normal AQL 10) is outside the n/M
        // tables; its k is reproduced through the normal column.
        let mut columns = vec![];
        let tightened = r["tightened_aql"].parse::<f64>().unwrap();
        if tightened <= 10.0 {
            columns.push((Inspection::Tightened, tightened));
        }
        if let Ok(a) = r["normal_aql"].parse::<f64>() {
            columns.push((Inspection::Normal, a));
        }
        for (inspection, aql) in columns {
            let p = plan(&lookup(code, aql, inspection, Method::S)).unwrap();
            assert_eq!(p.plan.n(), n, "{r:?}");
            assert_eq!(p.k_printed, Some(k.as_str()), "{r:?} {inspection:?}");
            assert!(!p.k_derived);
            assert_eq!(p.plan.k(), k.parse::<f64>().unwrap());
        }
    }
}

#[test]
fn reduced_cells_carry_the_next_normal_column() {
    // The source's reduced cell (code, AQL) has the (n, M) of a normal cell at
    // the next larger AQL; a printed k attached on reduced inspection must be
    // the k of such a normal cell. One cell differs in M by 0.01 between the
    // two tables of the source (reduced H@0.25: M 1.06; normal E@0.40: M 1.05,
    // both n = 7): served as printed in each table.
    for method in [Method::S] {
        for code in CODE_LETTERS {
            for (i, &aql) in qualstat::standards::iso3951::AQLS.iter().enumerate() {
                let r = plan(&lookup(&code.to_string(), aql, Inspection::Reduced, method)).unwrap();
                let Some(k) = r.k_printed else { continue };
                let next = qualstat::standards::iso3951::AQLS[i + 1];
                let found = CODE_LETTERS.iter().any(|&c| {
                    let p =
                        plan(&lookup(&c.to_string(), next, Inspection::Normal, method)).unwrap();
                    let same_m = p.m_percent == r.m_percent
                        || (code == 'H'
                            && aql == 0.25
                            && (r.m_percent, p.m_percent) == ("1.06", "1.05"));
                    p.plan.n() == r.plan.n() && same_m && p.k_printed == Some(k)
                });
                assert!(found, "reduced {code}@{aql}");
            }
        }
    }
}

#[test]
fn lookups_by_lot_size_and_full_inspection() {
    // Z1.9 example: lot of 40, level II -> D, n = 5, AQL 1 %: k 1.53, M 3.33.
    let p = plan(&Lookup {
        lot_size: Some(40),
        ..Lookup::new(1.0)
    })
    .unwrap();
    assert_eq!(
        (p.code_letter, p.plan.n(), p.k_printed, p.m_percent),
        ('D', 5, Some("1.53"), "3.33")
    );
    assert!(!p.full_inspection);
    // Lot of 5 at level II -> B, n = 3 (s-method, AQL 2.5): sample < lot.
    let p = plan(&Lookup {
        lot_size: Some(5),
        ..Lookup::new(2.5)
    })
    .unwrap();
    assert_eq!(p.code_letter, 'B');
    assert!(!p.full_inspection);
    // Lot of 3 -> n = 3 >= lot: inspect 100 %.
    let p = plan(&Lookup {
        lot_size: Some(3),
        ..Lookup::new(2.5)
    })
    .unwrap();
    assert!(p.full_inspection);
    // Arrow cell B@0.10 normal: n = 7 >= lot of 5.
    let p = plan(&Lookup {
        lot_size: Some(5),
        ..Lookup::new(0.10)
    })
    .unwrap();
    assert_eq!(p.plan.n(), 7);
    assert!(p.full_inspection && p.note.is_some());
}

#[test]
fn bad_lookups_are_clear_errors() {
    let e = plan(&Lookup::new(0.5)).unwrap_err().to_string();
    assert!(e.contains("aql") && e.contains("0.40, 0.65"), "{e}");
    let e = plan(&Lookup::new(1.0)).unwrap_err().to_string();
    assert!(e.contains("lot_size or code"), "{e}");
    assert!(plan(&Lookup {
        code: Some('O'),
        ..Lookup::new(1.0)
    })
    .is_err());
    assert!(plan(&Lookup {
        code: Some('A'),
        ..Lookup::new(1.0)
    })
    .is_err());
    assert!(plan(&Lookup {
        lot_size: Some(1),
        ..Lookup::new(1.0)
    })
    .is_err());
    let e = code_letter(100, Level::S1).unwrap_err().to_string();
    assert!(e.contains("level"), "{e}");
}

#[test]
fn switching_scheme() {
    // Code D lots (40 items, level II), AQL 1 %, upper limit 10.
    let mut s = Scheme::new(1.0, Level::II, Method::S, None).unwrap();
    let good = [5.0, 5.5, 6.0, 4.5, 5.2];
    let bad = [9.0, 9.5, 10.5, 8.0, 9.9];
    let run = |s: &mut Scheme, x: &[f64]| {
        s.inspect(40, x, None, Some(10.0), Control::Combined)
            .unwrap()
    };
    assert_eq!(run(&mut s, &bad).decision.outcome, Outcome::Reject);
    assert_eq!(run(&mut s, &good).state_after, State::Normal);
    let r = run(&mut s, &bad);
    assert_eq!((r.state, r.state_after), (State::Normal, State::Tightened));
    // Tightened plan for D@1.0 is the normal D@0.65 plan (n = 5, k = 1.65).
    assert_eq!(s.current_plan(40).unwrap().plan.k(), 1.65);
    for _ in 0..4 {
        assert_eq!(run(&mut s, &good).state_after, State::Tightened);
    }
    assert_eq!(run(&mut s, &good).state_after, State::Normal);
    for i in 0..10 {
        let r = run(&mut s, &good);
        assert_eq!(
            r.state_after,
            if i < 9 { State::Normal } else { State::Reduced }
        );
    }
    let reduced = s.current_plan(40).unwrap();
    assert_eq!(reduced.inspection, Inspection::Reduced);
    let n = reduced.plan.n() as usize;
    let r = s
        .inspect(
            40,
            &[9.0, 9.9, 10.4, 8.0, 9.5, 9.7, 9.8][..n],
            None,
            Some(10.0),
            Control::Combined,
        )
        .unwrap();
    assert_eq!(
        (r.decision.outcome, r.state_after),
        (Outcome::Reject, State::Normal)
    );
    // Discontinue after 5 rejections on tightened.
    run(&mut s, &bad);
    run(&mut s, &bad);
    for i in 0..5 {
        let r = run(&mut s, &bad);
        assert_eq!(
            r.state_after,
            if i < 4 {
                State::Tightened
            } else {
                State::Discontinued
            }
        );
    }
    assert!(s.current_plan(40).is_err());
    s.resume();
    assert_eq!(s.state(), State::Tightened);
    assert!(Scheme::new(1.0, Level::II, Method::Sigma, None).is_err());
    assert!(Scheme::new(0.3, Level::II, Method::S, None).is_err());
}

#[test]
fn plans_remember_their_aql_as_the_nearest_fraction() {
    for (i, &aql) in qualstat::standards::iso3951::AQLS.iter().enumerate() {
        let p = plan(&Lookup {
            code: Some('F'),
            ..Lookup::new(aql)
        })
        .unwrap();
        let want: f64 = format!("{}e-2", p.aql).parse().unwrap();
        assert_eq!(p.aql_fraction, want, "{i}");
    }
    let p = plan(&Lookup {
        code: Some('F'),
        ..Lookup::new(0.65)
    })
    .unwrap();
    assert_eq!(p.aql_fraction, 0.0065);
}
