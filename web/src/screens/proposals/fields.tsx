/** Labelled inputs of the proposal forms, each with its error under it (`data-testid` is the
 * field's name: `f-<name>`, its error `error-<name>`). */
import type { ComponentChildren } from 'preact';
import type { Specialty } from '../../api/types';
import { US_STATES } from '../../lib/usStates';

export function FieldError({ name, error }: { name: string; error?: string }) {
  return error ? (
    <p class="field-error" id={`err-${name}`} data-testid={`error-${name}`}>
      {error}
    </p>
  ) : null;
}

interface InputProps {
  name: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string;
  type?: string;
  inputMode?: 'numeric' | 'tel' | 'text';
  autoComplete?: string;
  placeholder?: string;
  maxLength?: number;
}

export function TextInput(p: InputProps) {
  return (
    <label class="form-field">
      {p.label}
      <input
        name={p.name}
        type={p.type ?? 'text'}
        inputMode={p.inputMode}
        autoComplete={p.autoComplete ?? 'off'}
        placeholder={p.placeholder}
        maxLength={p.maxLength}
        value={p.value}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? `err-${p.name}` : undefined}
        data-testid={`f-${p.name}`}
      />
      <FieldError name={p.name} error={p.error} />
    </label>
  );
}

export function SelectInput(p: {
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <label class="form-field">
      {p.label}
      <select
        name={p.name}
        value={p.value}
        onChange={(e) => p.onChange(e.currentTarget.value)}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? `err-${p.name}` : undefined}
        data-testid={`f-${p.name}`}
      >
        {p.children}
      </select>
      <FieldError name={p.name} error={p.error} />
    </label>
  );
}

export function SpecialtyOptions({
  specialties,
  current,
}: {
  specialties: Specialty[];
  current?: string;
}) {
  const list =
    current && !specialties.some((s) => s.code === current)
      ? [{ code: current, name: current }, ...specialties]
      : specialties;
  return (
    <>
      <option value="">Choose a specialty</option>
      {list.map((s) => (
        <option key={s.code} value={s.code}>
          {s.name}
        </option>
      ))}
    </>
  );
}

export function StateOptions() {
  return (
    <>
      <option value="">State</option>
      {US_STATES.map((s) => (
        <option key={s} value={s}>
          {s}
        </option>
      ))}
    </>
  );
}

export function NoteInput({
  value,
  onInput,
  error,
}: {
  value: string;
  onInput: (v: string) => void;
  error?: string;
}) {
  return (
    <label class="form-field">
      Note for the data steward (optional)
      <textarea
        name="note"
        rows={2}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        data-testid="f-note"
      />
      <FieldError name="note" error={error} />
    </label>
  );
}
