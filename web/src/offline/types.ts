/** Sync protocol types: the server's OpenAPI schemas (src/api/schema.d.ts, `npm run gen:api`),
 * narrowed where the document types a field as a plain string/object. */
import type { components } from '../api/schema';

type S = components['schemas'];

export type { Call, FrequencyTarget, Picklists, Product, Tier } from '../api/types';

export type PickItem = S['Choice'];
export type CallType = S['CallType'];
/** A call as this app submits it: every optional field present (null when empty). */
export type CallInput = Required<S['CallInput']>;
export type SyncPage = S['SyncPage'];
/** `PushRequest` with the mutation payload typed (the document has a free-form object). */
export type PushRequest = Omit<S['PushRequest'], 'mutations'> & { mutations: Mutation[] };
export type PushResult = S['PushResult'];
export type MutationResult = S['MutationResult'];

export const ENTITIES = ['hcp', 'account', 'call', 'product', 'target', 'picklists'] as const;
export type Entity = (typeof ENTITIES)[number];

/** `Change` with `entity` and `op` narrowed (the document describes them in prose). */
export type Change = Omit<S['Change'], 'entity' | 'op' | 'data'> & {
  entity: Entity;
  op: 'put' | 'delete';
  data: unknown;
};

export function isKnownChange(c: S['Change']): c is S['Change'] & Change {
  return (ENTITIES as readonly string[]).includes(c.entity) && (c.op === 'put' || c.op === 'delete');
}

export type Mutation = Omit<S['Mutation'], 'kind' | 'payload'> & { kind: 'call.submit'; payload: CallInput };

export type MutationStatus = 'applied' | 'rejected' | 'applied_with_flag';
export function mutationStatus(s: string): MutationStatus | null {
  return s === 'applied' || s === 'rejected' || s === 'applied_with_flag' ? s : null;
}
