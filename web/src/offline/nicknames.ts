/** Given-name equivalents ("Bob" is "Robert"), from the table the server reads too
 * (crates/domain/data/nicknames.txt, one group per line, formal name first): a mirror of
 * crates/domain/src/matching/nicknames.rs. */
import table from '../../../crates/domain/data/nicknames.txt?raw';

/** The groups of a table text, in file order (blank lines and `#` comments skipped). */
export function parseGroups(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(/\s+/));
}

const GROUPS = parseGroups(table);

/** Name -> the formal names it may stand for, in group order (a formal name stands for itself). */
const FORMALS: Map<string, string[]> = (() => {
  const m = new Map<string, string[]>();
  const add = (name: string, formal: string) => m.set(name, [...(m.get(name) ?? []), formal]);
  for (const [formal, ...names] of GROUPS) {
    add(formal, formal);
    for (const n of names) add(n, formal);
  }
  return m;
})();

/** The formal names a (normalised) given name may stand for; the name itself when it is in no
 * group. "pat" gives both "patricia" and "patrick". */
export function formalNames(name: string): string[] {
  return FORMALS.get(name) ?? [name];
}

/** Whether two normalised given names are known forms of one name. */
export function equivalent(a: string, b: string): boolean {
  const fa = formalNames(a);
  return formalNames(b).some((f) => fa.includes(f));
}

/** How many groups the table has (the tests compare it with the server's). */
export const GROUP_COUNT = GROUPS.length;
