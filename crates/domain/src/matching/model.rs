//! The Fellegi–Sunter model: for each field and agreement level, `m` (how often true
//! duplicates agree that way) and `u` (how often unrelated records do). A pair's score is the
//! sum over fields of log2(m/u) — its evidence in bits — and, with the share of true
//! duplicates among compared candidates (`prior`), its match probability. `u` is counted on
//! random pairs; `m` and `prior` are fitted by expectation–maximisation on the candidate pairs
//! blocking yields. Thresholds on the probability give three outcomes.

use super::{Comparison, Field};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// m and u per field and level ([`Field::ALL`] order, levels as [`Field::levels`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Parameters {
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    /// Probability that two records picked at random are one person (the prior a score is
    /// read against).
    pub prior: f64,
    /// Candidate pairs and random pairs the figures were estimated from (0: starting values).
    pub candidate_pairs: u64,
    pub random_pairs: u64,
    /// EM iterations run.
    pub iterations: u32,
}

/// Probabilities at or above which a pair is the same record (link) or goes to a steward.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Thresholds {
    pub link: f64,
    pub review: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            link: 0.99,
            review: 0.5,
        }
    }
}

impl Thresholds {
    pub fn validate(&self) -> Result<(), crate::ValidationErrors> {
        let mut errors = crate::ValidationErrors::new();
        if !(0.0..=1.0).contains(&self.link) || self.link.is_nan() {
            errors.add("link", "must be a probability between 0 and 1");
        }
        if !(0.0..=1.0).contains(&self.review) || self.review.is_nan() {
            errors.add("review", "must be a probability between 0 and 1");
        } else if self.review > self.link {
            errors.add("review", "must not be above the link threshold");
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The same person: link to the existing record.
    SameRecord,
    /// Possibly the same: a data steward decides.
    AskSteward,
    /// A new person.
    NewRecord,
}

/// How one field contributed to a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldEvidence {
    pub field: Field,
    /// Agreement level name, or `missing`.
    pub level: String,
    /// log2(m/u), in bits; 0 when missing.
    pub weight: f64,
}

/// A scored pair, with the evidence per field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MatchScore {
    /// Sum of the field weights, in bits (`f64::INFINITY` is never used: an NPI match has
    /// `npi_match` set and probability 1).
    pub score: f64,
    pub probability: f64,
    pub outcome: Outcome,
    pub npi_match: bool,
    /// First and last names agree crosswise.
    pub swapped_names: bool,
    pub fields: Vec<FieldEvidence>,
}

const FLOOR: f64 = 1e-4;

/// The "different" level of the first name.
const FIRST_NAME_DIFFERENT: u8 = 4;

/// Weight of the starting values of `m` in the fit, in duplicates (a Dirichlet prior).
const PRIOR_DUPLICATES: f64 = 10.0;

fn clamp(p: f64) -> f64 {
    p.clamp(FLOOR, 1.0 - FLOOR)
}

fn normalised(counts: &[f64]) -> Vec<f64> {
    let total: f64 = counts.iter().sum();
    counts.iter().map(|c| clamp(c / total)).collect()
}

impl Parameters {
    /// Starting values of the fit, used as they are only while there is too little data to
    /// estimate from: duplicates mostly agree at the strongest level, unrelated records
    /// mostly disagree.
    pub fn starting_values() -> Self {
        let mut m = Vec::new();
        let mut u = Vec::new();
        for field in Field::ALL {
            let n = field.levels().len();
            // Duplicates: 90% at the strongest level, the rest spread thinner level by level.
            let mv: Vec<f64> = (0..n)
                .map(|i| {
                    if i == 0 {
                        0.9
                    } else {
                        0.1 * 0.5f64.powi(i as i32)
                    }
                })
                .collect();
            // Unrelated records: mostly "different", then thinner towards the strongest level.
            let uv: Vec<f64> = (0..n)
                .map(|i| {
                    if i == n - 1 {
                        0.9
                    } else {
                        0.1 * 0.5f64.powi((n - 1 - i) as i32)
                    }
                })
                .collect();
            m.push(normalised(&mv));
            u.push(normalised(&uv));
        }
        // Until estimated, two records picked at random are taken to be one person once in a
        // million pairs: only strong agreement on most fields reaches a steward.
        Parameters {
            m,
            u,
            prior: 1e-6,
            candidate_pairs: 0,
            random_pairs: 0,
            iterations: 0,
        }
    }

