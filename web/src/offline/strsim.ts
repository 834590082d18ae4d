/** The string measures the matcher uses, line for line as the server's crates compute them:
 * Jaro–Winkler as `strsim` 0.11 `jaro_winkler` and American Soundex as `rphonetic` 4
 * `Soundex::default()`. Results must be identical (crates/domain/vectors/matching_rules.json). */

/** Jaro similarity over code points (strsim `generic_jaro`). */
export function jaro(a: string, b: string): number {
  const as = Array.from(a);
  const bs = Array.from(b);
  const aLen = as.length;
  const bLen = bs.length;
  if (aLen === 0 && bLen === 0) return 1;
  if (aLen === 0 || bLen === 0) return 0;
  const range = Math.max(0, Math.floor(Math.max(aLen, bLen) / 2) - 1);
  const aFlags = new Array<boolean>(aLen).fill(false);
  const bFlags = new Array<boolean>(bLen).fill(false);
  let matches = 0;
  for (let i = 0; i < aLen; i++) {
    const lo = i > range ? i - range : 0;
    const hi = Math.min(bLen, i + range + 1);
    for (let j = lo; j < hi; j++) {
      if (as[i] === bs[j] && !bFlags[j]) {
        aFlags[i] = true;
        bFlags[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < aLen; i++) {
    if (!aFlags[i]) continue;
    while (!bFlags[j]) j++;
    if (as[i] !== bs[j]) transpositions++;
    j++;
  }
  transpositions = Math.floor(transpositions / 2);
  return (matches / aLen + matches / bLen + (matches - transpositions) / matches) / 3;
}

/** Jaro–Winkler: Jaro boosted by a common prefix of up to 4 characters when above 0.7. */
export function jaroWinkler(a: string, b: string): number {
  const sim = jaro(a, b);
  if (sim <= 0.7) return sim;
  const as = Array.from(a);
  const bs = Array.from(b);
  let prefix = 0;
  while (prefix < 4 && prefix < as.length && prefix < bs.length && as[prefix] === bs[prefix])
    prefix++;
  return sim + 0.1 * prefix * (1 - sim);
}

/** US English Soundex codes of A–Z ('0': vowels, h, w, y). */
const CODES = '01230120022455012623010202';

/** American Soundex of a name of ASCII letters (other characters are dropped); '' for none.
 * H and W are skipped without separating equal codes; vowels separate them. */
export function soundex(name: string): string {
  const letters = name.toUpperCase().replace(/[^A-Z]/g, '');
  if (!letters) return '';
  const code = [letters[0], '0', '0', '0'];
  const map = (c: string) => CODES[c.charCodeAt(0) - 65];
  let previous = map(letters[0]);
  let count = 1;
  for (let i = 1; i < letters.length && count < 4; i++) {
    const ch = letters[i];
    if (ch === 'H' || ch === 'W') continue;
    const digit = map(ch);
    if (digit !== '0' && digit !== previous) code[count++] = digit;
    previous = digit;
  }
  return code.join('');
}
