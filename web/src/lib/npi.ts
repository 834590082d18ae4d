/** National Provider Identifier check, as the server's (crates/domain/src/npi.rs): ten digits
 * whose last is a Luhn check digit over the nine before it prefixed with 80840. */

/** The check digit for the first nine digits (a string of 9 digits). */
export function npiCheckDigit(firstNine: string): number {
  // Luhn over "80840" + nine digits + check digit; the prefix contributes 24.
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    const d = Number(firstNine[8 - i]);
    const doubled = d * 2;
    sum += i % 2 === 0 ? (doubled > 9 ? doubled - 9 : doubled) : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** What is wrong with an NPI, in the server's words, or null when it is valid. */
export function npiProblem(input: string): string | null {
  const s = input.trim();
  if (!/^\d{10}$/.test(s)) return 'must be exactly 10 digits';
  const expected = npiCheckDigit(s.slice(0, 9));
  return Number(s[9]) === expected ? null : `check digit does not match (expected ${expected})`;
}
