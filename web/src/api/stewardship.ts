/** API calls for HCP master data stewardship (ops and admin): the data request queue, candidate
 * duplicate pairs and scans, merges and their undo, the matching model; and the data completeness
 * report every role may read (scoped by the server). */
import type { Client } from 'openapi-fetch';
import type { paths } from './schema';
import { unwrap } from './http';
import type {
  CompletenessReport,
  DataRequest,
  Decision,
  DuplicatePair,
  MatchingModel,
  Merge,
  MergeInput,
  RequestStatus,
  ScanReport,
  Thresholds,
} from './types';

export type PairStatus = 'open' | 'merged' | 'dismissed';
export type CompletenessLevel = 'territory' | 'district' | 'region';

export function stewardshipApi(client: Client<paths>) {
  const path = (id: string) => ({ params: { path: { id } } });
  return {
    /** Stewards: every request with that status (pending new HCPs with their likely matches). */
    dataRequests: (status: RequestStatus): Promise<DataRequest[]> =>
      unwrap(() => client.GET('/api/v1/data-requests', { params: { query: { status } } })),
    /** Approves (optionally merging a proposed HCP into `merge_into`); 409 `already_decided`. */
    approveRequest: (id: string, decision: Decision): Promise<DataRequest> =>
      unwrap(() =>
        client.POST('/api/v1/data-requests/{id}/approve', { ...path(id), body: decision }),
      ),
    /** Rejects with a reason (422 on `reason` when empty); 409 `already_decided`. */
    rejectRequest: (id: string, reason: string): Promise<DataRequest> =>
      unwrap(() =>
        client.POST('/api/v1/data-requests/{id}/reject', { ...path(id), body: { reason } }),
      ),

    /** Candidate duplicate pairs with that status, most likely first. */
    duplicates: (status: PairStatus): Promise<DuplicatePair[]> =>
      unwrap(() => client.GET('/api/v1/duplicates', { params: { query: { status } } })),
    /** Scans the whole universe for duplicates and queues the new pairs. */
    scanDuplicates: (): Promise<ScanReport> =>
      unwrap(() => client.POST('/api/v1/duplicates/scan', {})),
    /** "Not a duplicate" (422 on `reason` when empty). */
    dismissDuplicate: async (id: string, reason: string): Promise<void> => {
      await unwrap(() =>
        client.POST('/api/v1/duplicates/{id}/dismiss', { ...path(id), body: { reason } }),
      );
    },

    /** The latest merges, newest first, with what each moved. */
    merges: (): Promise<Merge[]> => unwrap(() => client.GET('/api/v1/merges')),
    merge: (input: MergeInput): Promise<Merge> =>
      unwrap(() => client.POST('/api/v1/merges', { body: input })),
    /** 409 `already_undone`. */
    undoMerge: (id: string): Promise<Merge> =>
      unwrap(() => client.POST('/api/v1/merges/{id}/undo', path(id))),

    matchingModel: (): Promise<MatchingModel> => unwrap(() => client.GET('/api/v1/matching')),
    /** 422 field errors on `link` and `review` (e.g. review above link). */
    putThresholds: (t: Thresholds): Promise<MatchingModel> =>
      unwrap(() => client.PUT('/api/v1/matching/thresholds', { body: t })),
    /** Re-estimates m and u from the data (EM over candidate and random pairs). */
    estimateMatching: (): Promise<MatchingModel> =>
      unwrap(() => client.POST('/api/v1/matching/estimate', {})),

    /** Call reports, segmentation and signatures per unit and month, in the caller's scope. */
    completeness: (level: CompletenessLevel, months: number): Promise<CompletenessReport> =>
      unwrap(() =>
        client.GET('/api/v1/reports/completeness', { params: { query: { level, months } } }),
      ),
  };
}
