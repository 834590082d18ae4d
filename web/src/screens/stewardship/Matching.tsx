/** The matching model: the link and review thresholds (checked here as the server does, with the
 * server's field errors shown too), the weight of each field's agreement levels (m, u and
 * log2(m/u) in bits), when it was estimated, and re-estimation from the data. */
import { useState } from 'preact/hooks';
import type { MatchingModel } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { when } from '../../lib/oversight';
import {
  checkThresholds,
  fieldLabel,
  levelLabel,
  signedBits,
  type ThresholdErrors,
} from '../../lib/stewardship';
import { ErrorBox, Loading } from '../../components/bits';
import { errorText, FieldError, fieldErrorsOf } from '../oversight/common';

export function MatchingSection() {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const [model, setModel] = useState<MatchingModel | null>(null);
  const res = useLoad(() => api.matchingModel().then((m) => (setModel(m), m)), [gen]);
  if (!model) {
    if (res.state === 'error')
      return <ErrorBox error={res.error} onRetry={() => setGen((g) => g + 1)} />;
    return <Loading />;
  }
  return (
    <section
      data-testid="matching"
      data-link={model.thresholds.link}
      data-review={model.thresholds.review}
    >
      <p class="muted small">
        Two records are compared field by field. <strong>m</strong> is how often a field agrees at
        that level between records of the same person, <strong>u</strong> how often it does between
        different people; the weight log₂(m/u) in bits is added to a pair's score (each bit doubles
        the odds). The score and the share of duplicates among candidate pairs give the probability
        that the pair is the same person.
      </p>
      <ThresholdsForm model={model} onSaved={setModel} />
      <WeightsTable model={model} onEstimated={setModel} />
    </section>
  );
}

function ThresholdsForm({
  model,
  onSaved,
}: {
  model: MatchingModel;
  onSaved: (m: MatchingModel) => void;
}) {
  const { api } = useApp();
  const [link, setLink] = useState(String(model.thresholds.link));
  const [review, setReview] = useState(String(model.thresholds.review));
  const [errors, setErrors] = useState<ThresholdErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const checked = checkThresholds(link, review);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onSaved(await api.putThresholds(checked.value));
      setSaved(true);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      if (fe.link || fe.review) setErrors({ link: fe.link, review: fe.review });
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const input = (id: 'link' | 'review', value: string, set: (v: string) => void) => (
    <input
      id={`threshold-${id}`}
      inputMode="decimal"
      value={value}
      aria-invalid={errors[id] ? true : undefined}
      aria-describedby={errors[id] ? `threshold-${id}-error` : undefined}
      onInput={(e) => {
        set(e.currentTarget.value);
        setSaved(false);
      }}
      data-testid={`threshold-${id}`}
    />
  );
  return (
    <form
      class="card section thresholds"
      onSubmit={submit}
      noValidate
      data-testid="thresholds-form"
    >
      <h2>Thresholds</h2>
      <p class="muted small">
        At or above <strong>link</strong> a pair is taken as the same person (a rep is pointed to
        the existing record; a scan queues it as a sure duplicate). Between <strong>review</strong>{' '}
        and link it goes to a steward. Below review the records are different people.
      </p>
      <div class="threshold-fields">
        <div>
          <label for="threshold-link">Link (0–1)</label>
          {input('link', link, setLink)}
          <FieldError
            id="threshold-link-error"
            message={errors.link}
            testid="threshold-link-error"
          />
        </div>
        <div>
          <label for="threshold-review">Review (0–1, not above link)</label>
          {input('review', review, setReview)}
          <FieldError
            id="threshold-review-error"
            message={errors.review}
            testid="threshold-review-error"
          />
        </div>
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        {saved && (
          <span class="ok-text" role="status" data-testid="thresholds-saved">
            Saved.
          </span>
        )}
        <button
          type="submit"
          class="btn btn-primary btn-small"
          disabled={busy}
          data-testid="thresholds-save"
        >
          {busy ? 'Saving…' : 'Save thresholds'}
        </button>
      </div>
    </form>
  );
}

function WeightsTable({
  model,
  onEstimated,
}: {
  model: MatchingModel;
  onEstimated: (m: MatchingModel) => void;
}) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const p = model.parameters;
  const estimate = async () => {
    setBusy(true);
    setError(null);
    try {
      onEstimated(await api.estimateMatching());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card section" data-testid="weights">
      <div class="recon-head">
        <h2>Field weights</h2>
        <div class="recon-actions">
          <button
            type="button"
            class="btn btn-small"
            onClick={estimate}
            disabled={busy}
            data-testid="estimate"
          >
            {busy ? 'Estimating…' : 'Re-estimate from the data'}
          </button>
        </div>
      </div>
      <p class="muted small" data-testid="estimated-at" data-value={model.estimated_at ?? ''}>
        {model.estimated_at
          ? `Estimated ${when(model.estimated_at)} from ${p.candidate_pairs.toLocaleString()} candidate pairs and ${p.random_pairs.toLocaleString()} random pairs (${p.iterations} iterations); duplicates are ${(p.prior * 100).toPrecision(2)}% of candidate pairs.`
          : 'Starting values: not estimated from the data yet.'}
        {model.updated_by ? ` Last changed by ${model.updated_by}.` : ''}
      </p>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="table-wrap">
        <table class="table weights-table">
          <thead>
            <tr>
              <th>Field</th>
              <th>Level</th>
              <th class="num" title="How often duplicates agree at this level">
                m
              </th>
              <th class="num" title="How often different people agree at this level">
                u
              </th>
              <th class="num">Weight (bits)</th>
            </tr>
          </thead>
          {model.weights.map((f) => (
            <tbody key={f.field} data-testid="weight-field" data-field={f.field}>
              {f.levels.map((l, i) => (
                <tr key={l.level} data-testid="weight-row" data-level={l.level}>
                  {i === 0 && (
                    <th scope="rowgroup" rowSpan={f.levels.length}>
                      {fieldLabel(f.field)}
                    </th>
                  )}
                  <td>{levelLabel(l.level)}</td>
                  <td class="num">{l.m.toFixed(4)}</td>
                  <td class="num">{l.u.toFixed(4)}</td>
                  <td class={l.weight >= 0 ? 'num ev-pos' : 'num ev-neg'}>
                    {signedBits(l.weight)}
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </section>
  );
}
