// The field app's matcher against the vectors the server's matcher is tested with
// (crates/domain/vectors/matching_rules.json): normalisation, Jaro–Winkler, Soundex, nickname
// lookup, comparisons, blocking keys and scores under fixed parameters.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  blockingKeys,
  compare,
  normalizeName,
  normalizePhone,
  normalizeStreet,
  sameNpi,
  type MatchRecord,
} from '../src/offline/matching';
import {
  score,
  type MatchScore,
  type Parameters,
  type Thresholds,
} from '../src/offline/matchModel';
import { formalNames, GROUP_COUNT } from '../src/offline/nicknames';
import { jaroWinkler, soundex } from '../src/offline/strsim';

interface Pair {
  name: string;
  a: MatchRecord;
  b: MatchRecord;
  expect: {
    levels: (number | null)[];
    swapped: boolean;
    blocked: boolean[];
    same_npi: boolean;
    keys_a: string[];
    keys_b: string[];
  };
}
interface Vectors {
  names: [string, string][];
  streets: [string, string][];
  phones: [string, string | null][];
  soundex: [string, string][];
  jaro_winkler: [string, string, number][];
  nicknames: [string, string[]][];
  pairs: Pair[];
  parameters: Parameters;
  thresholds: Thresholds;
  scores: { pair: string; expect: MatchScore }[];
}

const vectors: Vectors = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../crates/domain/vectors/matching_rules.json', import.meta.url)),
    'utf8',
  ),
);

describe('matching rules shared with the server', () => {
  test('there are vectors, and the nickname table is the shared file', () => {
    expect(vectors.pairs.length).toBeGreaterThanOrEqual(15);
    expect(vectors.scores.length).toBeGreaterThanOrEqual(3);
    expect(GROUP_COUNT).toBe(82);
  });
  test('normalisation', () => {
    for (const [s, want] of vectors.names) expect(normalizeName(s), s).toBe(want);
    for (const [s, want] of vectors.streets) expect(normalizeStreet(s), s).toBe(want);
    for (const [s, want] of vectors.phones) expect(normalizePhone(s), s).toBe(want);
  });
  test('Soundex, Jaro–Winkler and nickname lookup', () => {
    for (const [s, want] of vectors.soundex) expect(soundex(s), s).toBe(want);
    for (const [a, b, want] of vectors.jaro_winkler)
      expect(Math.abs(jaroWinkler(a, b) - want), `${a} / ${b}`).toBeLessThan(1e-12);
    for (const [n, want] of vectors.nicknames) expect(formalNames(n), n).toEqual(want);
  });
  for (const p of vectors.pairs) {
    test(`pair: ${p.name}`, () => {
      const c = compare(p.a, p.b);
      expect({ levels: c.levels, swapped: c.swapped, blocked: c.blocked }).toEqual({
        levels: p.expect.levels,
        swapped: p.expect.swapped,
        blocked: p.expect.blocked,
      });
      expect(sameNpi(p.a, p.b)).toBe(p.expect.same_npi);
      expect(blockingKeys(p.a)).toEqual(p.expect.keys_a);
      expect(blockingKeys(p.b)).toEqual(p.expect.keys_b);
    });
  }
  for (const s of vectors.scores) {
    test(`score: ${s.pair}`, () => {
      const p = vectors.pairs.find((x) => x.name === s.pair)!;
      const got = score(
        vectors.parameters,
        compare(p.a, p.b),
        sameNpi(p.a, p.b),
        vectors.thresholds,
      );
      expect(got.score).toBeCloseTo(s.expect.score, 9);
      expect(got.probability).toBeCloseTo(s.expect.probability, 9);
      expect([got.outcome, got.npi_match, got.swapped_names]).toEqual([
        s.expect.outcome,
        s.expect.npi_match,
        s.expect.swapped_names,
      ]);
      expect(got.fields.map((f) => [f.field, f.level])).toEqual(
        s.expect.fields.map((f) => [f.field, f.level]),
      );
      got.fields.forEach((f, i) => expect(f.weight).toBeCloseTo(s.expect.fields[i].weight, 9));
    });
  }
});
