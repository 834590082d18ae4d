import { useEffect, useState } from 'preact/hooks';
import type { RecordFilter } from '../../api/client';
import type { SampleRecord } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { hcpName } from '../../lib/format';
import { hcpHref } from '../../lib/router';
import {
  findingLabel,
  oversightHref,
  plural,
  recordTypeLabel,
  shortHash,
  when,
} from '../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import { DownloadButton, SeverityBadge, useCatalog } from './common';

/** Whose record: an HCP's, a lot's or a rep's (`'rep'` here is not a role: the guard in
 * test/permissions.test.ts lets lines marked "not a role" compare it). */
type Mode = 'hcp' | 'lot' | 'rep';

/** The signed sample record (21 CFR 203.31 receipts with their 21 CFR Part 11 signatures) of an HCP, a lot or a rep. */
export function RecordsSection({ query }: { query: string }) {
  const sp = new URLSearchParams(query);
  const catalog = useCatalog();
  const hcp = sp.get('hcp');
  const [mode, setMode] = useState<Mode>(hcp ? 'hcp' : sp.get('rep') ? 'rep' : 'lot');
  const [lot, setLot] = useState(sp.get('lot') ?? '');
  const [rep, setRep] = useState(sp.get('rep') ?? '');
  const highlight = sp.get('record');

  const filter: RecordFilter | null =
    mode === 'hcp' && hcp
      ? { hcp_id: hcp }
      : mode === 'lot' && lot
        ? { lot_id: lot }
        : mode === 'rep' /* not a role */ && rep
          ? { rep_id: rep }
          : null;

  useEffect(() => {
    const params = mode === 'hcp' ? { hcp } : mode === 'lot' ? { lot } : { rep };
    const hash = oversightHref('records', { ...params, record: highlight });
    if (location.hash !== hash) history.replaceState(null, '', hash);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mirrors the user's choices into the URL; hcp and highlight are read from it
  }, [mode, lot, rep]);

  return (
    <section data-testid="records">
      <p class="muted small">
        Every signed disbursement and sample request: who gave what to whom, when and where, with
        the practitioner's signature manifestation and the SHA-256 that binds it to the record. Open
        an HCP's profile for their record.
      </p>
      {catalog.state === 'loading' && <Loading />}
      {catalog.state === 'error' && <ErrorBox error={catalog.error} />}
      {catalog.state === 'ok' && (
        <div class="cov-controls">
          <label>
            Record of
            <select
              value={mode}
              onChange={(e) => setMode(e.currentTarget.value as Mode)}
              data-testid="records-mode"
            >
              {hcp && <option value="hcp">This HCP</option>}
              <option value="lot">A lot</option>
              <option value="rep">A rep</option>
            </select>
          </label>
          {mode === 'lot' && (
            <label>
              Lot
              <select
                value={lot}
                onChange={(e) => setLot(e.currentTarget.value)}
                data-testid="records-lot"
              >
                <option value="">Choose a lot…</option>
                {[...catalog.data.lots]
                  .sort((a, b) =>
                    catalog.data.lotName(a.id).localeCompare(catalog.data.lotName(b.id)),
                  )
                  .map((l) => (
                    <option key={l.id} value={l.id}>
                      {catalog.data.lotName(l.id)} (exp. {l.expires_on})
                    </option>
                  ))}
              </select>
            </label>
          )}
          {mode === 'rep' /* not a role */ && (
            <label>
              Rep
              <select
                value={rep}
                onChange={(e) => setRep(e.currentTarget.value)}
                data-testid="records-rep"
              >
                <option value="">Choose a rep…</option>
                {catalog.data.reps.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      )}
      {filter ? (
        <RecordList key={JSON.stringify(filter)} filter={filter} highlight={highlight} />
      ) : (
        <Empty>Choose a lot or a rep.</Empty>
      )}
    </section>
  );
}

/** The records of one filter with a CSV download; also used on the HCP profile (`compact`). */
export function RecordList({
  filter,
  highlight,
  compact = false,
}: {
  filter: RecordFilter;
  highlight?: string | null;
  compact?: boolean;
}) {
  const { api } = useApp();
  const hcpId = 'hcp_id' in filter ? filter.hcp_id : null;
  const res = useLoad(() => api.sampleRecords(filter), [JSON.stringify(filter)]);
  const title = useLoad(
    () => (hcpId && !compact ? api.getHcp(hcpId).then(hcpName) : Promise.resolve(null)),
    [hcpId, compact],
  );

  useEffect(() => {
    if (res.state !== 'ok' || !highlight) return;
    document
      .querySelector(`[data-testid=record][data-id="${highlight}"]`)
      ?.scrollIntoView({ block: 'center' });
  }, [res.state, highlight]);

  return (
    <div data-testid="record-list" data-loaded={res.state === 'ok' ? 'true' : 'false'}>
      <div class="recon-head">
        <p class="small">
          {title.state === 'ok' && title.data && (
            <>
              Sample record of{' '}
              <a href={hcpHref(hcpId!)} data-testid="records-hcp">
                {title.data}
              </a>
              {' · '}
            </>
          )}
          {res.state === 'ok' && (
            <span data-testid="records-count">{plural(res.data.length, 'record')}</span>
          )}
        </p>
        {res.state === 'ok' && res.data.length > 0 && (
          <DownloadButton fetchFile={() => api.sampleRecordsCsv(filter)} testid="records-csv" />
        )}
      </div>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (res.data.length === 0 ? (
          <Empty>No signed sample records.</Empty>
        ) : (
          <div class="table-wrap">
            <table
              class={compact ? 'table records compact' : 'table records'}
              data-testid="records-table"
            >
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>To whom</th>
                  <th>What</th>
                  <th>Where</th>
                  <th>Signer</th>
                  <th>Signed at</th>
                  {!compact && <th>Meaning</th>}
                  <th>Hash</th>
                </tr>
              </thead>
              <tbody>
                {res.data.map((r) => (
                  <RecordRow key={r.id} r={r} highlight={r.id === highlight} compact={compact} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </div>
  );
}

function RecordRow({
  r,
  highlight,
  compact,
}: {
  r: SampleRecord;
  highlight: boolean;
  compact: boolean;
}) {
  const s = r.signature.record;
  return (
    <tr
      class={
        [highlight ? 'highlight' : '', r.findings.length ? 'flagged' : ''].join(' ').trim() ||
        undefined
      }
      data-testid="record"
      data-id={r.id}
      data-hash={r.signature.hash}
    >
      <td>
        {when(r.occurred_at)}
        <div class="muted small">{recordTypeLabel(r.record_type)}</div>
      </td>
      <td>{r.rep_name}</td>
      <td>
        <a href={hcpHref(r.hcp_id)}>{r.hcp_name}</a>
        <div class="muted small">
          {s.professional_title} · {s.licence_number}
        </div>
      </td>
      <td>
        <ul class="lot-lines">
          {s.lines.map((l, i) => (
            <li key={i}>
              {l.product} {l.strength} <span class="muted mono">{l.ndc}</span>
              {l.lot_number ? (
                <>
                  {' '}
                  lot <span class="mono">{l.lot_number}</span>
                </>
              ) : (
                <span class="muted"> (lot picked by headquarters)</span>
              )}{' '}
              × <strong>{l.quantity}</strong>
            </li>
          ))}
        </ul>
        {r.findings.length > 0 && (
          <ul class="ov-findings small" data-testid="record-findings">
            {r.findings.map((f, i) => (
              <li key={i} data-code={f.code} title={f.message}>
                <SeverityBadge severity={f.severity} /> {findingLabel(f.code)}: {f.message}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {r.state}
        {r.ship_to && <div class="muted small">Ship to: {r.ship_to}</div>}
      </td>
      <td data-testid="record-signer">{s.signer_name}</td>
      <td>{when(s.signed_at)}</td>
      {!compact && <td class="small meaning">{s.meaning}</td>}
      <td>
        <details class="hash">
          <summary class="mono" title={r.signature.hash}>
            {shortHash(r.signature.hash)}
          </summary>
          <dl class="small">
            <dt>SHA-256</dt>
            <dd class="mono" data-testid="record-hash">
              {r.signature.hash}
            </dd>
            <dt>Practitioner</dt>
            <dd>
              {s.practitioner_name}, {s.professional_title}, {s.practitioner_address}
            </dd>
            <dt>Licence / DEA</dt>
            <dd>{s.licence_number}</dd>
            <dt>Manufacturer</dt>
            <dd>{s.manufacturer}</dd>
            <dt>Meaning</dt>
            <dd>{s.meaning}</dd>
            <dt>Record</dt>
            <dd class="mono">{r.id}</dd>
            {r.call_id && (
              <>
                <dt>Call</dt>
                <dd class="mono">{r.call_id}</dd>
              </>
            )}
            <dt>Received by the server</dt>
            <dd>{when(r.recorded_at)}</dd>
          </dl>
        </details>
      </td>
    </tr>
  );
}
