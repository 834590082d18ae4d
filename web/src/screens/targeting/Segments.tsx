/** A version's segmentation rows: on a draft (ops, admin) a CSV upload (`npi,product,tier,decile`)
 * with its import report and a form to set one segment, and for every version a preview of the rows it sets, by HCP name. */
import { useEffect, useState } from 'preact/hooks';
import type { Product, TargetingVersion, VersionSegment } from '../../api/types';
import { useApp } from '../../context';
import { segmentsHelp } from '../../lib/targeting';
import { ErrorBox, Loading, TierBadge } from '../../components/bits';
import { CsvUploadForm } from './common';
import { SegmentEdit } from './SegmentEdit';

const PAGE = 50;

export function SegmentsCard({
  version,
  products,
  editable,
  onUploaded,
}: {
  version: TargetingVersion;
  products: Product[];
  editable: boolean;
  onUploaded: () => void;
}) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  return (
    <section class="card section" data-testid="segments" data-count={version.segments}>
      <h2>Segmentation</h2>
      <p class="muted small">
        {version.segments} segment row(s): each sets an HCP's tier and decile for a product when the
        version comes into force; HCPs and products it does not name keep their segmentation.
      </p>
      {editable && (
        <>
          <CsvUploadForm
            help={segmentsHelp()}
            upload={(file) => api.uploadVersionSegments(version.id, file)}
            onUploaded={() => {
              setGen((g) => g + 1);
              onUploaded();
            }}
            title="Segmentation"
            kind="segments"
            testid={{
              columns: 'seg-columns',
              file: 'seg-file',
              submit: 'seg-upload',
              form: 'seg-upload-form',
            }}
          />
          <SegmentEdit
            versionId={version.id}
            products={products}
            onSaved={() => {
              setGen((g) => g + 1);
              onUploaded();
            }}
          />
        </>
      )}
      <SegmentRows key={gen} versionId={version.id} total={version.segments} products={products} />
    </section>
  );
}

function SegmentRows({
  versionId,
  total,
  products,
}: {
  versionId: string;
  total: number;
  products: Product[];
}) {
  const { api } = useApp();
  const [rows, setRows] = useState<VersionSegment[]>([]);
  const [loading, setLoading] = useState(true);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const brand = (id: string) => products.find((p) => p.id === id)?.brand ?? id;

  const load = (offset: number) => {
    setLoading(true);
    setError(null);
    api.versionSegments(versionId, offset, PAGE).then(
      (page) => {
        setRows((rs) => (offset === 0 ? page : [...rs, ...page]));
        setDone(page.length < PAGE);
        setLoading(false);
      },
      (e) => {
        setError(e);
        setLoading(false);
      },
    );
  };
  useEffect(() => load(0), [versionId]); // eslint-disable-line react-hooks/exhaustive-deps -- back to the first page only for another version

  if (error) return <ErrorBox error={error} onRetry={() => load(rows.length)} />;
  if (loading && rows.length === 0) return <Loading />;
  if (rows.length === 0)
    return (
      <p class="muted empty" data-testid="seg-none">
        No segment rows in this version.
      </p>
    );
  return (
    <>
      <h3 class="small-head">Rows it sets</h3>
      <div class="table-wrap">
        <table class="table" data-testid="seg-rows" aria-busy={loading ? 'true' : 'false'}>
          <thead>
            <tr>
              <th>HCP</th>
              <th>NPI</th>
              <th>Product</th>
              <th>Tier</th>
              <th class="num">Decile</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.hcp_id}:${r.product_id}`}
                data-testid="seg-row"
                data-hcp={r.hcp_id}
                data-npi={r.npi}
                data-product={r.product_id}
                data-tier={r.tier}
              >
                <td>{r.hcp_name}</td>
                <td class="mono">{r.npi}</td>
                <td>{brand(r.product_id)}</td>
                <td>
                  <TierBadge tier={r.tier} />
                </td>
                <td class="num">{r.decile}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small" data-testid="seg-shown">
        {rows.length} of {total} shown
      </p>
      {!done && rows.length < total && (
        <button
          type="button"
          class="btn btn-block more"
          disabled={loading}
          onClick={() => load(rows.length)}
          data-testid="seg-more"
        >
          {loading ? 'Loading…' : 'Show more'}
        </button>
      )}
    </>
  );
}
