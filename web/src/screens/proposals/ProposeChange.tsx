/** "Propose a change" on an HCP profile (reps and managers): specialty, office address, phone,
 * status and a new affiliation with one of the user's accounts. Only what differs is sent; the
 * record stays as it is until a data steward approves (the request shows on the profile). */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { AccountSummary, Hcp, Specialty } from '../../api/types';
import {
  changeFieldOf,
  changeFormOf,
  toHcpChange,
  validateChange,
  type ChangeErrors,
  type ChangeForm,
} from '../../lib/hcpChange';
import { uuidv7 } from '../../offline/uuid';
import { useProposalBackend } from './backend';
import {
  FieldError,
  NoteInput,
  SelectInput,
  SpecialtyOptions,
  StateOptions,
  TextInput,
} from './fields';
import './proposals.css';

export function ProposeChange({ h, onSent }: { h: Hcp; onSent?: () => void }) {
  const backend = useProposalBackend();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<ChangeForm>(() => changeFormOf(h));
  const [errors, setErrors] = useState<ChangeErrors>({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [specialties, setSpecialties] = useState<Specialty[]>([]);
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);

  useEffect(() => {
    if (!open) return;
    backend.specialties().then(setSpecialties, () => setSpecialties([]));
    backend.accounts().then(setAccounts, () => setAccounts([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the lists are loaded when the form opens
  }, [open]);

  const set = (k: keyof ChangeForm) => (v: string) => {
    const next = { ...form, [k]: v } as ChangeForm;
    setForm(next);
    if (tried) setErrors(validateChange(h, next));
  };
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    const errs = validateChange(h, form);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      await backend.proposeChange({
        id: uuidv7(),
        hcp_id: h.id,
        changes: toHcpChange(h, form),
        note: form.note.trim() || null,
      });
      setSent(true);
      setOpen(false);
      setTried(false);
      setForm(changeFormOf(h));
      onSent?.();
    } catch (err) {
      const fieldErrors: ChangeErrors = {};
      if (err instanceof ApiError)
        for (const [f, msg] of Object.entries(err.fieldErrors)) fieldErrors[changeFieldOf(f)] = msg;
      if (Object.keys(fieldErrors).length === 0)
        fieldErrors.changes = err instanceof ApiError ? err.detail : String(err);
      setErrors(fieldErrors);
    } finally {
      setBusy(false);
    }
  };

  const affiliated = new Set((h.affiliations ?? []).map((a) => a.account_id));
  return (
    <section class="card section" data-testid="propose-change">
      <details
        class="change-details"
        open={open}
        onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary data-testid="propose-change-open">Propose a change</summary>
        <p class="muted small">
          Wrong or outdated? A data steward reviews what you propose; the profile changes once
          approved.
        </p>
        <form class="change-form" onSubmit={onSubmit} noValidate data-testid="change-form">
          <SelectInput
            name="status"
            label="Status"
            value={form.status}
            onChange={set('status')}
            error={errors.status}
          >
            <option value="active">Active</option>
            <option value="retired">Retired</option>
            <option value="deceased">Deceased</option>
          </SelectInput>
          <SelectInput
            name="specialty_code"
            label="Specialty"
            value={form.specialty_code}
            onChange={set('specialty_code')}
            error={errors.specialty_code}
          >
            <SpecialtyOptions specialties={specialties} current={h.specialty_code} />
          </SelectInput>
          <TextInput
            name="line1"
            label="Street address"
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
          <TextInput
            name="phone"
            label="Office phone"
            type="tel"
            inputMode="tel"
            value={form.phone}
            onInput={set('phone')}
            error={errors.phone}
          />
          <div class="form-row">
            <SelectInput
              name="account_id"
              label="Add an affiliation"
              value={form.account_id}
              onChange={set('account_id')}
              error={errors.account_id}
            >
              <option value="">None</option>
              {accounts
                .filter((a) => !affiliated.has(a.id))
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.city})
                  </option>
                ))}
            </SelectInput>
            {form.account_id && (
              <TextInput
                name="role"
                label="Role there"
                placeholder="Attending physician"
                value={form.role}
                onInput={set('role')}
                error={errors.role}
              />
            )}
          </div>
          <NoteInput value={form.note} onInput={set('note')} error={errors.note} />
          <FieldError name="changes" error={errors.changes} />
          <button
            type="submit"
            class="btn btn-primary btn-block"
            disabled={busy}
            data-testid="change-submit"
          >
            {backend.queued ? 'Send to the data steward (when online)' : 'Send to the data steward'}
          </button>
        </form>
      </details>
      {sent && !open && (
        <p class="notice" data-testid="change-sent">
          Sent to your data steward. Nothing changes until it is approved.
        </p>
      )}
    </section>
  );
}
