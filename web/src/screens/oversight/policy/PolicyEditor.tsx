/** The shape every sample-policy screen shares: a card with the policy's rows (a table, or a body of
 * its own), and the form that adds or edits one, both drawn from a small column and field description. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useLoad } from '../../../hooks';
import { Empty, ErrorBox, Loading } from '../../../components/bits';
import { errorText, FieldError, fieldErrorsOf, FormFooter } from '../common';

/** One column of the rows' table. */
export interface PolicyColumn<Row> {
  heading: string;
  /** A number: right-aligned (`num` on the heading and the cell). */
  num?: boolean;
  /** The cell's own class (not the heading's). */
  cellClass?: string;
  /** The cell's `data-testid`, and its `data-value` (what tests compare). */
  testid?: string;
  value?: (row: Row) => string | number;
  cell: (row: Row) => ComponentChildren;
}

/** A button of a row's actions (besides Edit). Resolving to true reloads the rows. */
export interface PolicyRowAction<Row> {
  label: string;
  testid: string;
  run: (row: Row) => Promise<boolean>;
}

export interface PolicyTable<Row, D> {
  columns: PolicyColumn<Row>[];
  /** `data-testid` of a row; `data-id` is `rowId`. */
  rowTestid: string;
  rowId: (row: Row) => string;
  /** Shown instead of the table when there are no rows. */
  empty: string;
  /** The Edit button (none: the rows are read only): its test id and the draft it opens. */
  edit?: { testid: string; draft: (row: Row) => D };
  actions?: PolicyRowAction<Row>[];
}

/** One input of the form. `name` is the draft's key and the field its errors are reported on. */
export interface PolicyField<D> {
  name: keyof D & string;
  label: string | ((d: D) => string);
  input: 'text' | 'number' | 'date' | 'textarea' | 'select';
  testid: string;
  options?: { value: string; label: string }[];
  /** Shown only when true. */
  when?: (d: D) => boolean;
  /** The change a new value makes (default: the field alone). */
  change?: (value: string, d: D) => Partial<D>;
  inputMode?: 'decimal' | 'numeric' | ((d: D) => 'decimal' | 'numeric');
  maxLength?: number;
  min?: number;
  placeholder?: string;
  rows?: number;
}

export interface PolicyForm<D, Saved> {
  /** `data-testid` of the form, prefix of its errors' ids (`<prefix>-<field>-error`). */
  testid: string;
  prefix: string;
  /** The form's `data-id`, if it has one. */
  id?: (d: D) => string;
  /** Remounts the form when another row is opened. */
  key: (d: D) => string;
  title: (d: D) => ComponentChildren;
  fields: PolicyField<D>[];
  /** Lay the fields out in a grid (default) or one under another. */
  grid?: boolean;
  /** Shown under the fields (e.g. a preview of the rule). */
  below?: (d: D) => ComponentChildren;
  /** An edit clears the changed fields' errors (default: they stay until the next save). */
  clearErrorsOnEdit?: boolean;
  save: string;
  /** The save button's text while saving (default: unchanged). */
  saving?: string;
  saveTestid: string;
  /** Checks the draft: its field errors, or the request that saves it. */
  check: (d: D) => { errors: Record<string, string> } | { send: () => Promise<Saved> };
}

/** What a screen with a body of its own gets to draw its rows and place the form. */
export interface PolicyBody<D> {
  /** The draft being edited (null: none). */
  editing: D | null;
  edit: (d: D) => void;
  /** The form of `editing` (null when nothing is edited). */
  form: ComponentChildren;
}

export function PolicyEditor<Row, D, Saved>(p: {
  testid: string;
  title: string;
  intro: ComponentChildren;
  /** Filters above the rows. */
  controls?: ComponentChildren;
  load: () => Promise<Row[]>;
  /** What `load` depends on besides saves (e.g. a filter). */
  deps?: unknown[];
  order?: (a: Row, b: Row) => number;
  table?: PolicyTable<Row, D>;
  /** Draws the rows instead of a table. */
  body?: (rows: Row[], b: PolicyBody<D>) => ComponentChildren;
  /** Between the rows and the form (e.g. a message about the last change). */
  after?: ComponentChildren;
  /** The "New" button under the rows (none: rows are only edited). */
  create?: { label: string; testid: string; draft: () => D };
  onEdit?: () => void;
  onSaved?: (saved: Saved) => void;
  form: PolicyForm<D, Saved>;
}) {
  const [gen, setGen] = useState(0);
  const res = useLoad(p.load, [...(p.deps ?? []), gen]);
  const [editing, setEditing] = useState<D | null>(null);
  const reload = () => setGen((g) => g + 1);
  const create = p.create;
  const edit = (d: D) => {
    p.onEdit?.();
    setEditing(d);
  };
  const rows = res.state === 'ok' ? (p.order ? [...res.data].sort(p.order) : res.data) : [];
  const form = editing && (
    <PolicyFormView
      key={p.form.key(editing)}
      spec={p.form}
      initial={editing}
      onDone={(saved) => {
        setEditing(null);
        if (saved) {
          p.onSaved?.(saved);
          reload();
        }
      }}
    />
  );
  return (
    <section class="card section" data-testid={p.testid}>
      <h2>{p.title}</h2>
      <p class="muted small">{p.intro}</p>
      {p.controls}
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (p.body
          ? p.body(rows, { editing, edit, form })
          : p.table && <RowsTable table={p.table} rows={rows} edit={edit} reload={reload} />)}
      {p.after}
      {!p.body && (editing ? form : create && <NewButton create={create} edit={edit} />)}
    </section>
  );
}

