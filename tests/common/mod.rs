//! Helpers shared by the integration tests (`mod common;` in each test file).

use rand::{rngs::StdRng, Rng};

/// `n` standard normal draws by the Box–Muller transform.
#[allow(dead_code)] // not every test file draws normals
pub fn normals(rng: &mut StdRng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
            let v: f64 = rng.random();
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        })
        .collect()
}

/// A row of a reference CSV file: column name to (unquoted) value.
#[allow(dead_code)] // not every test file reads the reference tables
pub type Row = std::collections::HashMap<String, String>;

/// The rows of `reference/tables/<name>` (in the repository) (quoted fields may contain
/// commas). Panics when the reference directory is missing, so the tests
/// that need it fail instead of passing vacuously.
#[allow(dead_code)] // not every test file reads the reference tables
pub fn read_csv(name: &str) -> Vec<Row> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("reference/tables");
    assert!(
        dir.is_dir(),
        "reference tables not found at {}",
        dir.display()
    );
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let split = |line: &str| -> Vec<String> {
        let (mut out, mut cur, mut quoted) = (vec![], String::new(), false);
        for ch in line.chars() {
            match ch {
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(std::mem::take(&mut cur)),
                _ => cur.push(ch),
            }
        }
        out.push(cur);
        out
    };
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = split(lines.next().unwrap());
    lines
        .map(|l| {
            let v = split(l);
            assert_eq!(v.len(), header.len(), "{name}: {l}");
            header.iter().cloned().zip(v).collect()
        })
        .collect()
}
