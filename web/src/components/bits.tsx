import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/problem';

export function TierBadge({ tier }: { tier: string | null | undefined }) {
  if (!tier)
    return (
      <span class="badge badge-none" title="Not segmented">
        –
      </span>
    );
  return (
    <span class={`badge tier tier-${tier.toLowerCase()}`} title={`Tier ${tier}`} data-testid="tier">
      {tier}
    </span>
  );
}

export function DncBadge() {
  return (
    <span class="badge dnc" title="Do not call" data-testid="dnc">
      DNC
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  if (status === 'active') return null;
  return <span class={`badge status status-${status}`}>{status}</span>;
}

/** "Proposed": an HCP a rep proposed, not yet verified by a data steward (usable meanwhile). */
export function ProposedBadge({ masterStatus }: { masterStatus?: string | null }) {
  if (masterStatus !== 'proposed') return null;
  return (
    <span
      class="badge proposed"
      title="Proposed by a rep; a data steward has not verified it yet"
      data-testid="proposed-badge"
    >
      Proposed
    </span>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const msg =
    error instanceof ApiError
      ? error.detail
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div class="error" role="alert" data-testid="error">
      <span>{msg}</span>
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="muted loading" aria-live="polite">
      {label}
    </p>
  );
}

export function Section({
  title,
  children,
  testid,
}: {
  title: string;
  children: ComponentChildren;
  testid?: string;
}) {
  return (
    <section class="card section" data-testid={testid}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Field({
  label,
  children,
  testid,
}: {
  label: string;
  children: ComponentChildren;
  testid?: string;
}) {
  return (
    <div class="field">
      <dt>{label}</dt>
      <dd data-testid={testid}>{children}</dd>
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted empty">{children}</p>;
}

/** The "Territory" filter of a list or report: shown only when the user has more than one. */
export function TerritorySelect({
  territories,
  value,
  onChange,
  testid,
}: {
  territories: { id: string; code: string; name: string }[];
  value: string;
  onChange: (id: string) => void;
  testid: string;
}) {
  if (territories.length <= 1) return null;
  return (
    <label>
      Territory
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)} data-testid={testid}>
        <option value="">All my territories ({territories.length})</option>
        {territories.map((t) => (
          <option key={t.id} value={t.id} data-code={t.code}>
            {t.code} · {t.name}
          </option>
        ))}
      </select>
    </label>
  );
}
