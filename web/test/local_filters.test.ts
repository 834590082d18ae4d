import { describe, expect, test } from 'vitest';
import { filterLocal, filterOptions } from '../src/offline/local';

const hcp = (id: string, specialty: string, city: string, tiers: string[], status = 'active') => ({
  id,
  specialty_code: specialty,
  specialty_name: `Name of ${specialty}`,
  status: status as 'active' | 'retired' | 'deceased',
  address: {
    line1: '1 Main St',
    line2: null,
    city,
    state: 'MA',
    zip: '02139',
    latitude: null,
    longitude: null,
  },
  segments: tiers.map((tier) => ({
    product_id: 'p',
    product_name: 'P',
    tier: tier as 'A' | 'B' | 'C',
    decile: 5,
    set_on: '2026-01-01',
  })),
});

describe('local HCP filters', () => {
  const hcps = [
    hcp('1', '207RC0000X', 'Boston', ['A']),
    hcp('2', '207Q00000X', 'boston', ['C', 'B']),
    hcp('3', '207RC0000X', 'Cambridge', [], 'retired'),
  ];

  test('every filter narrows, like the API', () => {
    expect(filterLocal(hcps, {}).map((h) => h.id)).toEqual(['1', '2', '3']);
    expect(filterLocal(hcps, { tier: 'B' }).map((h) => h.id)).toEqual(['2']);
    expect(filterLocal(hcps, { specialty: '207RC0000X' }).map((h) => h.id)).toEqual(['1', '3']);
    expect(filterLocal(hcps, { city: 'BOSTON ' }).map((h) => h.id)).toEqual(['1', '2']);
    expect(
      filterLocal(hcps, { specialty: '207RC0000X', city: 'boston', tier: 'A' }).map((h) => h.id),
    ).toEqual(['1']);
    expect(filterLocal(hcps, { status: 'retired' }).map((h) => h.id)).toEqual(['3']);
  });

  test('the pickers offer what is on the device', () => {
    const o = filterOptions(hcps);
    expect(o.specialties.map((s) => s.code)).toEqual(['207Q00000X', '207RC0000X']);
    expect(o.cities).toEqual(['Cambridge', 'Boston', 'boston'].sort((a, b) => a.localeCompare(b)));
  });
});
