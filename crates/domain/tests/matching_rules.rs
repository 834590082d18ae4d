//! The HCP matcher against the vectors the field app is tested with too
//! (vectors/matching_rules.json), so a rep's offline duplicate check and the server's agree:
//! normalisation, the string measures, nickname lookup, comparisons, blocking keys and scores.

use pharmacrm_domain::matching::model::{MatchScore, Parameters, Thresholds};
use pharmacrm_domain::matching::{
    blocking_keys, compare, nicknames, normalize_name, normalize_phone, normalize_street, same_npi,
    MatchRecord,
};
use rphonetic::{Encoder, Soundex};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    names: Vec<(String, String)>,
    streets: Vec<(String, String)>,
    phones: Vec<(String, Option<String>)>,
    soundex: Vec<(String, String)>,
    jaro_winkler: Vec<(String, String, f64)>,
    nicknames: Vec<(String, Vec<String>)>,
    pairs: Vec<Pair>,
    parameters: Parameters,
    thresholds: Thresholds,
    scores: Vec<ScoreCase>,
}

#[derive(Deserialize)]
struct Pair {
    name: String,
    a: MatchRecord,
    b: MatchRecord,
    expect: PairExpect,
}

#[derive(Deserialize)]
struct PairExpect {
    levels: [Option<u8>; 7],
    swapped: bool,
    blocked: [bool; 7],
    same_npi: bool,
    keys_a: Vec<String>,
    keys_b: Vec<String>,
}

#[derive(Deserialize)]
struct ScoreCase {
    pair: String,
    expect: MatchScore,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../vectors/matching_rules.json")).expect("vectors parse")
}

#[test]
fn normalisation_matches_the_vectors() {
    let v = vectors();
    assert!(v.names.len() >= 5 && v.streets.len() >= 3 && v.phones.len() >= 3);
    for (input, want) in &v.names {
        assert_eq!(&normalize_name(input), want, "name {input:?}");
    }
    for (input, want) in &v.streets {
        assert_eq!(&normalize_street(input), want, "street {input:?}");
    }
    for (input, want) in &v.phones {
        assert_eq!(&normalize_phone(input), want, "phone {input:?}");
    }
}

#[test]
fn string_measures_and_nicknames_match_the_vectors() {
    let v = vectors();
    for (name, code) in &v.soundex {
        let got = if name.is_empty() {
            String::new()
        } else {
            Soundex::default().encode(name)
        };
        assert_eq!(&got, code, "soundex {name:?}");
    }
    for (a, b, want) in &v.jaro_winkler {
        let got = strsim::jaro_winkler(a, b);
        assert!(
            (got - want).abs() < 1e-12,
            "jaro_winkler({a:?}, {b:?}) = {got}, vectors {want}"
        );
    }
    for (name, formals) in &v.nicknames {
        assert_eq!(
            nicknames::formal_names(name),
            formals.iter().map(String::as_str).collect::<Vec<_>>(),
            "formal names of {name:?}"
        );
    }
}

#[test]
fn comparisons_and_blocking_keys_match_the_vectors() {
    let v = vectors();
    assert!(v.pairs.len() >= 15);
    for p in &v.pairs {
        let c = compare(&p.a, &p.b);
        assert_eq!(
            (c.levels, c.swapped, c.blocked),
            (p.expect.levels, p.expect.swapped, p.expect.blocked),
            "{}",
            p.name
        );
        assert_eq!(
            same_npi(&p.a, &p.b),
            p.expect.same_npi,
            "{}: same NPI",
            p.name
        );
        assert_eq!(
            blocking_keys(&p.a),
            p.expect.keys_a,
            "{}: keys of a",
            p.name
        );
        assert_eq!(
            blocking_keys(&p.b),
            p.expect.keys_b,
            "{}: keys of b",
            p.name
        );
    }
}

#[test]
fn scores_match_the_vectors() {
    let v = vectors();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    for case in &v.scores {
        let p = v
            .pairs
            .iter()
            .find(|p| p.name == case.pair)
            .expect("the scored pair is a vector pair");
        let got = v
            .parameters
            .score(&compare(&p.a, &p.b), same_npi(&p.a, &p.b), &v.thresholds);
        let want = &case.expect;
        assert!(
            close(got.score, want.score) && close(got.probability, want.probability),
            "{}: {} {} vs {} {}",
            case.pair,
            got.score,
            got.probability,
            want.score,
            want.probability
        );
        assert_eq!(
            (got.outcome, got.npi_match, got.swapped_names),
            (want.outcome, want.npi_match, want.swapped_names),
            "{}",
            case.pair
        );
        assert_eq!(got.fields.len(), want.fields.len());
        for (g, w) in got.fields.iter().zip(&want.fields) {
            assert!(
                g.field == w.field && g.level == w.level && close(g.weight, w.weight),
                "{}: {:?} vs {:?}",
                case.pair,
                g,
                w
            );
        }
    }
}