function NewButton<D>({
  create,
  edit,
}: {
  create: { label: string; testid: string; draft: () => D };
  edit: (d: D) => void;
}) {
  return (
    <div class="form-actions">
      <button
        type="button"
        class="btn btn-small"
        onClick={() => edit(create.draft())}
        data-testid={create.testid}
      >
        {create.label}
      </button>
    </div>
  );
}

/** The rows' table, or the `empty` message when there are none. */
function RowsTable<Row, D>({
  table,
  rows,
  edit,
  reload,
}: {
  table: PolicyTable<Row, D>;
  rows: Row[];
  edit: (d: D) => void;
  reload: () => void;
}) {
  const editRow = table.edit;
  const hasActions = !!editRow || !!table.actions?.length;
  if (rows.length === 0) return <Empty>{table.empty}</Empty>;
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.heading} class={c.num ? 'num' : undefined}>
                {c.heading}
              </th>
            ))}
            {hasActions && <th />}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={table.rowId(r)} data-testid={table.rowTestid} data-id={table.rowId(r)}>
              {table.columns.map((c) => (
                <td
                  key={c.heading}
                  class={c.num ? 'num' : c.cellClass}
                  data-testid={c.testid}
                  data-value={c.value?.(r)}
                >
                  {c.cell(r)}
                </td>
              ))}
              {hasActions && (
                <td class="actions">
                  {editRow && (
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => edit(editRow.draft(r))}
                      data-testid={editRow.testid}
                    >
                      Edit
                    </button>
                  )}
                  {table.actions?.map((a) => (
                    <button
                      key={a.testid}
                      type="button"
                      class="btn btn-small"
                      onClick={() => void a.run(r).then((changed) => changed && reload())}
                      data-testid={a.testid}
                    >
                      {a.label}
                    </button>
                  ))}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PolicyFormView<D, Saved>({
  spec,
  initial,
  onDone,
}: {
  spec: PolicyForm<D, Saved>;
  initial: D;
  onDone: (saved: Saved | null) => void;
}) {
  const [d, setD] = useState<D>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<D>) => {
    setD((x) => ({ ...x, ...patch }));
    if (spec.clearErrorsOnEdit)
      setErrors((e) => {
        const next = { ...e };
        for (const k of Object.keys(patch)) delete next[k];
        return next;
      });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const checked = spec.check(d);
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onDone(await checked.send());
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const fields = spec.fields
    .filter((f) => !f.when || f.when(d))
    .map((f) => (
      <FieldView key={f.name} field={f} d={d} set={set} errors={errors} prefix={spec.prefix} />
    ));
  return (
    <form
      class="policy-form"
      onSubmit={submit}
      noValidate
      data-testid={spec.testid}
      data-id={spec.id?.(d)}
    >
      <h3>{spec.title(d)}</h3>
      {spec.grid === false ? fields : <div class="filter-grid">{fields}</div>}
      {spec.below?.(d)}
      <FormFooter
        errors={errors}
        shown={spec.fields.map((f) => f.name)}
        error={error}
        busy={busy}
        onCancel={() => onDone(null)}
        save={busy && spec.saving ? spec.saving : spec.save}
        testid={spec.saveTestid}
      />
    </form>
  );
}

function FieldView<D>({
  field: f,
  d,
  set,
  errors,
  prefix,
}: {
  field: PolicyField<D>;
  d: D;
  set: (patch: Partial<D>) => void;
  errors: Record<string, string>;
  prefix: string;
}) {
  const errorId = `${prefix}-${f.name}-error`;
  const value = (d[f.name] ?? '') as string;
  const change = (v: string) => set(f.change ? f.change(v, d) : ({ [f.name]: v } as Partial<D>));
  const common = {
    value,
    'aria-invalid': errors[f.name] ? (true as const) : undefined,
    'aria-describedby': errors[f.name] ? errorId : undefined,
    'data-testid': f.testid,
  };
  const onInput = (e: { currentTarget: { value: string } }) => change(e.currentTarget.value);
  return (
    <label>
      {typeof f.label === 'function' ? f.label(d) : f.label}
      {f.input === 'select' ? (
        <select {...common} onChange={onInput}>
          {(f.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : f.input === 'textarea' ? (
        <textarea {...common} rows={f.rows} onInput={onInput} />
      ) : (
        <input
          {...common}
          type={f.input}
          inputMode={typeof f.inputMode === 'function' ? f.inputMode(d) : f.inputMode}
          maxLength={f.maxLength}
          min={f.min}
          placeholder={f.placeholder}
          onInput={onInput}
        />
      )}
      <FieldError id={errorId} message={errors[f.name]} testid={errorId} />
    </label>
  );
}
