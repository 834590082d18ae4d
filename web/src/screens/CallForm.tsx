import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Hcp } from '../api/types';
import { useOffline } from '../offline/context';
import { callsOf, primaryAccountId } from '../offline/local';
import { callBlockReason, validateCall, type CallDraft } from '../offline/validate';
import { deleteDraft, saveDraft, submitCall } from '../offline/actions';
import type { CallType, PickItem } from '../offline/types';
import { uuidv7 } from '../offline/uuid';
import { MEANING_RECEIPT } from '../offline/samples';
import { callState, fairBalanceGaps, utcDate, type SamplesDraft } from '../offline/sampleBook';
import { useSampleBook } from '../offline/useSamples';
import { CallSamples, disbursementState, newSamples } from '../components/CallSamples';
import { SignatureStep } from '../components/SignatureStep';
import { parseFilters } from '../lib/query';
import { hcpHref } from '../lib/router';
import { hcpName, titleCase } from '../lib/format';
import { ErrorBox, Loading } from '../components/bits';
import { SyncGate } from './Today';
import { callWhen, productNames } from './LocalHcpProfile';

const DEFAULT_CALL_TYPES: PickItem[] = [
  { code: 'in_person', label: 'In person' },
  { code: 'remote_video', label: 'Video' },
  { code: 'phone', label: 'Phone' },
  { code: 'group', label: 'Group' },
];

