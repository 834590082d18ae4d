/** USPS codes of the states, DC and the territories (crates/domain/src/address.rs `US_STATES`). */
export const US_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'PR',
  'GU',
  'VI',
] as const;

/** A 5-digit ZIP or ZIP+4, as the server accepts it. */
export function zipProblem(input: string): string | null {
  return /^\d{5}(-\d{4})?$/.test(input.trim()) ? null : 'must be a 5-digit ZIP code';
}

export function stateProblem(input: string): string | null {
  return (US_STATES as readonly string[]).includes(input.trim().toUpperCase())
    ? null
    : `'${input.trim()}' is not a US state code`;
}
