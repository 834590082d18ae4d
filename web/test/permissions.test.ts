// The web app decides what a user may do or see from the permissions `/me` sends (the server's one
// permission table), never from the role. These tests read that table from the Rust source, check
// every decision per role against today's behaviour, check that a user cached before `/me` sent
// permissions has none, and guard web/src against comparing roles again.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../src/api/types';
import { canProposeHcpData } from '../src/lib/hcpProposal';
import { homeHref, navItems, territorySummary } from '../src/lib/nav';
import {
  canOverseeSamples,
  defaultSection,
  ownsSamplePolicy,
  reviewsSampleCompliance,
} from '../src/lib/oversight';
import {
  may,
  mayAny,
  mayFlagDoNotCall,
  usesFieldApp,
  worksInTerritories,
  type Permitted,
} from '../src/lib/permissions';
import { canRunRealignment } from '../src/lib/realignment';
import { loadUser, saveSession } from '../src/lib/session';
import { canSteward } from '../src/lib/stewardship';
import { canEditTargeting, canImportMasterData } from '../src/lib/targeting';
import {
  ALL_PERMISSIONS,
  GRANTS,
  meOf,
  noneMissing,
  parseVariants,
  PERMISSION_RS,
  ROLES,
} from './grants';

describe("the server's permission table", () => {
  const rs = readFileSync(PERMISSION_RS, 'utf8');
  it('has the permissions of the generated union, in order', () => {
    expect(noneMissing).toBe(true);
    expect([...parseVariants(rs).values()]).toEqual([...ALL_PERMISSIONS]);
  });
  it('grants something to every role, only known permissions', () => {
    expect([...GRANTS.keys()].sort()).toEqual([...ROLES].sort());
    for (const [role, ps] of GRANTS) {
      expect(ps.length, role).toBeGreaterThan(0);
      for (const p of ps) expect(ALL_PERMISSIONS as readonly string[]).toContain(p);
    }
  });
});

describe('may', () => {
  it('answers from the permissions, none when they are missing', () => {
    const u: Permitted = { permissions: ['report_calls', 'hold_samples'] };
    expect(may(u, 'report_calls')).toBe(true);
    expect(may(u, 'manage_users')).toBe(false);
    expect(mayAny(u, 'manage_users', 'hold_samples')).toBe(true);
    expect(mayAny(u)).toBe(false);
    for (const none of [null, undefined, {}, { permissions: null }]) {
      expect(may(none as Permitted, 'report_calls')).toBe(false);
      expect(usesFieldApp(none ?? {})).toBe(false);
    }
  });
});

describe('decisions per role (today’s behaviour, from the grants)', () => {
  const decisions: Record<string, (me: Permitted) => unknown> = {
    fieldApp: usesFieldApp,
    inTerritories: worksInTerritories,
    proposes: canProposeHcpData,
    steward: canSteward,
    runsRealignment: canRunRealignment,
    editsTargeting: canEditTargeting,
    imports: canImportMasterData,
    flagsDnc: mayFlagDoNotCall,
    oversees: canOverseeSamples,
    samplePolicy: ownsSamplePolicy,
    compliance: reviewsSampleCompliance,
    oversightHome: defaultSection,
  };
  const expected: Record<Role, Record<string, unknown>> = {
    rep: {
      fieldApp: true,
      inTerritories: true,
      proposes: true,
      steward: false,
      runsRealignment: false,
      editsTargeting: false,
      imports: false,
      flagsDnc: false,
      oversees: false,
      samplePolicy: false,
      compliance: false,
      oversightHome: null,
    },
    manager: {
      fieldApp: false,
      inTerritories: true,
      proposes: true,
      steward: false,
      runsRealignment: false,
      editsTargeting: false,
      imports: false,
      flagsDnc: false,
      oversees: true,
      samplePolicy: false,
      compliance: false,
      oversightHome: 'exceptions',
    },
    ops: {
      fieldApp: false,
      inTerritories: false,
      proposes: false,
      steward: true,
      runsRealignment: true,
      editsTargeting: true,
      imports: true,
      flagsDnc: true,
      oversees: true,
      samplePolicy: true,
      compliance: false,
      oversightHome: 'shipments',
    },
    marketing: {
      fieldApp: false,
      inTerritories: false,
      proposes: false,
      steward: false,
      runsRealignment: false,
      editsTargeting: false,
      imports: false,
      flagsDnc: false,
      oversees: false,
      samplePolicy: false,
      compliance: false,
      oversightHome: null,
    },
    compliance: {
      fieldApp: false,
      inTerritories: false,
      proposes: false,
      steward: false,
      runsRealignment: false,
      editsTargeting: false,
      imports: false,
      flagsDnc: true,
      oversees: true,
      samplePolicy: true,
      compliance: true,
      oversightHome: 'exceptions',
    },
    admin: {
      fieldApp: false,
      inTerritories: false,
      proposes: false,
      steward: true,
      runsRealignment: true,
      editsTargeting: true,
      imports: true,
      flagsDnc: true,
      oversees: true,
      samplePolicy: true,
      compliance: true,
      oversightHome: 'exceptions',
    },
  };
  for (const role of ROLES)
    it(`${role}`, () => {
      const me = meOf(role);
      const got = Object.fromEntries(Object.entries(decisions).map(([k, f]) => [k, f(me)]));
      expect(got).toEqual(expected[role]);
    });

  // The navigation e2e/roles.test.mjs (and the other browser tests) expect, label by label.
  const nav: Record<Role, string[]> = {
    rep: ['Today', 'HCPs', 'Accounts', 'Samples', 'Realignment'],
    manager: ['HCPs', 'Accounts', 'Coverage', 'Realignment', 'Samples', 'Completeness'],
    ops: [
      'HCPs',
      'Accounts',
      'Coverage',
      'Targeting',
      'Realignment',
      'Samples',
      'Completeness',
      'Data quality',
    ],
    marketing: ['HCPs', 'Accounts', 'Coverage', 'Targeting', 'Completeness'],
    compliance: ['HCPs', 'Accounts', 'Coverage', 'Samples', 'Completeness'],
    admin: [
      'HCPs',
      'Accounts',
      'Coverage',
      'Targeting',
      'Realignment',
      'Samples',
      'Completeness',
      'Data quality',
      'Users',
    ],
  };
  for (const role of ROLES)
    it(`${role}: navigation`, () => {
      expect(navItems(meOf(role)).map((n) => n.label)).toEqual(nav[role]);
    });
});

