/** The Fellegi–Sunter score on the device, as the server computes it
 * (crates/domain/src/matching/model.rs `Parameters::score`) with the parameters and thresholds
 * the `matching` sync entity carries: each field's weight is log2(m/u) at its agreement level
 * (0 when missing), the score their sum in bits, the probability the prior's odds times 2^score,
 * and the outcome by the thresholds; a shared NPI decides on its own, and different first names
 * never link on their own (colleagues of one practice share every other field). */
import type { components } from '../api/schema';
import { FIELDS, LEVELS, type Comparison } from './matching';

type S = components['schemas'];
export type Parameters = S['Parameters'];
export type Thresholds = S['Thresholds'];
export type MatchScore = S['MatchScore'];
export type Outcome = S['Outcome'];
/** The `matching` sync entity. */
export type DeviceModel = S['DeviceModel'];

/** Rounds to 4 decimals, halves away from zero (Rust's `f64::round`). */
export function round4(x: number): number {
  return (Math.sign(x) * Math.round(Math.abs(x) * 10_000)) / 10_000;
}

/** Match probability of a pair with `score` bits of evidence when a share `prior` are duplicates. */
export function probability(prior: number, score: number): number {
  const odds = (prior / (1 - prior)) * 2 ** score;
  return odds / (1 + odds);
}

/** The "different" level of the first name. */
const FIRST_NAME_DIFFERENT = 4;

function weight(p: Parameters, f: number, level: number): number {
  return Math.log2(p.m[f][level] / p.u[f][level]);
}

/** Scores a comparison and explains it. `npiMatch` (same NPI on both) decides alone. */
export function score(p: Parameters, c: Comparison, npiMatch: boolean, t: Thresholds): MatchScore {
  let total = 0;
  const fields = FIELDS.map((field, f) => {
    const l = c.levels[f];
    if (l == null) return { field, level: 'missing', weight: 0 };
    const w = weight(p, f, l);
    total += w;
    return { field, level: LEVELS[field][l], weight: round4(w) };
  });
  const prob = npiMatch ? 1 : probability(p.prior, total);
  const firstNamesDiffer = c.levels[1] === FIRST_NAME_DIFFERENT;
  const outcome: Outcome =
    npiMatch || (prob >= t.link && !firstNamesDiffer)
      ? 'same_record'
      : prob >= t.review
        ? 'ask_steward'
        : 'new_record';
  return {
    score: round4(total),
    probability: round4(prob),
    outcome,
    npi_match: npiMatch,
    swapped_names: c.swapped,
    fields,
  };
}
