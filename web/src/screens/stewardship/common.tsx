/** Shared bits of the Data quality screens: a match score in words (probability, bits, outcome),
 * the per-field evidence as agreement chips, the status filter buttons and the reason box. */
import type { FieldEvidence, MatchScore } from '../../api/types';
import {
  agreement,
  AGREEMENT_LABELS,
  fieldLabel,
  levelLabel,
  percent,
  signedBits,
} from '../../lib/stewardship';
import { FieldError } from '../oversight/common';

const OUTCOMES: Record<string, string> = {
  same_record: 'same person',
  ask_steward: 'needs a steward',
  new_record: 'different people',
};

/** "99.96% likely the same · score +25.8 bits · needs a steward". */
export function ScoreLine({ score }: { score: MatchScore }) {
  return (
    <div
      class="score-line"
      data-testid="score"
      data-probability={score.probability}
      data-score={score.score}
      data-outcome={score.outcome}
    >
      <strong
        class="score-prob"
        data-testid="score-probability"
        title="Chance the two records are the same person, given how their fields agree"
      >
        {percent(score.probability)}
      </strong>{' '}
      <span class="muted">likely the same person</span>
      {' · '}
      <span
        data-testid="score-bits"
        title="Sum of the field weights: each bit doubles the odds that they are the same"
      >
        score {signedBits(score.score)} bits
      </span>
      {' · '}
      <span class={`badge outcome outcome-${score.outcome}`}>
        {OUTCOMES[score.outcome] ?? score.outcome}
      </span>
      {score.npi_match && <span class="badge outcome outcome-same_record">same NPI</span>}
      {score.swapped_names && (
        <span class="muted small" data-testid="swapped-names">
          {' '}
          (first and last names agree crosswise)
        </span>
      )}
    </div>
  );
}

/** One chip per weighed field: "Last name · exact · +5.8", coloured by agreement. */
export function EvidenceChips({ fields }: { fields: FieldEvidence[] }) {
  return (
    <ul class="evidence-chips" data-testid="evidence">
      {fields.map((f) => {
        const a = agreement(f.level);
        return (
          <li
            key={f.field}
            class={`ev ev-${a}`}
            data-field={f.field}
            data-agreement={a}
            title={AGREEMENT_LABELS[a]}
          >
            {fieldLabel(f.field)} · {levelLabel(f.level)} ·{' '}
            <span class="ev-weight">{signedBits(f.weight)}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function StatusFilter<T extends string>({
  value,
  options,
  labels,
  onPick,
  testid,
  count,
}: {
  value: T;
  options: readonly T[];
  labels: Record<T, string>;
  onPick: (s: T) => void;
  testid: string;
  count?: string | null;
}) {
  return (
    <div class="seg" role="group" aria-label="Status">
      {options.map((s) => (
        <button
          key={s}
          type="button"
          class={value === s ? 'btn btn-small seg-on' : 'btn btn-small'}
          aria-pressed={value === s}
          onClick={() => onPick(s)}
          data-testid={`${testid}-${s}`}
        >
          {labels[s]}
        </button>
      ))}
      {count && (
        <span class="muted small" data-testid={`${testid}-count`}>
          {count}
        </span>
      )}
    </div>
  );
}

/** A reason textarea with its error under it (`id` names the error for aria-describedby). */
export function ReasonBox({
  id,
  label,
  value,
  error,
  onInput,
  placeholder,
  testid,
}: {
  id: string;
  label: string;
  value: string;
  error: string | null;
  onInput: (v: string) => void;
  placeholder?: string;
  testid: string;
}) {
  return (
    <div class="reason-box">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={2}
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
        data-testid={testid}
      />
      <FieldError id={`${id}-error`} message={error} testid={`${testid}-error`} />
    </div>
  );
}
