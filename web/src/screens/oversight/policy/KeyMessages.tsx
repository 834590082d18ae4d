/** Key messages on the policy screen: per product, the benefit claims and the risk information reps present. */
import { useState } from 'preact/hooks';
import type { KeyMessage } from '../../../api/types';
import { useApp } from '../../../context';
import { useLoad } from '../../../hooks';
import { uuidv7 } from '../../../offline/uuid';
import { ErrorBox, Loading } from '../../../components/bits';
import { errorText, FieldError, fieldErrorsOf, type Catalog, FormFooter } from '../common';

export function KeyMessages({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const res = useLoad(() => api.keyMessages(), [gen]);
  const [editing, setEditing] = useState<KeyMessage | null>(null);
  const done = (saved: boolean) => {
    setEditing(null);
    if (saved) setGen((g) => g + 1);
  };
  return (
    <section class="card section" data-testid="key-messages">
      <h2>Key messages</h2>
      <p class="muted small">
        What reps present per product: benefit claims and the risk information that balances them.
      </p>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        catalog.products.map((p) => {
          const ms = res.data.filter((m) => m.product_id === p.id);
          const benefits = ms.filter((m) => m.kind === 'benefit').length;
          const risks = ms.filter((m) => m.kind === 'risk').length;
          return (
            <div key={p.id} class="km-product" data-testid="km-product" data-id={p.id}>
              <h3>
                {p.brand}{' '}
                {benefits > 0 && risks === 0 && (
                  <span class="badge dnc" title="Benefit claims need risk information alongside">
                    no risk information
                  </span>
                )}
              </h3>
              {ms.length === 0 ? (
                <p class="muted small">No key messages.</p>
              ) : (
                <ul class="km-list">
                  {ms.map((m) => (
                    <li key={m.id} data-testid="key-message" data-id={m.id} data-kind={m.kind}>
                      <span class={`badge km-${m.kind}`}>{m.kind}</span> {m.text}{' '}
                      <button
                        type="button"
                        class="btn-link"
                        onClick={() => setEditing(m)}
                        data-testid="km-edit"
                      >
                        Edit
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              {editing && editing.product_id === p.id && (
                <KeyMessageForm
                  key={editing.id}
                  initial={editing}
                  catalog={catalog}
                  onDone={done}
                />
              )}
              {!(editing && editing.product_id === p.id) && (
                <button
                  type="button"
                  class="btn-link"
                  onClick={() =>
                    setEditing({
                      id: uuidv7(),
                      product_id: p.id,
                      kind: risks === 0 && benefits > 0 ? 'risk' : 'benefit',
                      text: '',
                    })
                  }
                  data-testid="km-new"
                >
                  Add a message
                </button>
              )}
            </div>
          );
        })}
    </section>
  );
}

function KeyMessageForm({
  initial,
  catalog,
  onDone,
}: {
  initial: KeyMessage;
  catalog: Catalog;
  onDone: (saved: boolean) => void;
}) {
  const { api } = useApp();
  const [kind, setKind] = useState(initial.kind);
  const [text, setText] = useState(initial.text);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!text.trim()) {
      setErrors({ text: 'is required' });
      return;
    }
    setBusy(true);
    try {
      await api.putKeyMessage({ ...initial, kind, text: text.trim() });
      onDone(true);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="policy-form" onSubmit={submit} noValidate data-testid="km-form">
      <h3>{catalog.productName(initial.product_id)}: key message</h3>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value)} data-testid="km-kind">
          <option value="benefit">Benefit</option>
          <option value="risk">Risk information</option>
        </select>
        <FieldError id="km-kind-error" message={errors.kind} />
      </label>
      <label>
        Text
        <textarea
          rows={3}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          aria-invalid={errors.text ? true : undefined}
          data-testid="km-text"
        />
        <FieldError id="km-text-error" message={errors.text} testid="km-text-error" />
      </label>
      <FormFooter
        errors={errors}
        shown={['kind', 'text']}
        error={error}
        busy={busy}
        onCancel={() => onDone(false)}
        save="Save message"
        testid="km-save"
      />
    </form>
  );
}
