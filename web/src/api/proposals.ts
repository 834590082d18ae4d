/** API calls of the field side of HCP master data (reps and managers): the duplicate check while
 * a new HCP is typed, proposals of new HCPs and changes (managers, who work online; reps send
 * theirs through the sync outbox), and the caller's own data requests. */
import type { components } from './schema';
import type { Api } from './client';
import { unwrap } from './http';

type S = components['schemas'];
export type MatchCheck = S['MatchCheck'];
export type HcpMatch = S['HcpMatch'];
export type DataRequest = S['DataRequest'];

/** Likely existing HCPs in the caller's territories, and whether one exists elsewhere (422 when
 * both names and the NPI are blank). */
export const checkMatches = (
  api: Api,
  record: S['MatchRecord'],
  signal?: AbortSignal,
): Promise<MatchCheck> =>
  unwrap(() => api.client.POST('/api/v1/hcps/matches', { body: record, signal }));

export const proposeHcp = (api: Api, p: S['HcpProposal']): Promise<DataRequest> =>
  unwrap(() => api.client.POST('/api/v1/hcp-proposals', { body: p }));

export const proposeChange = (api: Api, p: S['ChangeProposal']): Promise<DataRequest> =>
  unwrap(() => api.client.POST('/api/v1/hcp-changes', { body: p }));

/** The caller's own requests (for a data steward: everyone's). */
export const myRequests = (api: Api): Promise<DataRequest[]> =>
  unwrap(() => api.client.GET('/api/v1/data-requests'));