/** "YYYY-MM-DDTHH:mm" in local time (for <input type=datetime-local>). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function nowMinute(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return d.toISOString();
}

export function newDraft(h: Hcp, callType: CallType = 'in_person'): CallDraft {
  return {
    id: uuidv7(),
    call_type: callType,
    hcp_ids: [h.id],
    account_id: primaryAccountId(h),
    called_at: nowMinute(),
    product_ids: [...new Set((h.segments ?? []).map((s) => s.product_id))],
    outcome: '',
    next_step: '',
    next_step_date: null,
    notes: null,
    key_message_ids: [],
    disbursement: null,
  };
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
  const { engine, data: d, calls: c } = useOffline();
  const data = d!;
  const calls = c!;
  const book = useSampleBook();
  const [draft, setDraft] = useState<CallDraft>(initial);
  const [samples, setSamples] = useState<SamplesDraft | null>(initialSamples);
  const [signing, setSigning] = useState(false);
  // Once the rep has tried to submit, the messages stay in step with the form.
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<CallDraft>) => setDraft((x) => ({ ...x, ...patch }));

  const lead = data.byId.get(draft.hcp_ids[0]);
  const oneToOne = draft.call_type !== 'group';
  const state = lead
    ? callState(draft.account_id ? data.accounts.get(draft.account_id)?.state : null, lead)
    : '';
  const on = Number.isNaN(Date.parse(draft.called_at))
    ? utcDate(new Date().toISOString())
    : utcDate(draft.called_at);
  const ds = useMemo(
    () =>
      book && lead && samples
        ? disbursementState(book, lead, samples, state, draft.called_at)
        : null,
    [book, lead, samples, state, draft.called_at],
  );
  const keyMessages = book?.key_messages ?? [];
  const gaps = fairBalanceGaps(keyMessages, draft.key_message_ids ?? []);
  const givesSamples = !!samples && samples.lines.length > 0;

  /** Field -> message for the samples: they need one HCP, no blocking finding, confirmed warnings and a signature. */
  const sampleErrors = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!givesSamples || !ds) return e;
    if (!oneToOne)
      e.samples =
        'Samples are given in a one-to-one call only: remove them or change the call type.';
    else if (ds.blocked) e.samples = 'The samples break a rule (see above): change or remove them.';
    else if (ds.warnings.length > 0 && !samples!.warnings_acknowledged)
      e.samples_ack = 'Confirm the warnings to give these samples.';
    else if (!ds.signed) e.signature = 'The HCP must sign for the samples before you submit.';
    return e;
  };
  const errors: Record<string, string> = tried
    ? { ...validateCall(draft, data.byId), ...sampleErrors() }
    : {};
  const blocked = lead ? callBlockReason(lead) : 'HCP not found';
  const pl = data.picklists;
  const callTypes = pl?.call_types?.length ? pl.call_types : DEFAULT_CALL_TYPES;
  const last = lead ? callsOf(calls.calls, lead.id).find((x) => x.id !== draft.id) : undefined;

  // Accounts: the lead HCP's affiliations; attendees for a group call: HCPs affiliated with the account.
  const affs = lead?.affiliations ?? [];
  const attendees = useMemo(() => {
    if (draft.call_type !== 'group' || !draft.account_id) return [];
    return data.hcps.filter((h) =>
      (h.affiliations ?? []).some((a) => a.account_id === draft.account_id),
    );
  }, [data, draft.call_type, draft.account_id]);
  const products = useMemo(() => {
    const ids = new Set([...(lead?.segments ?? []).map((s) => s.product_id), ...draft.product_ids]);
    return [...ids].map((id) => ({
      id,
      name:
        data.products.get(id)?.brand ??
        lead?.segments.find((s) => s.product_id === id)?.product_name ??
        id,
    }));
  }, [data, lead, draft.product_ids]);
  const productName = (id: string) =>
    products.find((p) => p.id === id)?.name ?? data.products.get(id)?.brand ?? id;
  const allProducts = [...data.products.values()].filter(
    (p) => !products.some((x) => x.id === p.id),
  );

  if (!lead) return <ErrorBox error={new Error('HCP not found on this device.')} />;
  if (blocked) {
    return (
      <div class="error" role="alert" data-testid="call-blocked">
        {hcpName(lead)}: {blocked}
      </div>
    );
  }

  const toggle = (list: string[], id: string) =>
    list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
  const done = () => {
    location.hash = '#/today';
  };
  const onSave = async () => {
    setBusy(true);
    await saveDraft(engine, draft, fromMutation, samples && samples.lines.length ? samples : null);
    done();
  };
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    const errs = { ...validateCall(draft, data.byId), ...sampleErrors() };
    if (Object.keys(errs).length) return;
    setBusy(true);
    const disbursement =
      givesSamples && ds && samples?.signature
        ? {
            id: samples.id,
            lines: ds.expanded.lines.map((l) => ({
              sku_id: l.sku_id,
              lot_id: l.lot_id ?? null,
              quantity: l.quantity,
            })),
            signature: samples.signature,
            warnings_acknowledged: samples.warnings_acknowledged,
          }
        : null;
    await submitCall(engine, {
      ...draft,
      key_message_ids: draft.key_message_ids ?? [],
      disbursement,
    });
    done();
  };
  const toggleProduct = (id: string) => {
    if (draft.product_ids.includes(id)) {
      // Key messages of a product no longer detailed go with it.
      const gone = new Set(keyMessages.filter((m) => m.product_id === id).map((m) => m.id));
      set({
        product_ids: draft.product_ids.filter((x) => x !== id),
        key_message_ids: (draft.key_message_ids ?? []).filter((m) => !gone.has(m)),
      });
    } else set({ product_ids: [...draft.product_ids, id] });
  };

  if (signing && ds && samples) {
    return (
      <SignatureStep
        record={ds.record}
        meaning={MEANING_RECEIPT}
        defaultSigner={`${lead.first_name} ${lead.last_name}`}
        title="Receipt of drug samples"
        onSigned={(signature) => {
          // The lots signed for are the lots given: pin them (a later sync must not re-pick them).
          const lines = ds.expanded.lines.map((l) => ({
            sku_id: l.sku_id,
            lot_id: l.lot_id ?? null,
            quantity: l.quantity,
          }));
          setSamples({ ...samples, lines, signature });
          setSigning(false);
        }}
        onCancel={() => setSigning(false)}
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
    <form class="call-form" onSubmit={onSubmit} data-testid="call-form" noValidate>
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
            {affs.map((a) => (
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
              {productNames(data, last.product_ids) || 'no products'} ·{' '}
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
          items={callTypes}
          value={draft.call_type}
          onPick={(code) =>
            set({
              call_type: code as CallType,
              hcp_ids: code === 'group' ? draft.hcp_ids : [lead.id],
            })
          }
          testid="call-type"
        />
        {draft.call_type === 'group' && (
          <div class="attendees" data-testid="attendees">
            <p class="small muted">Attendees at the account ({draft.hcp_ids.length} chosen)</p>
            {attendees.length === 0 && <p class="small">Choose the account first.</p>}
            {attendees.map((h) => {
              const why = callBlockReason(h);
              return (
                <label class="check" key={h.id}>
                  <input
                    type="checkbox"
                    checked={draft.hcp_ids.includes(h.id)}
                    disabled={!!why || h.id === lead.id}
                    onChange={() => set({ hcp_ids: toggle(draft.hcp_ids, h.id) })}
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
          {products.map((p) => (
            <label class={draft.product_ids.includes(p.id) ? 'pick on' : 'pick'} key={p.id}>
              <input
                type="checkbox"
                class="sr-only"
                checked={draft.product_ids.includes(p.id)}
                onChange={() => toggleProduct(p.id)}
                data-testid={`product-${p.id}`}
              />
              {p.name}
            </label>
          ))}
          {allProducts.length > 0 && (
            <select
              value=""
              aria-label="Add a product"
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (v) set({ product_ids: [...draft.product_ids, v] });
              }}
              data-testid="add-product"
            >
              <option value="">+ other product</option>
              {allProducts.map((p) => (
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
                  <h3>{productName(p)}</h3>
                  {keyMessages
                    .filter((m) => m.product_id === p)
                    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'benefit' ? -1 : 1))
                    .map((m) => (
                      <label class="check" key={m.id}>
                        <input
                          type="checkbox"
                          checked={(draft.key_message_ids ?? []).includes(m.id)}
                          onChange={() =>
                            set({ key_message_ids: toggle(draft.key_message_ids ?? [], m.id) })
                          }
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

      {book && oneToOne && (
        <fieldset class="card section">
          <legend>Samples (optional)</legend>
          {samples ? (
            <CallSamples
              book={book}
              samples={samples}
              onChange={setSamples}
              ds={ds!}
              on={on}
              preferred={draft.product_ids}
              errors={errors}
              onSign={() => setSigning(true)}
            />
          ) : (
            <button
              type="button"
              class="btn btn-small"
              onClick={() => setSamples(newSamples(book, on, draft.product_ids))}
              data-testid="add-samples"
            >
              + Give samples
            </button>
          )}
        </fieldset>
      )}
      {givesSamples && !oneToOne && (
        <p class="error" data-testid="samples-group">
          Samples are given in a one-to-one call only: change the call type or{' '}
          <button type="button" class="btn btn-small" onClick={() => setSamples(null)}>
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

      {gaps.length > 0 && (
        <p class="notice small" data-testid="fair-balance">
          Fair balance: you presented a benefit of {gaps.map(productName).join(', ')} without its
          risk information. Present the risk information too (the call is flagged for review
          otherwise).
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <p class="error" role="alert" data-testid="call-errors">
          Please fix: {Object.values(errors).join(' ')}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn" onClick={onSave} disabled={busy} data-testid="save-draft">
          Save draft
        </button>
        {isDraft && (
          <button
            type="button"
            class="btn btn-ghost"
            disabled={busy}
            onClick={async () => {
              await deleteDraft(engine, draft.id);
              done();
            }}
            data-testid="discard-draft"
          >
            Discard
          </button>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="submit-call">
          Submit
        </button>
      </div>
      <p class="muted small">Submitted calls are read-only. They sync automatically when online.</p>
    </form>
  );
}
