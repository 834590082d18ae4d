/** "Propose a new HCP" (reps and managers, `#/hcps/new`): the essential fields with their errors,
 * a duplicate check as the user types (debounced; on the server when online, on the device
 * otherwise), a tick "This is a different person" when a shown match looks like the same
 * person, then the proposal: queued in the outbox for a rep (the HCP is usable at once), sent
 * online for a manager. Opens the new HCP's profile. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { Specialty } from '../../api/types';
import { useDebounced } from '../../hooks';
import {
  emptyProposalForm,
  formFieldOf,
  matchReady,
  toMatchRecord,
  toProposal,
  validateProposal,
  type FormErrors,
  type ProposalForm,
} from '../../lib/hcpProposal';
import { parseFilters } from '../../lib/query';
import { backIfPossible, hcpHref } from '../../lib/router';
import type { MatchRecord } from '../../offline/matching';
import { uuidv7 } from '../../offline/uuid';
import { useProposalBackend } from './backend';
import { NoteInput, SelectInput, SpecialtyOptions, StateOptions, TextInput } from './fields';
import { MatchPanel, type CheckState } from './MatchPanel';
import './proposals.css';

/** A 5-digit ZIP the device does not know in the user's territories. */
function zipHint(knownZip: (zip: string) => boolean | null, zip: string): boolean {
  const z = zip.trim().slice(0, 5);
  return /^\d{5}$/.test(z) && knownZip(z) === false;
}