    /// Estimates the model. `u` is counted on comparisons of random pairs (nearly all
    /// unrelated). `m` and the share of duplicates among the candidate pairs are fitted by
    /// expectation–maximisation on the candidates, each pair counting only the fields its
    /// blocking key did not force to agree (a pair found because the names sound alike says
    /// nothing about how often duplicates' names agree; without this the fit settles on
    /// whatever the blocks have in common). `records` is the size of the universe: the
    /// probability of a match between two records picked at random — the prior the score
    /// is read against — is the duplicates found among candidates over all possible pairs.
    pub fn estimate(candidates: &[Comparison], random: &[Comparison], records: u64) -> Self {
        let mut params = Self::starting_values();
        if random.len() >= 100 {
            for (f, field) in Field::ALL.iter().enumerate() {
                let mut counts = vec![0.5; field.levels().len()];
                for c in random {
                    if let Some(l) = c.levels[f] {
                        counts[l as usize] += 1.0;
                    }
                }
                params.u[f] = normalised(&counts);
            }
            params.random_pairs = random.len() as u64;
        }
        if candidates.len() < 20 {
            return params;
        }
        // Identical vectors share one posterior: fit on the distinct ones. A pair whose every
        // known field was forced by its blocking key says nothing about `m`: left out here.
        let mut distinct: HashMap<[Option<u8>; 7], f64> = HashMap::new();
        for c in candidates {
            let mut levels = c.levels;
            for (f, blocked) in c.blocked.iter().enumerate() {
                if *blocked {
                    levels[f] = None;
                }
            }
            if levels.iter().any(Option::is_some) {
                *distinct.entry(levels).or_default() += 1.0;
            }
        }
        let vectors: Vec<([Option<u8>; 7], f64)> = distinct.into_iter().collect();
        let informative: f64 = vectors.iter().map(|(_, n)| n).sum();
        let mut share = 0.01;
        let mut iterations = 0;
        // The starting values count as this many duplicates seen, so a few found duplicates
        // that all agree on a field do not make disagreeing there impossible.
        let start = Self::starting_values();
        for _ in 0..500 {
            if informative == 0.0 {
                break;
            }
            iterations += 1;
            let mut m_counts: Vec<Vec<f64>> = start
                .m
                .iter()
                .map(|m| m.iter().map(|x| x * PRIOR_DUPLICATES).collect())
                .collect();
            let mut matched = 0.0;
            for (levels, n) in &vectors {
                let g = probability(share, params.score_of(levels));
                matched += g * n;
                for (f, level) in levels.iter().enumerate() {
                    if let Some(l) = level {
                        m_counts[f][*l as usize] += g * n;
                    }
                }
            }
            let next_share = (matched / informative).clamp(1e-9, 0.5);
            let m: Vec<Vec<f64>> = m_counts
                .iter()
                .zip(&params.u)
                .map(|(c, u)| agreeing(normalised(c), u))
                .collect();
            let change = (next_share - share).abs() / share
                + m.iter()
                    .flatten()
                    .zip(params.m.iter().flatten())
                    .map(|(a, b)| (a - b).abs())
                    .sum::<f64>();
            params.m = m;
            share = next_share;
            if change < 1e-6 {
                break;
            }
        }
        // The prior: the expected duplicates among all candidates (each scored on every field,
        // as a check scores it) over all possible pairs, non-candidates taken as unrelated; a
        // fixed point, since each candidate's probability depends on the prior.
        let all_pairs = (records as f64) * (records.saturating_sub(1) as f64) / 2.0;
        let population = if all_pairs > candidates.len() as f64 {
            all_pairs
        } else {
            candidates.len() as f64
        };
        let scores: Vec<f64> = candidates
            .iter()
            .map(|c| params.score_of(&c.levels))
            .collect();
        let mut prior = (share * candidates.len() as f64 / population).clamp(1e-12, 0.5);
        for _ in 0..200 {
            let expected: f64 = scores.iter().map(|s| probability(prior, *s)).sum();
            let next = (expected / population).clamp(1e-12, 0.5);
            let done = (next - prior).abs() <= prior * 1e-6;
            prior = next;
            if done {
                break;
            }
        }
        params.prior = prior;
        params.candidate_pairs = candidates.len() as u64;
        params.iterations = iterations;
        params
    }

    fn weight(&self, f: usize, level: u8) -> f64 {
        (self.m[f][level as usize] / self.u[f][level as usize]).log2()
    }

    fn score_of(&self, levels: &[Option<u8>; 7]) -> f64 {
        levels
            .iter()
            .enumerate()
            .filter_map(|(f, l)| l.map(|l| self.weight(f, l)))
            .sum()
    }

