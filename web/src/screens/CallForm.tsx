import { useEffect, useState } from 'preact/hooks';
import { useOffline } from '../offline/context';
import { newDraft } from '../offline/callDraft';
import { useCallDraft } from '../offline/useCallDraft';
import { callBlockReason, type CallDraft } from '../offline/validate';
import type { CallType, PickItem } from '../offline/types';
import { MEANING_RECEIPT } from '../offline/samples';
import type { SamplesDraft } from '../offline/records';
import { CallSamples } from '../components/CallSamples';
import { SignatureStep } from '../components/SignatureStep';
import { parseFilters } from '../lib/query';
import { hcpHref } from '../lib/router';
import { hcpName, titleCase } from '../lib/format';
import { ErrorBox, Loading } from '../components/bits';
import { SyncGate } from './Today';
import { callWhen, productNames } from './LocalHcpProfile';

/** "YYYY-MM-DDTHH:mm" in local time (for <input type=datetime-local>). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "#/call/new?hcp=<id>" or "#/call/<draft id>". */
export function CallForm({ id, query }: { id: string; query: string }) {
  const { data, calls, engine } = useOffline();
  const [draft, setDraft] = useState<CallDraft | null>(null);
  const [fromMutation, setFromMutation] = useState<string | null>(null);
  const [samples, setSamples] = useState<SamplesDraft | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (!data || draft) return;
    if (id === 'new') {
      const params = parseFilters(query, ['hcp', 'type']);
      const h = params.hcp ? data.byId.get(params.hcp) : undefined;
      if (!h) setMissing(true);
      else setDraft(newDraft(h, (params.type as CallType) || 'in_person'));
    } else {
      engine.db.drafts.get(id).then((row) => {
        if (!row) setMissing(true);
        else {
          setDraft({
            ...row.draft,
            key_message_ids: row.draft.key_message_ids ?? [],
            disbursement: null,
          });
          setFromMutation(row.from_mutation);
          setSamples(row.samples ?? null);
        }
      });
    }
  }, [data, draft, engine, id, query]);

  return (
    <div class="screen">
      <a class="back" href="#/today">
        ‹ Today
      </a>
      <SyncGate>
        {missing ? (
          <ErrorBox error={new Error('This call or HCP is not on this device.')} />
        ) : !draft || !data || !calls ? (
          <Loading />
        ) : (
          <Form
            key={draft.id}
            initial={draft}
            initialSamples={samples}
            fromMutation={fromMutation}
            isDraft={id !== 'new'}
          />
        )}
      </SyncGate>
    </div>
  );
}

function Chips({
  name,
  items,
  value,
  onPick,
  testid,
}: {
  name: string;
  items: PickItem[];
  value: string;
  onPick: (code: string) => void;
  testid: string;
}) {
  return (
    <div class="chip-pick" role="radiogroup" aria-label={name}>
      {items.map((it) => (
        <button
          type="button"
          key={it.code}
          role="radio"
          aria-checked={value === it.code}
          class={value === it.code ? 'pick on' : 'pick'}
          onClick={() => onPick(it.code)}
          data-testid={`${testid}-${it.code}`}
        >
          {it.label}
        </button>
      ))}
    </div>
  );
}

