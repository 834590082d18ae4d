/** API calls for planning: targeting versions (ops and admin edit; marketing and managers read),
 * realignment cycles with their field review, the alignment as of a day and the changes
 * scheduled, the territories and the caller's notices. */
import type { Client } from 'openapi-fetch';
import type { paths } from './schema';
import { unwrap, uploadCsv, type UploadOptions } from './http';
import type {
  AlignedKind,
  AlignedOn,
  DraftLines,
  FieldReview,
  ImportReport,
  LineKeys,
  Mark,
  MarkInput,
  Notice,
  Publication,
  Realignment,
  RealignmentImpact,
  Resolution,
  ScheduledChange,
  ScheduledChanges,
  SegmentInput,
  TargetingVersion,
  TerritoryRef,
  VersionFrequency,
  VersionInput,
  VersionSegment,
} from './types';

export function planningApi(client: Client<paths>, opts: UploadOptions, baseUrl: string) {
  const path = (id: string) => ({ params: { path: { id } } });
  const enc = encodeURIComponent;
  return {
    /** Every targeting version, newest first. */
    targetingVersions: (): Promise<TargetingVersion[]> =>
      unwrap(() => client.GET('/api/v1/targeting/versions')),
    targetingVersion: (id: string): Promise<TargetingVersion> =>
      unwrap(() => client.GET('/api/v1/targeting/versions/{id}', path(id))),
    /** A new draft; its frequencies start as those in force. */
    createTargetingVersion: (input: VersionInput): Promise<TargetingVersion> =>
      unwrap(() => client.POST('/api/v1/targeting/versions', { body: input })),
    updateTargetingVersion: (id: string, input: VersionInput): Promise<TargetingVersion> =>
      unwrap(() => client.PUT('/api/v1/targeting/versions/{id}', { ...path(id), body: input })),
    /** Replaces a draft's frequency table (422 field errors like `frequencies[3].calls`). */
    putFrequencies: (id: string, rows: VersionFrequency[]): Promise<TargetingVersion> =>
      unwrap(() =>
        client.PUT('/api/v1/targeting/versions/{id}/frequencies', { ...path(id), body: rows }),
      ),
    /** The segmentation rows a version sets, by HCP name. */
    versionSegments: (id: string, offset = 0, limit = 100): Promise<VersionSegment[]> =>
      unwrap(() =>
        client.GET('/api/v1/targeting/versions/{id}/segments', {
          params: { path: { id }, query: { offset, limit } },
        }),
      ),
    /** Uploads `npi,product,tier,decile` rows into a draft (raw text/csv body). */
    uploadVersionSegments: (id: string, file: Blob): Promise<ImportReport> =>
      uploadCsv<ImportReport>(
        opts,
        `${baseUrl}/api/v1/targeting/versions/${enc(id)}/segments`,
        file,
      ),
    /** Puts segmentation rows edited on screen into a draft (checked as a whole; field errors like `segments[0].decile`). */
    putVersionSegments: (id: string, rows: SegmentInput[]): Promise<ImportReport> =>
      unwrap(() =>
        client.PUT('/api/v1/targeting/versions/{id}/segments', { ...path(id), body: rows }),
      ),
    /** Publishes a draft from `effectiveFrom` (`YYYY-MM-DD`, today or later; today: in force at once). */
    publishTargetingVersion: (id: string, effectiveFrom: string): Promise<TargetingVersion> =>
      unwrap(() =>
        client.POST('/api/v1/targeting/versions/{id}/publish', {
          ...path(id),
          body: { effective_from: effectiveFrom },
        }),
      ),

    territories: (): Promise<TerritoryRef[]> => unwrap(() => client.GET('/api/v1/territories')),
    /** What published changes do to the caller, newest first. */
    notices: (): Promise<Notice[]> => unwrap(() => client.GET('/api/v1/notices')),

    /** Ops: every cycle; reps and managers: those in review or published. */
    realignments: (): Promise<Realignment[]> => unwrap(() => client.GET('/api/v1/realignments')),
    createRealignment: (name: string): Promise<Realignment> =>
      unwrap(() => client.POST('/api/v1/realignments', { body: { name } })),
    realignment: (id: string): Promise<Realignment> =>
      unwrap(() => client.GET('/api/v1/realignments/{id}', path(id))),
    realignmentLines: (id: string): Promise<DraftLines> =>
      unwrap(() => client.GET('/api/v1/realignments/{id}/lines', path(id))),
    /** Adds or replaces lines, checked as a whole (field errors like `zips[0].key`). */
    putRealignmentLines: (id: string, lines: DraftLines): Promise<DraftLines> =>
      unwrap(() => client.PUT('/api/v1/realignments/{id}/lines', { ...path(id), body: lines })),
    removeRealignmentLines: (id: string, keys: LineKeys): Promise<DraftLines> =>
      unwrap(() => client.DELETE('/api/v1/realignments/{id}/lines', { ...path(id), body: keys })),
    /** Uploads `zip,account_external_id,territory_code` rows (raw text/csv body). */
    uploadRealignment: (id: string, file: Blob): Promise<ImportReport> =>
      uploadCsv<ImportReport>(opts, `${baseUrl}/api/v1/realignments/${enc(id)}/upload`, file),
    realignmentImpact: (id: string): Promise<RealignmentImpact> =>
      unwrap(() => client.GET('/api/v1/realignments/{id}/impact', path(id))),
    openRealignmentReview: (id: string): Promise<Realignment> =>
      unwrap(() => client.POST('/api/v1/realignments/{id}/review', path(id))),
    /** The HCPs moving out of or into the caller's territories (all for ops), with the marks. */
    realignmentReview: (id: string): Promise<FieldReview> =>
      unwrap(() => client.GET('/api/v1/realignments/{id}/review', path(id))),
    /** Reps and managers: a key relationship or an escalation on a moving HCP (a note is required). */
    markRealignment: (id: string, input: MarkInput): Promise<Mark> =>
      unwrap(() => client.POST('/api/v1/realignments/{id}/marks', { ...path(id), body: input })),
    /** Ops: resolves a mark; answers every mark of the cycle. */
    resolveMark: (
      id: string,
      mark: string,
      resolution: Resolution,
      note: string,
    ): Promise<Mark[]> =>
      unwrap(() =>
        client.POST('/api/v1/realignments/{id}/marks/{mark}/resolve', {
          params: { path: { id, mark } },
          body: { resolution, note },
        }),
      ),
    /** 422 on `marks` (unresolved), `override_reason` (short notice or not a quarter start) or `effective_from` (past). */
    publishRealignment: (id: string, publication: Publication): Promise<Realignment> =>
      unwrap(() =>
        client.POST('/api/v1/realignments/{id}/publish', { ...path(id), body: publication }),
      ),
    cancelRealignment: (id: string): Promise<Realignment> =>
      unwrap(() => client.POST('/api/v1/realignments/{id}/cancel', path(id))),

    /** The alignment on `on` (`YYYY-MM-DD`) in the caller's territories: ZIPs, then account
     * overrides (422 field errors on `on`, `zip`, `territory`, `kind`, `limit`). Each row gets
     * its alignment row's id as `id`, for paging. */
    alignmentAsOf: async (
      filter: { on: string; territory?: string; zip?: string; kind?: AlignedKind | '' },
      cursor: string | null,
      limit = 50,
    ): Promise<{ items: (AlignedOn & { id: string })[]; next_cursor?: string | null }> => {
      const page = await unwrap(() =>
        client.GET('/api/v1/alignment', {
          params: {
            query: {
              on: filter.on,
              territory: filter.territory || undefined,
              zip: filter.zip?.trim() || undefined,
              kind: filter.kind || undefined,
              cursor: cursor ?? undefined,
              limit,
            },
          },
        }),
      );
      return { ...page, items: page.items.map((r) => ({ ...r, id: r.alignment_id })) };
    },
    /** Published changes taking effect after today, out of or into the caller's territories. */
    scheduledChanges: async (
      cursor: string | null,
      limit = 50,
    ): Promise<{ items: (ScheduledChange & { id: string })[]; next_cursor?: string | null }> => {
      const page: ScheduledChanges = await unwrap(() =>
        client.GET('/api/v1/alignment/scheduled', {
          params: { query: { cursor: cursor ?? undefined, limit } },
        }),
      );
      return { ...page, items: page.items.map((c) => ({ ...c, id: c.alignment_id })) };
    },
  };
}
