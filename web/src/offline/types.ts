/** Sync protocol types: the server's OpenAPI schemas (src/api/schema.d.ts, `npm run gen:api`).
 * Kinds, statuses, codes, entities and ops are the generated unions, never retyped here; the
 * only local additions are runtime guards written as `Record<Union, …>` so the compiler fails
 * when the server adds a member this app does not handle. */
import type { components } from '../api/schema';

type S = components['schemas'];

export type {
  Call,
  CycleKind,
  FrequencyTarget,
  Notice,
  Picklists,
  Product,
  Tier,
} from '../api/types';

export type PickItem = S['Choice'];
export type CallType = S['CallType'];
/** A call as this app submits it: every optional field present (null when empty). */
export type CallInput = Required<S['CallInput']>;
export type SyncPage = S['SyncPage'];
export type PushRequest = S['PushRequest'];
export type PushResult = S['PushResult'];
export type MutationResult = S['MutationResult'];
export type MutationStatus = S['MutationStatus'];
export type Code = S['Code'];
export type Entity = S['Entity'];
export type Op = S['Op'];

/** Entities this app stores; a change of any other entity (a newer server) is skipped. */
const STORED_ENTITIES: Record<Entity, true> = {
  hcp: true,
  account: true,
  call: true,
  product: true,
  target: true,
  picklists: true,
  samples: true,
  notice: true,
  data_request: true,
  matching: true,
};
const OPS: Record<Op, true> = { put: true, delete: true };

/** `Change` with its record as an unknown value (each store narrows it by `entity`). */
export type Change = Omit<S['Change'], 'data'> & { data: unknown };

export function isKnownChange(c: S['Change']): c is S['Change'] & Change {
  return Object.hasOwn(STORED_ENTITIES, c.entity) && Object.hasOwn(OPS, c.op);
}

const STATUSES: Record<MutationStatus, true> = {
  applied: true,
  applied_with_flag: true,
  rejected: true,
};

/** The status of a result, or null for one this app does not know (a newer server). */
export function mutationStatus(s: string): MutationStatus | null {
  return Object.hasOwn(STATUSES, s) ? (s as MutationStatus) : null;
}

// Sample accountability (the rep's sample book and the sample mutations).
export type SampleBook = S['SampleBook'];
export type LotView = S['LotView'];
export type ShipmentView = S['ShipmentView'];
export type LedgerEntry = S['LedgerEntry'];
export type KeyMessage = S['KeyMessage'];
export type TxnKind = S['TxnKind'];
export type LotQuantity = S['LotQuantity'];
export type Signature = S['Signature'];
export type DisbursementInput = S['DisbursementInput'];
/** Payloads of the `sample.*` mutations, every optional field present (null when empty). */
export type SampleRequestInput = Required<S['SampleRequestInput']>;
export type ReceiveInput = Required<S['ReceiveInput']>;
export type MoveInput = Required<S['MoveInput']>;
export type LossInput = Required<S['LossInput']>;
export type CountInput = S['CountInput'];

// HCP master data: a proposed new HCP or change (data stewards decide), the rep's requests.
/** `hcp.propose`: a new HCP; both ids are made on the device (calls may name `hcp_id` at once). */
export type HcpProposal = Required<S['HcpProposal']>;
/** `hcp.change`: a change to an HCP; nothing changes until a data steward approves it. */
export type ChangeProposal = Required<S['ChangeProposal']>;
export type HcpInput = S['HcpInput'];
export type HcpChange = S['HcpChange'];
/** The `data_request` sync entity: one of the user's own proposals and its decision. */
export type DataRequest = S['DataRequest'];
/** The `matching` sync entity (meta key `matching`): the duplicate model for offline checks. */
export type DeviceModel = S['DeviceModel'];

type Body = S['MutationBody'];
/** Every mutation kind, from the server's tagged union. */
export type MutationKind = S['MutationKind'];
/** The payload of each kind as this app builds it: every optional field present (null when
 * empty). */
export type MutationPayloads = {
  [K in MutationKind]: Required<Extract<Body, { kind: K }>['payload']>;
};
export type ProposalKind = Extract<MutationKind, 'hcp.propose' | 'hcp.change'>;
export type SampleMutationKind = Exclude<MutationKind, 'call.submit' | ProposalKind>;

/** A mutation as pushed: `kind` and `payload` typed together. */
export type Mutation = S['Mutation'];
