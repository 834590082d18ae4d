// The field app's targeting rule against the vectors the server's rule is tested with
// (crates/domain/vectors/targeting_rules.json): an HCP's tier and calls per plan cycle from its
// segments and the frequency targets in force, and the plan cycle containing a day.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { cycleOf, frequencyMap, hcpTarget } from '../src/offline/plan';
import type { CycleKind } from '../src/offline/types';

interface Vectors {
  frequencies: { product_id: string; tier: string; calls: number }[];
  targets: {
    name: string;
    segments: { product_id: string; tier: string }[];
    expect: { tier: string; calls: number } | null;
  }[];
  cycles: { kind: CycleKind; day: string; expect: { label: string; from: string; to: string } }[];
}

const vectors: Vectors = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../crates/domain/vectors/targeting_rules.json', import.meta.url)),
    'utf8',
  ),
);

/** A `YYYY-MM-DD` day as a local date (the device plans in local time), and back. */
const localDate = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, 12, 0);
};
const dayOf = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

describe('targeting rules shared with the server', () => {
  test('there are vectors', () => {
    expect(vectors.targets.length).toBeGreaterThanOrEqual(5);
    expect(vectors.cycles.length).toBeGreaterThanOrEqual(4);
  });
  const frequencies = frequencyMap(vectors.frequencies);
  for (const c of vectors.targets) {
    test(`target: ${c.name}`, () => {
      expect(hcpTarget(c.segments, frequencies)).toEqual(c.expect);
    });
  }
  for (const c of vectors.cycles) {
    test(`cycle: ${c.kind} of ${c.day}`, () => {
      const cycle = cycleOf(c.kind, localDate(c.day));
      expect({ label: cycle.label, from: dayOf(cycle.from), to: dayOf(cycle.to) }).toEqual(
        c.expect,
      );
      // The first and last instants of the day are in the same cycle.
      expect(cycleOf(c.kind, new Date(localDate(c.day).setHours(0, 0, 0, 0))).label).toBe(
        c.expect.label,
      );
      expect(cycleOf(c.kind, new Date(localDate(c.day).setHours(23, 59, 59, 999))).label).toBe(
        c.expect.label,
      );
    });
  }
});
