/** The merge history, newest first: which record survived, which was merged into it, who did it,
 * when, why and what moved; Undo (after a confirm) restores the merged record and moves its rows back. */
import { useState } from 'preact/hooks';
import type { Merge } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { hcpHref } from '../../lib/router';
import { when } from '../../lib/oversight';
import { movedText } from '../../lib/stewardship';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import { errorText } from '../oversight/common';

export function MergesSection() {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const [updated, setUpdated] = useState<Map<string, Merge>>(new Map());
  const res = useLoad(() => api.merges(), [gen]);
  const list = res.state === 'ok' ? res.data.map((m) => updated.get(m.id) ?? m) : [];
  return (
    <section data-testid="merges" data-loaded={res.state === 'ok' ? 'true' : undefined}>
      <p class="muted small">
        Every merge keeps the surviving record and moves the merged one's rows to it (calls,
        segments, affiliations, licences, sample history, …); the counts say how many of each moved.
        Undo restores the merged record and moves those rows back.
      </p>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} onRetry={() => setGen((g) => g + 1)} />}
      {res.state === 'ok' &&
        (list.length === 0 ? (
          <Empty>No merges yet.</Empty>
        ) : (
          <ul class="cards one-col" data-testid="merge-list">
            {list.map((m) => (
              <MergeCard
                key={m.id}
                m={m}
                onUndone={(u) => setUpdated((x) => new Map(x).set(u.id, u))}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}

function MergeCard({ m, onUndone }: { m: Merge; onUndone: (m: Merge) => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const undone = !!m.undone_at;
  const undo = async () => {
    if (
      !confirm(
        `Undo the merge of ${m.merged.display_name} into ${m.survivor.display_name}? Both records come back as they were, with their rows.`,
      )
    )
      return;
    setBusy(true);
    setError(null);
    try {
      onUndone(await api.undoMerge(m.id));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li
      class={undone ? 'card section merge merge-undone' : 'card section merge'}
      data-testid="merge"
      data-id={m.id}
      data-survivor={m.survivor.id}
      data-merged={m.merged.id}
      data-undone={undone ? 'true' : 'false'}
    >
      <div class="exc-head">
        <div>
          <a href={hcpHref(m.merged.id)} data-testid="merge-merged">
            {m.merged.display_name}
          </a>{' '}
          <span class="muted">merged into</span>{' '}
          <a href={hcpHref(m.survivor.id)} data-testid="merge-survivor">
            <strong>{m.survivor.display_name}</strong>
          </a>
        </div>
        <span class="muted small">
          by <span data-testid="merge-by">{m.merged_by}</span> {when(m.merged_at)}
        </span>
      </div>
      <div class="small muted">
        NPI {m.survivor.npi} kept · NPI {m.merged.npi} retired
        {m.survivor.territory ? ` · ${m.survivor.territory.code}` : ''}
      </div>
      <p class="merge-moved" data-testid="merge-moved">
        Moved: {movedText(m.moved)}
      </p>
      {m.reason && <p class="req-note">“{m.reason}”</p>}
      {undone ? (
        <p class="exc-closed" data-testid="merge-undone">
          Undone by <strong>{m.undone_by}</strong> {when(m.undone_at)}
        </p>
      ) : (
        <div class="form-actions">
          {error && (
            <span class="field-error" role="alert">
              {error}
            </span>
          )}
          <button
            type="button"
            class="btn btn-small"
            onClick={undo}
            disabled={busy}
            data-testid="merge-undo"
          >
            {busy ? 'Undoing…' : 'Undo'}
          </button>
        </div>
      )}
    </li>
  );
}
