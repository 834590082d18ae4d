/** Sync protocol types: the server's OpenAPI schemas (src/api/schema.d.ts, `npm run gen:api`),
 * narrowed where the document types a field as a plain string/object. */
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
/** `PushRequest` with the mutation payload typed (the document has a free-form object). */
export type PushRequest = Omit<S['PushRequest'], 'mutations'> & { mutations: Mutation[] };
export type PushResult = S['PushResult'];
export type MutationResult = S['MutationResult'];

export const ENTITIES = [
  'hcp',
  'account',
  'call',
  'product',
  'target',
  'picklists',
  'samples',
  'notice',
  'data_request',
  'matching',
] as const;
export type Entity = (typeof ENTITIES)[number];

/** `Change` with `entity` and `op` narrowed (the document describes them in prose). */
export type Change = Omit<S['Change'], 'entity' | 'op' | 'data'> & {
  entity: Entity;
  op: 'put' | 'delete';
  data: unknown;
};

export function isKnownChange(c: S['Change']): c is S['Change'] & Change {
  return (
    (ENTITIES as readonly string[]).includes(c.entity) && (c.op === 'put' || c.op === 'delete')
  );
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

/** Every mutation this app pushes, with its payload type. */
export interface MutationPayloads {
  'call.submit': CallInput;
  'sample.request': SampleRequestInput;
  'sample.receive': ReceiveInput;
  'sample.transfer': MoveInput;
  'sample.return': MoveInput;
  /** A witnessed destruction (expired or damaged lots): `note` names the witness and the method. */
  'sample.destroy': MoveInput;
  'sample.loss': LossInput;
  'sample.count': CountInput;
  'hcp.propose': HcpProposal;
  'hcp.change': ChangeProposal;
}
export type MutationKind = keyof MutationPayloads;
export type ProposalKind = 'hcp.propose' | 'hcp.change';
export type SampleMutationKind = Exclude<MutationKind, 'call.submit' | ProposalKind>;

/** `Mutation` with `kind` and `payload` typed together (the document has a free-form object). */
export type Mutation = {
  [K in MutationKind]: Omit<S['Mutation'], 'kind' | 'payload'> & {
    kind: K;
    payload: MutationPayloads[K];
  };
}[MutationKind];

export type MutationStatus = 'applied' | 'rejected' | 'applied_with_flag';
export function mutationStatus(s: string): MutationStatus | null {
  return s === 'applied' || s === 'rejected' || s === 'applied_with_flag' ? s : null;
}
