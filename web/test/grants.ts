// The server's permission table (crates/domain/src/permission.rs), read from the Rust source so
// the web tests check the app against the grants the server sends in `/me`, not a copy of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Me, Permission, Role } from '../src/api/types';

export const PERMISSION_RS = fileURLToPath(
  new URL('../../crates/domain/src/permission.rs', import.meta.url),
);

/** Every permission the generated `Permission` union has, in the server's order. */
export const ALL_PERMISSIONS = [
  'report_calls',
  'hold_samples',
  'propose_master_data',
  'steward_master_data',
  'import_master_data',
  'flag_do_not_call',
  'read_targeting',
  'manage_targeting',
  'manage_alignments',
  'review_realignments',
  'read_alignments',
  'manage_sample_policy',
  'maintain_key_messages',
  'oversee_all_samples',
  'oversee_team_samples',
  'review_sample_compliance',
  'manage_users',
] as const satisfies readonly Permission[];

// Every member of the union is listed (a new permission fails typecheck here).
type Missing = Exclude<Permission, (typeof ALL_PERMISSIONS)[number]>;
export const noneMissing: [Missing] extends [never] ? true : never = true;

export const ROLES: readonly Role[] = ['rep', 'manager', 'ops', 'marketing', 'compliance', 'admin'];

/** `Variant = "text"` pairs of the `permissions!` macro call. */
export function parseVariants(rs: string): Map<string, string> {
  const body = rs.slice(rs.indexOf('permissions! {'), rs.indexOf('use Permission as P;'));
  return new Map(
    [...body.matchAll(/^\s*([A-Z]\w*)\s*=\s*"([a-z_]+)"/gm)].map((m) => [m[1], m[2]] as const),
  );
}

/** The `GRANTS` table: role (`Role::Rep` → `rep`) → the permissions' texts. */
export function parseGrants(rs: string): Map<string, Permission[]> {
  const variants = parseVariants(rs);
  const start = rs.indexOf('const GRANTS');
  const table = rs.slice(start, rs.indexOf('];', start));
  const grants = new Map<string, Permission[]>();
  for (const m of table.matchAll(/Role::(\w+)\s*,\s*&\[([^\]]*)\]/g)) {
    const role = m[1].toLowerCase();
    const ps = [...m[2].matchAll(/P::(\w+)/g)].map((p) => {
      const text = variants.get(p[1]);
      if (!text) throw new Error(`P::${p[1]} is not a permission of the macro`);
      return text as Permission;
    });
    grants.set(role, ps);
  }
  return grants;
}

export const GRANTS = parseGrants(readFileSync(PERMISSION_RS, 'utf8'));

/** The permissions the server grants `role`. */
export function permissionsOf(role: Role): Permission[] {
  const ps = GRANTS.get(role);
  if (!ps) throw new Error(`no grants for ${role} in permission.rs`);
  return ps;
}

/** A signed-in user of `role` as `/me` describes them. */
export function meOf(role: Role, territories: Me['territories'] = []): Me {
  return {
    id: `00000000-0000-0000-0000-00000000000${ROLES.indexOf(role)}`,
    username: role,
    display_name: role,
    role,
    permissions: permissionsOf(role),
    territories,
  };
}
