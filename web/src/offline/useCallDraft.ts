/** The state of the call being written (#/call/...): the draft and its samples, what the form shows
 * from them, the call rules' messages, and saving, discarding or submitting it to the outbox. */
import { useMemo, useState } from 'preact/hooks';
import type { Hcp } from '../api/types';
import { disbursementState, newSamples, type DisbursementState } from '../components/CallSamples';
import { deleteDraft, saveDraft, submitCall } from './actions';
import {
  callTypePick,
  DEFAULT_CALL_TYPES,
  detailedProducts,
  groupAttendees,
  pinnedLines,
  productToggle,
  sampleErrors,
  submittedDisbursement,
  toggled,
} from './callDraft';
import { useOffline } from './context';
import { callsOf } from './local';
import { callState, fairBalanceGaps, utcDate, type EffectiveBook } from './sampleBook';
import type { SamplesDraft } from './records';
import type { Call, KeyMessage, PickItem, Picklists, Product, Signature } from './types';
import { useSampleBook } from './useSamples';
import { callBlockReason, validateCall, type CallDraft } from './validate';

export interface CallDraftState {
  draft: CallDraft;
  /** The HCP the call is with (its first attendee); undefined when not on the device. */
  lead: Hcp | undefined;
  /** Why the lead HCP cannot be called, or null. */
  blocked: string | null;
  oneToOne: boolean;
  picklists: Picklists | null;
  callTypes: PickItem[];
  /** The lead HCP's last call before this one. */
  last: Call | undefined;
  /** Attendees a group call may list (HCPs at its account). */
  attendees: Hcp[];
  /** The product chips, and the other products that can be added. */
  products: { id: string; name: string }[];
  otherProducts: Product[];
  productName(id: string): string;
  keyMessages: KeyMessage[];
  /** Products whose benefit was presented without their risk information. */
  fairBalanceGaps: string[];
  book: EffectiveBook | null;
  samples: SamplesDraft | null;
  /** The samples checked against the rules and the record the HCP signs (null without samples). */
  disbursement: DisbursementState | null;
  givesSamples: boolean;
  /** The call's day (UTC), for the sample rules. */
  on: string;
  /** Field -> message; empty until the rep first tries to submit. */
  errors: Record<string, string>;
  signing: boolean;
  busy: boolean;

  set(patch: Partial<CallDraft>): void;
  pickCallType(code: string): void;
  toggleAttendee(id: string): void;
  toggleProduct(id: string): void;
  addProduct(id: string): void;
  toggleKeyMessage(id: string): void;
  setSamples(samples: SamplesDraft | null): void;
  addSamples(): void;
  startSigning(): void;
  cancelSigning(): void;
  /** The HCP signed: the lots signed for are the lots given, so they are pinned. */
  signed(signature: Signature): void;
  save(): Promise<void>;
  discard(): Promise<void>;
  /** Checks the call; when it passes, queues it in the outbox and leaves the form. */
  submit(): Promise<void>;
}

function leave() {
  location.hash = '#/today';
}

export function useCallDraft({
  initial,
  initialSamples,
  fromMutation,
}: {
  initial: CallDraft;
  initialSamples: SamplesDraft | null;
  fromMutation: string | null;
}): CallDraftState {
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
  const allErrors = () => ({
    ...validateCall(draft, data.byId),
    ...sampleErrors(samples, ds, oneToOne),
  });
  const attendees = useMemo(
    () => groupAttendees(data.hcps, draft.call_type, draft.account_id),
    [data, draft.call_type, draft.account_id],
  );
  const products = useMemo(
    () => detailedProducts(lead, draft.product_ids, data.products),
    [data, lead, draft.product_ids],
  );
  const productName = (id: string) =>
    products.find((p) => p.id === id)?.name ?? data.products.get(id)?.brand ?? id;

  return {
    draft,
    lead,
    blocked: lead ? callBlockReason(lead) : 'HCP not found',
    oneToOne,
    picklists: data.picklists,
    callTypes: data.picklists?.call_types?.length ? data.picklists.call_types : DEFAULT_CALL_TYPES,
    last: lead ? callsOf(calls.calls, lead.id).find((x) => x.id !== draft.id) : undefined,
    attendees,
    products,
    otherProducts: [...data.products.values()].filter((p) => !products.some((x) => x.id === p.id)),
    productName,
    keyMessages,
    fairBalanceGaps: fairBalanceGaps(keyMessages, draft.key_message_ids ?? []),
    book,
    samples,
    disbursement: ds,
    givesSamples: !!samples && samples.lines.length > 0,
    on,
    errors: tried ? allErrors() : {},
    signing,
    busy,

    set,
    pickCallType: (code) => lead && set(callTypePick(draft, code, lead.id)),
    toggleAttendee: (id) => set({ hcp_ids: toggled(draft.hcp_ids, id) }),
    toggleProduct: (id) => set(productToggle(draft, id, keyMessages)),
    addProduct: (id) => set({ product_ids: [...draft.product_ids, id] }),
    toggleKeyMessage: (id) => set({ key_message_ids: toggled(draft.key_message_ids ?? [], id) }),
    setSamples,
    addSamples: () => book && setSamples(newSamples(book, on, draft.product_ids)),
    startSigning: () => setSigning(true),
    cancelSigning: () => setSigning(false),
    signed: (signature) => {
      if (!ds || !samples) return;
      setSamples({ ...samples, lines: pinnedLines(ds), signature });
      setSigning(false);
    },
    save: async () => {
      setBusy(true);
      await saveDraft(
        engine,
        draft,
        fromMutation,
        samples && samples.lines.length ? samples : null,
      );
      leave();
    },
    discard: async () => {
      await deleteDraft(engine, draft.id);
      leave();
    },
    submit: async () => {
      setTried(true);
      if (Object.keys(allErrors()).length) return;
      setBusy(true);
      await submitCall(engine, {
        ...draft,
        key_message_ids: draft.key_message_ids ?? [],
        disbursement: submittedDisbursement(samples, ds),
      });
      leave();
    },
  };
}