    /// Scores a comparison and explains it. `npi_match` (same NPI on both) decides alone.
    pub fn score(
        &self,
        comparison: &Comparison,
        npi_match: bool,
        thresholds: &Thresholds,
    ) -> MatchScore {
        let fields = Field::ALL
            .iter()
            .enumerate()
            .map(|(f, field)| match comparison.levels[f] {
                Some(l) => FieldEvidence {
                    field: *field,
                    level: field.levels()[l as usize].to_string(),
                    weight: round(self.weight(f, l)),
                },
                None => FieldEvidence {
                    field: *field,
                    level: "missing".into(),
                    weight: 0.0,
                },
            })
            .collect();
        let score = self.score_of(&comparison.levels);
        let probability = if npi_match {
            1.0
        } else {
            probability(self.prior, score)
        };
        // Different first names never link on their own: colleagues of one practice with
        // one surname share every other field (address, phone, affiliation), which the
        // model adds up as if independent.
        let first_names_differ = comparison.levels[1] == Some(FIRST_NAME_DIFFERENT);
        let outcome = if npi_match || (probability >= thresholds.link && !first_names_differ) {
            Outcome::SameRecord
        } else if probability >= thresholds.review {
            Outcome::AskSteward
        } else {
            Outcome::NewRecord
        };
        MatchScore {
            score: round(score),
            probability: round(probability),
            outcome,
            npi_match,
            swapped_names: comparison.swapped,
            fields,
        }
    }
}

/// Keeps the duplicate class about duplicates: disagreeing on a field is never evidence
/// for a match, nor agreeing at its strongest level evidence against (without this, EM may
/// settle on any frequent pattern of the candidates, such as namesakes in one ZIP).
fn agreeing(mut m: Vec<f64>, u: &[f64]) -> Vec<f64> {
    let last = m.len() - 1;
    m[last] = m[last].min(u[last]);
    m[0] = m[0].max(u[0]);
    let total: f64 = m.iter().sum();
    m.iter().map(|x| clamp(x / total)).collect()
}

/// Match probability of a pair with `score` bits of evidence when a share `prior` of
/// candidates are duplicates.
pub fn probability(prior: f64, score: f64) -> f64 {
    let odds = prior / (1.0 - prior) * score.exp2();
    odds / (1.0 + odds)
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::tests::person;
    use crate::matching::{compare, MatchRecord};

    fn trained() -> Parameters {
        // Candidates: half true duplicates (variants, some moved), half unrelated namesakes.
        let with = |mut r: MatchRecord, phone: &str, account: &str| {
            r.phone = Some(phone.into());
            r.affiliations = vec![account.into()];
            r
        };
        let base = with(
            person("Robert", "Smith", "12 Main Street", "02139"),
            "6175550100",
            "acct-1",
        );
        let mut candidates = Vec::new();
        for i in 0..50 {
            let (street, zip) = if i % 4 == 0 {
                ("400 Elm Avenue", "10001")
            } else {
                ("12 Main St", "02139")
            };
            let first = if i % 2 == 0 { "Bob" } else { "Robert" };
            let dup = with(
                person(
                    first,
                    if i % 3 == 0 { "Smyth" } else { "Smith" },
                    street,
                    zip,
                ),
                "6175550100",
                "acct-1",
            );
            candidates.push(compare(&base, &dup));
            let other = with(
                person(
                    "Rachel",
                    "Smith",
                    &format!("{i} Oak Road"),
                    &format!("0{:04}", 3000 + i),
                ),
                &format!("21255501{i:02}"),
                "acct-9",
            );
            candidates.push(compare(
                &base,
                &MatchRecord {
                    specialty_code: Some("208D00000X".into()),
                    ..other
                },
            ));
        }
        let random: Vec<Comparison> = (0..200)
            .map(|i| {
                compare(
                    &person(
                        "Ann",
                        &format!("Lee{}", i % 7),
                        &format!("{i} Elm St"),
                        "10001",
                    ),
                    &person("Tom", "Ford", "1 Pine Rd", "60601"),
                )
            })
            .collect();
        Parameters::estimate(&candidates, &random, 0)
    }

    #[test]
    fn estimation_finds_the_duplicates_share_and_weights() {
        let params = trained();
        assert!((params.prior - 0.5).abs() < 0.1, "prior {}", params.prior);
        // Agreement on last name is evidence for, disagreement against.
        assert!(params.weight(0, 0) > 0.0);
        assert!(params.weight(0, 2) < 0.0);
    }

    #[test]
    fn outcomes_follow_the_thresholds_and_explain_the_score() {
        let params = trained();
        let t = Thresholds::default();
        let base = person("Robert", "Smith", "12 Main Street", "02139");
        let same = params.score(
            &compare(&base, &person("Bob", "Smith", "12 Main St", "02139")),
            false,
            &t,
        );
        assert_eq!(same.outcome, Outcome::SameRecord);
        assert_eq!(same.fields[1].level, "nickname");
        let other = params.score(
            &compare(&base, &person("Alice", "Jones", "9 Oak Rd", "60601")),
            false,
            &t,
        );
        assert_eq!(other.outcome, Outcome::NewRecord);
        let npi = params.score(
            &compare(&base, &person("Alice", "Jones", "9 Oak Rd", "60601")),
            true,
            &t,
        );
        assert_eq!(npi.outcome, Outcome::SameRecord);
        assert!(Thresholds {
            link: 0.5,
            review: 0.9
        }
        .validate()
        .is_err());
    }
}