describe('a user cached before /me sent permissions', () => {
  const store = new Map<string, string>();
  const fake = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  };
  beforeEach(() => {
    store.clear();
    Object.defineProperty(globalThis, 'localStorage', { value: fake, configurable: true });
  });
  afterEach(() => {
    Reflect.deleteProperty(globalThis, 'localStorage');
  });

  it('loads with no permissions, marked stale, and shows nothing it may not', () => {
    const { permissions: _dropped, ...old } = meOf('rep', [{ id: 't', code: 'T01', name: 'One' }]);
    store.set('pharmacrm.user', JSON.stringify(old));
    const loaded = loadUser();
    expect(loaded?.stale).toBe(true);
    const u = loaded!.user;
    expect(u.permissions).toEqual([]);
    expect(usesFieldApp(u)).toBe(false);
    expect(navItems(u).map((n) => n.key)).toEqual(['hcps', 'accounts', 'coverage', 'completeness']);
    expect(homeHref(u)).toBe('#/hcps');
    expect(territorySummary(u)).toBe('All territories (1)');
  });
  it('a user saved with permissions loads as it was', () => {
    const me = meOf('ops');
    saveSession('token', me);
    expect(loadUser()).toEqual({ user: me, stale: false });
  });
  it('garbage is no user', () => {
    store.set('pharmacrm.user', 'null');
    expect(loadUser()).toBeNull();
    store.set('pharmacrm.user', '{');
    expect(loadUser()).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// Guard: no role comparisons in web/src
// ---------------------------------------------------------------------------------------

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const ROLE = '(?:rep|manager|ops|marketing|compliance|admin)';
const Q = `(['"\`])`;
const CMP = '(?:===|!==|==|!=)';
/** A line carrying this comment compares a value that merely shares a role's name (a UI mode). */
const NOT_A_ROLE = 'not a role';

const RULES: [string, RegExp][] = [
  ['role compared', new RegExp(`\\brole\\s*${CMP}`)],
  ['compared with a role', new RegExp(`${CMP}\\s*[\\w.?!]*\\brole\\b`)],
  ['compared with a role name', new RegExp(`${CMP}\\s*${Q}${ROLE}\\1`)],
  ['role name compared', new RegExp(`${Q}${ROLE}\\1\\s*${CMP}`)],
  ['switch on a role name', new RegExp(`\\bcase\\s+${Q}${ROLE}\\1\\s*:`)],
  ['switch on a role', /\bswitch\s*\(\s*[\w.?!]*\brole\s*\)/],
  ['list of role names', new RegExp(`${Q}${ROLE}\\1\\s*,\\s*${Q}${ROLE}\\2`)],
  ['role looked up in a list', /\.includes\(\s*[\w.?!]*\brole\s*\)/],
  ['list of roles', /\bRole\[\]/],
];

/** Every place a line of `text` decides by role: `line: rule: code`. */
function roleChecks(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.includes(NOT_A_ROLE)) return;
    for (const [name, re] of RULES)
      if (re.test(line)) found.push(`${i + 1}: ${name}: ${line.trim()}`);
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) && !p.endsWith(path.join('api', 'schema.d.ts')) ? [p] : [];
  });
}

describe('guard: web/src asks for permissions, never compares roles', () => {
  it('finds what it looks for', () => {
    for (const bad of [
      "if (role === 'rep') x();",
      'return me.role !== r;',
      'const a = u.role == other;',
      "if ('admin' === who) x();",
      "if (who !== 'compliance') x();",
      "  case 'ops':",
      'switch (me.role) {',
      "const R = ['manager', 'ops'];",
      'ROLES.includes(me.role)',
      'const R: readonly Role[] = [];',
      'if (x === me?.role) y();',
    ])
      expect(roleChecks(bad), bad).not.toEqual([]);
    for (const fine of [
      "import { may } from './permissions';",
      '<span data-testid="user-role">{roleLabel(me.role)}</span>',
      "const ops: Folded['ops'] = new Map();",
      "data-view={runs ? 'ops' : 'field'}",
      "sp.get('rep')",
      `if (mode === 'rep') x(); // ${NOT_A_ROLE}: the record's subject`,
      "if (may(me, 'manage_users')) x();",
    ])
      expect(roleChecks(fine), fine).toEqual([]);
  });
  it('finds no role comparison in web/src', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) =>
      roleChecks(readFileSync(f, 'utf8')).map((hit) => `${path.relative(SRC, f)}:${hit}`),
    );
    expect(
      found,
      `decide by may(me, permission) (src/lib/permissions.ts):\n${found.join('\n')}`,
    ).toEqual([]);
  });
});
