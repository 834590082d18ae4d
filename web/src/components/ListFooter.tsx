import type { Paged } from '../hooks';
import { ErrorBox, Loading } from './bits';

export function ListFooter<T>({ paged, noun }: { paged: Paged<T>; noun: string }) {
  const { list, loading, error } = paged;
  const n = list.items.length;
  return (
    <div class="list-footer">
      {error ? (
        <ErrorBox error={error} onRetry={list.started ? paged.loadMore : paged.reload} />
      ) : null}
      {loading && <Loading />}
      {list.started && !loading && n === 0 && !error && <p class="muted empty">No {noun} match.</p>}
      {list.started && (
        <p class="count" data-testid="shown-count" aria-live="polite">
          <strong data-testid="shown-n">{n}</strong> shown
          {list.nextCursor ? ' · more available' : ''}
        </p>
      )}
      {list.nextCursor && !error && (
        <button
          type="button"
          class="btn btn-block"
          onClick={paged.loadMore}
          disabled={loading}
          data-testid="load-more"
        >
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