function Form({
  initial,
  initialSamples,
  fromMutation,
  isDraft,
}: {
  initial: CallDraft;
  initialSamples: SamplesDraft | null;
  fromMutation: string | null;
  isDraft: boolean;
}) {
  const { data } = useOffline();
  const call = useCallDraft({ initial, initialSamples, fromMutation });
  const { draft, lead, set, errors, keyMessages, book, samples, disbursement: ds } = call;
  const pl = call.picklists;
  const last = call.last;

  if (!lead) return <ErrorBox error={new Error('HCP not found on this device.')} />;
  if (call.blocked) {
    return (
      <div class="error" role="alert" data-testid="call-blocked">
        {hcpName(lead)}: {call.blocked}
      </div>
    );
  }

  if (call.signing && ds && samples) {
    return (
      <SignatureStep
        record={ds.record}
        meaning={MEANING_RECEIPT}
        practitioner={lead}
        title="Receipt of drug samples"
        onSigned={call.signed}
        onCancel={call.cancelSigning}
      />
    );
  }
  const err = (f: string) =>
    errors[f] ? (
      <p class="field-error" data-testid={`error-${f}`}>
        {errors[f]}
      </p>
    ) : null;

  return (
    <form
      class="call-form"
      onSubmit={(e) => {
        e.preventDefault();
        void call.submit();
      }}
      data-testid="call-form"
      noValidate
    >
      <header class="profile-head">
        <h1>
          {draft.call_type === 'group' ? 'Group call' : 'Call'} with{' '}
          <a href={hcpHref(lead.id)} data-testid="call-hcp">
            {hcpName(lead)}
          </a>
        </h1>
        {fromMutation && <p class="notice">Rejected by the server: fix and submit again.</p>}
      </header>

      <section class="card section context" data-testid="call-context">
        <div class="ctx-row">
          <span class="muted">When</span>
          <input
            type="datetime-local"
            value={toLocalInput(draft.called_at)}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v) set({ called_at: new Date(v).toISOString() });
            }}
            data-testid="call-when"
            aria-label="Date and time"
          />
        </div>
        {err('called_at')}
        <div class="ctx-row">
          <span class="muted">Where</span>
          <select
            value={draft.account_id ?? ''}
            onChange={(e) => set({ account_id: e.currentTarget.value || null })}
            data-testid="call-account"
            aria-label="Location (account)"
          >
            <option value="">No account</option>
            {(lead.affiliations ?? []).map((a) => (
              <option key={a.account_id} value={a.account_id}>
                {a.account_name}
                {a.primary ? ' (primary)' : ''}
              </option>
            ))}
          </select>
        </div>
        {err('account_id')}
        <p class="small" data-testid="last-visit">
          {last ? (
            <>
              <span class="muted">Last visit</span> {callWhen(last.called_at)} ·{' '}
              {productNames(data!, last.product_ids) || 'no products'} ·{' '}
              {pl?.outcomes.find((x) => x.code === last.outcome)?.label ?? titleCase(last.outcome)}
              {last.notes ? ` · “${last.notes}”` : ''}
            </>
          ) : (
            <span class="muted">No earlier visit on record.</span>
          )}
        </p>
      </section>

      <fieldset class="card section">
        <legend>Call type</legend>
        <Chips
          name="Call type"
          items={call.callTypes}
          value={draft.call_type}
          onPick={call.pickCallType}
          testid="call-type"
        />
        {draft.call_type === 'group' && (
          <div class="attendees" data-testid="attendees">
            <p class="small muted">Attendees at the account ({draft.hcp_ids.length} chosen)</p>
            {call.attendees.length === 0 && <p class="small">Choose the account first.</p>}
            {call.attendees.map((h) => {
              const why = callBlockReason(h);
              return (
                <label class="check" key={h.id}>
                  <input
                    type="checkbox"
                    checked={draft.hcp_ids.includes(h.id)}
                    disabled={!!why || h.id === lead.id}
                    onChange={() => call.toggleAttendee(h.id)}
                    data-testid="attendee"
                    data-id={h.id}
                  />
                  {hcpName(h)} {why && <span class="muted small">({why})</span>}
                </label>
              );
            })}
          </div>
        )}
        {err('hcp_ids')}
      </fieldset>

      <fieldset class="card section">
        <legend>Products detailed</legend>
        <div class="chip-pick">
          {call.products.map((p) => (
            <label class={draft.product_ids.includes(p.id) ? 'pick on' : 'pick'} key={p.id}>
              <input
                type="checkbox"
                class="sr-only"
                checked={draft.product_ids.includes(p.id)}
                onChange={() => call.toggleProduct(p.id)}
                data-testid={`product-${p.id}`}
              />
              {p.name}
            </label>
          ))}
          {call.otherProducts.length > 0 && (
            <select
              value=""
              aria-label="Add a product"
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (v) call.addProduct(v);
              }}
              data-testid="add-product"
            >
              <option value="">+ other product</option>
              {call.otherProducts.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.brand}
                </option>
              ))}
            </select>
          )}
        </div>
        {draft.product_ids.some((p) => keyMessages.some((m) => m.product_id === p)) && (
          <details
            class="key-messages"
            data-testid="key-messages"
            open={(draft.key_message_ids ?? []).length > 0}
          >
            <summary>Key messages presented ({(draft.key_message_ids ?? []).length})</summary>
            {draft.product_ids
              .filter((p) => keyMessages.some((m) => m.product_id === p))
              .map((p) => (
                <div key={p}>
                  <h3>{call.productName(p)}</h3>
                  {keyMessages
                    .filter((m) => m.product_id === p)
                    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'benefit' ? -1 : 1))
                    .map((m) => (
                      <label class="check" key={m.id}>
                        <input
                          type="checkbox"
                          checked={(draft.key_message_ids ?? []).includes(m.id)}
                          onChange={() => call.toggleKeyMessage(m.id)}
                          data-testid={`km-${m.id}`}
                          data-kind={m.kind}
                        />
                        <span>
                          <span class={`km-kind ${m.kind}`}>{m.kind}</span>
                          {m.text}
                        </span>
                      </label>
                    ))}
                </div>
              ))}
          </details>
        )}
      </fieldset>

      <fieldset class="card section">
        <legend>Outcome *</legend>
        <Chips
          name="Outcome"
          items={pl?.outcomes ?? []}
          value={draft.outcome}
          onPick={(v) => set({ outcome: v })}
          testid="outcome"
        />
        {err('outcome')}
      </fieldset>

      <fieldset class="card section">
        <legend>Next step *</legend>
        <Chips
          name="Next step"
          items={pl?.next_steps ?? []}
          value={draft.next_step}
          onPick={(v) => set({ next_step: v })}
          testid="next-step"
        />
        {err('next_step')}
        <label class="inline">
          Date (optional)
          <input
            type="date"
            value={draft.next_step_date ?? ''}
            onChange={(e) => set({ next_step_date: e.currentTarget.value || null })}
            data-testid="next-step-date"
          />
        </label>
        {err('next_step_date')}
      </fieldset>

      {book && call.oneToOne && (
        <fieldset class="card section">
          <legend>Samples (optional)</legend>
          {samples ? (
            <CallSamples
              book={book}
              samples={samples}
              onChange={call.setSamples}
              ds={ds!}
              on={call.on}
              preferred={draft.product_ids}
              errors={errors}
              onSign={call.startSigning}
            />
          ) : (
            <button
              type="button"
              class="btn btn-small"
              onClick={call.addSamples}
              data-testid="add-samples"
            >
              + Give samples
            </button>
          )}
        </fieldset>
      )}
      {call.givesSamples && !call.oneToOne && (
        <p class="error" data-testid="samples-group">
          Samples are given in a one-to-one call only: change the call type or{' '}
          <button type="button" class="btn btn-small" onClick={() => call.setSamples(null)}>
            remove the samples
          </button>
        </p>
      )}

      <fieldset class="card section">
        <legend>Notes (optional)</legend>
        <textarea
          rows={2}
          value={draft.notes ?? ''}
          onInput={(e) => set({ notes: e.currentTarget.value || null })}
          data-testid="call-notes"
          aria-label="Notes"
        />
      </fieldset>

      {call.fairBalanceGaps.length > 0 && (
        <p class="notice small" data-testid="fair-balance">
          Fair balance: you presented a benefit of{' '}
          {call.fairBalanceGaps.map(call.productName).join(', ')} without its risk information.
          Present the risk information too (the call is flagged for review otherwise).
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <p class="error" role="alert" data-testid="call-errors">
          Please fix: {Object.values(errors).join(' ')}
        </p>
      )}
      <div class="form-actions">
        <button
          type="button"
          class="btn"
          onClick={call.save}
          disabled={call.busy}
          data-testid="save-draft"
        >
          Save draft
        </button>
        {isDraft && (
          <button
            type="button"
            class="btn btn-ghost"
            disabled={call.busy}
            onClick={call.discard}
            data-testid="discard-draft"
          >
            Discard
          </button>
        )}
        <button
          type="submit"
          class="btn btn-primary"
          disabled={call.busy}
          data-testid="submit-call"
        >
          Submit
        </button>
      </div>
      <p class="muted small">Submitted calls are read-only. They sync automatically when online.</p>
    </form>
  );
}