export function ProposeHcp({ query }: { query: string }) {
  const backend = useProposalBackend();
  const [form, setForm] = useState<ProposalForm>(() =>
    emptyProposalForm(parseFilters(query, ['name']).name ?? ''),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const [tried, setTried] = useState(false);
  const [specialties, setSpecialties] = useState<Specialty[]>([]);
  const [check, setCheck] = useState<CheckState>({ state: 'idle' });
  const [different, setDifferent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const ids = useRef({ id: uuidv7(), hcp_id: uuidv7() });

  useEffect(() => {
    backend.specialties().then(setSpecialties, () => setSpecialties([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the specialties are loaded once, with the form
  }, []);

  // The duplicate check, 300 ms after the last keystroke, once a last name or an NPI is there.
  const record = JSON.stringify(toMatchRecord(form));
  const debounced = useDebounced(record, 300);
  const checkRef = useRef(backend.check);
  checkRef.current = backend.check;
  useEffect(() => {
    const r: MatchRecord = JSON.parse(debounced);
    if (!matchReady({ last_name: r.last_name, npi: r.npi ?? '' })) {
      setCheck({ state: 'idle' });
      return;
    }
    const ctrl = new AbortController();
    setCheck((c) => ({
      state: 'checking',
      last: c.state === 'done' ? c.result : c.state === 'checking' ? c.last : null,
    }));
    checkRef.current(r, ctrl.signal).then(
      (result) => !ctrl.signal.aborted && setCheck({ state: 'done', result }),
      (e) =>
        !ctrl.signal.aborted &&
        setCheck({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => ctrl.abort();
  }, [debounced]);

  const shown =
    check.state === 'done' && check.result.source !== 'none' ? check.result.check.matches : [];
  const needsTick = shown.some((m) => m.score.outcome === 'same_record');
  const set = (k: keyof ProposalForm) => (v: string) => {
    const next = { ...form, [k]: v };
    setForm(next);
    if (tried) setErrors(validateProposal(next));
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    setServerError(null);
    const errs = validateProposal(form);
    setErrors(errs);
    if (Object.keys(errs).length > 0 || (needsTick && !different)) {
      const first = Object.keys(errs)[0] ?? (needsTick && !different ? 'different' : null);
      if (first) document.querySelector<HTMLElement>(`[data-testid=f-${first}]`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await backend.propose(toProposal(form, ids.current, needsTick && different));
      location.hash = hcpHref(ids.current.hcp_id);
    } catch (err) {
      setBusy(false);
      if (!(err instanceof ApiError)) return setServerError(String(err));
      const fieldErrors: FormErrors = {};
      for (const [f, msg] of Object.entries(err.fieldErrors)) {
        const k = formFieldOf(f);
        if (k) fieldErrors[k] = msg;
      }
      if (err.code === 'duplicate_npi') fieldErrors.npi = err.detail;
      setErrors(fieldErrors);
      if (Object.keys(fieldErrors).length === 0 || err.code === 'validation_failed')
        setServerError(err.detail);
    }
  };

  return (
    <div class="screen" data-testid="propose-hcp">
      <a class="back" href="#/hcps" onClick={backIfPossible('#/hcps')}>
        ‹ HCPs
      </a>
      <h1>Propose a new HCP</h1>
      <p class="muted small">
        A data steward checks every new HCP.{' '}
        {backend.queued
          ? 'You can open it and log calls on it at once, also offline.'
          : 'You can open it at once.'}
      </p>
      <form
        class="card section proposal-form"
        onSubmit={onSubmit}
        noValidate
        data-testid="proposal-form"
      >
        <TextInput
          name="npi"
          label="NPI"
          inputMode="numeric"
          maxLength={10}
          value={form.npi}
          onInput={set('npi')}
          error={errors.npi}
        />
        <div class="form-row">
          <TextInput
            name="first_name"
            label="First name"
            value={form.first_name}
            onInput={set('first_name')}
            error={errors.first_name}
          />
          <TextInput
            name="last_name"
            label="Last name"
            value={form.last_name}
            onInput={set('last_name')}
            error={errors.last_name}
          />
        </div>
        <div class="form-row narrow-first">
          <TextInput
            name="credentials"
            label="Credentials"
            placeholder="MD, NP…"
            value={form.credentials}
            onInput={set('credentials')}
          />
          <SelectInput
            name="specialty_code"
            label="Specialty"
            value={form.specialty_code}
            onChange={set('specialty_code')}
            error={errors.specialty_code}
          >
            <SpecialtyOptions specialties={specialties} />
          </SelectInput>
        </div>
        <TextInput
          name="line1"
          label="Street address"
          autoComplete="address-line1"
          value={form.line1}
          onInput={set('line1')}
          error={errors.line1}
        />
        <TextInput
          name="city"
          label="City"
          value={form.city}
          onInput={set('city')}
          error={errors.city}
        />
        <div class="form-row">
          <SelectInput
            name="state"
            label="State"
            value={form.state}
            onChange={set('state')}
            error={errors.state}
          >
            <StateOptions />
          </SelectInput>
          <TextInput
            name="zip"
            label="ZIP"
            inputMode="numeric"
            maxLength={10}
            value={form.zip}
            onInput={set('zip')}
            error={errors.zip}
          />
        </div>
        {zipHint(backend.knownZip, form.zip) && (
          <p class="muted small" data-testid="zip-hint">
            None of your HCPs or accounts has this ZIP: a new HCP must be in your territories, or
            the server refuses it.
          </p>
        )}
        <TextInput
          name="phone"
          label="Office phone (optional)"
          type="tel"
          inputMode="tel"
          value={form.phone}
          onInput={set('phone')}
          error={errors.phone}
        />
        <NoteInput value={form.note} onInput={set('note')} error={errors.note} />

        <MatchPanel check={check} />
        {needsTick && (
          <label class="check different" data-testid="different-check">
            <input
              type="checkbox"
              checked={different}
              onChange={(e) => setDifferent(e.currentTarget.checked)}
              data-testid="f-different"
            />
            This is a different person
          </label>
        )}
        {tried && needsTick && !different && (
          <p class="field-error" data-testid="error-different">
            A match above looks like the same person: open it instead, or tick “This is a different
            person”.
          </p>
        )}
        {serverError && (
          <p class="error" role="alert" data-testid="propose-error">
            {serverError}
          </p>
        )}
        <button
          type="submit"
          class="btn btn-primary btn-block"
          disabled={busy}
          data-testid="propose-submit"
        >
          {backend.queued ? 'Propose (sent when online)' : 'Propose'}
        </button>
      </form>
    </div>
  );
}
