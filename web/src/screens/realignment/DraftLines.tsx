/** A draft's lines: ZIP moves and account overrides, each to a territory. Ops add rows, change
 * territories, remove lines and save (the whole set is checked; a field error lands on its row),
 * or upload a CSV file (`zip,account_external_id,territory_code`) and see its import report. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { DraftLines, TerritoryRef } from '../../api/types';
import { useApp } from '../../context';
import { lineErrors, type EditLine } from '../../lib/realignment';
import { ErrorBox, Loading } from '../../components/bits';
import { errorText, OtherErrors } from '../oversight/common';
import { LinesUpload } from './LinesUpload';

type Kind = 'zips' | 'accounts';
type Errors = ReturnType<typeof lineErrors>;
const NO_ERRORS: Errors = { zips: {}, accounts: {}, other: {} };

const toEdit = (l: DraftLines): Record<Kind, EditLine[]> => ({
  zips: l.zips.map((x) => ({ ...x, saved: true })),
  accounts: l.accounts.map((x) => ({ ...x, saved: true })),
});

export function DraftLinesCard({
  id,
  territories,
  editable,
  onChanged,
}: {
  id: string;
  territories: TerritoryRef[];
  editable: boolean;
  onChanged: () => void;
}) {
  const { api } = useApp();
  const [lines, setLines] = useState<Record<Kind, EditLine[]> | null>(null);
  const [dirty, setDirty] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [gen, setGen] = useState(0);

  useEffect(() => {
    let live = true;
    api.realignmentLines(id).then(
      (l) => {
        if (!live) return;
        setLines(toEdit(l));
        setDirty(false);
        setLoadError(null);
      },
      (e) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [api, id, gen]);

  if (loadError) return <ErrorBox error={loadError} onRetry={() => setGen((g) => g + 1)} />;
  if (!lines) return <Loading />;

  const update = (kind: Kind, i: number, patch: Partial<EditLine>) => {
    setLines({ ...lines, [kind]: lines[kind].map((l, j) => (j === i ? { ...l, ...patch } : l)) });
    setDirty(true);
    setFormError(null);
  };
  const add = (kind: Kind) => {
    setLines({ ...lines, [kind]: [...lines[kind], { key: '', territory_id: '', saved: false }] });
    setDirty(true);
  };
  const remove = async (kind: Kind, i: number) => {
    const line = lines[kind][i];
    const rest = { ...lines, [kind]: lines[kind].filter((_, j) => j !== i) };
    setErrors(NO_ERRORS);
    if (!line.saved) {
      setLines(rest);
      return;
    }
    setBusy(true);
    try {
      await api.removeRealignmentLines(id, {
        zips: kind === 'zips' ? [line.key] : [],
        accounts: kind === 'accounts' ? [line.key] : [],
      });
      setLines(rest); // other unsaved edits stay
      onChanged();
    } catch (e) {
      setFormError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const save = async (e: Event) => {
    e.preventDefault();
    // Client-side: every row needs its key and a territory.
    const local: Errors = { zips: {}, accounts: {}, other: {} };
    for (const kind of ['zips', 'accounts'] as Kind[]) {
      lines[kind].forEach((l, i) => {
        if (!l.key.trim())
          (local[kind][i] ??= {}).key = kind === 'zips' ? 'Enter a ZIP' : 'Enter the account id';
        if (!l.territory_id) (local[kind][i] ??= {}).territory_id = 'Choose a territory';
      });
    }
    if (Object.keys(local.zips).length + Object.keys(local.accounts).length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    setFormError(null);
    try {
      const strip = (ls: EditLine[]) =>
        ls.map((l) => ({ key: l.key.trim(), territory_id: l.territory_id }));
      const saved = await api.putRealignmentLines(id, {
        zips: strip(lines.zips),
        accounts: strip(lines.accounts),
      });
      setLines(toEdit(saved));
      setDirty(false);
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length > 0)
        setErrors(lineErrors(err.fieldErrors));
      else setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card section" data-testid="lines" data-dirty={dirty ? 'true' : 'false'}>
      <h2>Draft lines</h2>
      <form onSubmit={save} noValidate>
        <LineTable
          kind="zips"
          title="ZIP moves"
          keyLabel="ZIP"
          lines={lines.zips}
          errors={errors.zips}
          territories={territories}
          editable={editable}
          update={update}
          remove={remove}
          add={add}
          busy={busy}
        />
        <LineTable
          kind="accounts"
          title="Account overrides"
          keyLabel="Account id"
          lines={lines.accounts}
          errors={errors.accounts}
          territories={territories}
          editable={editable}
          update={update}
          remove={remove}
          add={add}
          busy={busy}
        />
        <OtherErrors errors={errors.other} shown={[]} testid="lines-other-errors" />
        {formError && (
          <p class="field-error" role="alert" data-testid="lines-error">
            {formError}
          </p>
        )}
        {editable && (
          <div class="form-actions">
            <button
              type="submit"
              class="btn btn-primary btn-small"
              disabled={busy || !dirty}
              data-testid="lines-save"
            >
              {busy ? 'Saving…' : 'Save lines'}
            </button>
          </div>
        )}
      </form>
      {editable && (
        <LinesUpload
          id={id}
          onUploaded={() => {
            setGen((g) => g + 1);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

function LineTable(p: {
  kind: Kind;
  title: string;
  keyLabel: string;
  lines: EditLine[];
  errors: Record<number, Record<string, string>>;
  territories: TerritoryRef[];
  editable: boolean;
  busy: boolean;
  update: (kind: Kind, i: number, patch: Partial<EditLine>) => void;
  remove: (kind: Kind, i: number) => void;
  add: (kind: Kind) => void;
}) {
  const one = p.kind === 'zips' ? 'zip' : 'account';
  const code = (id: string) => p.territories.find((t) => t.id === id);
  return (
    <>
      <h3 class="small-head">{p.title}</h3>
      {p.lines.length === 0 && <p class="muted small">None.</p>}
      {p.lines.length > 0 && (
        <div class="table-wrap">
          <table class="table lines-table" data-testid={`${one}-lines`}>
            <thead>
              <tr>
                <th>{p.keyLabel}</th>
                <th>To territory</th>
                {p.editable && <th />}
              </tr>
            </thead>
            <tbody>
              {p.lines.map((l, i) => {
                const err = p.errors[i] ?? {};
                return (
                  <tr
                    key={`${i}:${l.saved ? l.key : ''}`}
                    data-testid={`${one}-line`}
                    data-key={l.key}
                    data-saved={l.saved ? 'true' : 'false'}
                    data-territory={l.territory_id}
                  >
                    <td>
                      {p.editable && !l.saved ? (
                        <input
                          value={l.key}
                          inputMode={p.kind === 'zips' ? 'numeric' : undefined}
                          aria-label={p.keyLabel}
                          aria-invalid={err.key ? true : undefined}
                          onInput={(e) => p.update(p.kind, i, { key: e.currentTarget.value })}
                          data-testid={`${one}-key`}
                        />
                      ) : (
                        <span class="mono">{l.key}</span>
                      )}
                      {err.key && (
                        <p class="field-error" data-testid="line-error" data-field="key">
                          {err.key}
                        </p>
                      )}
                    </td>
                    <td>
                      {p.editable ? (
                        <select
                          value={l.territory_id}
                          aria-label="To territory"
                          aria-invalid={err.territory_id ? true : undefined}
                          onChange={(e) =>
                            p.update(p.kind, i, { territory_id: e.currentTarget.value })
                          }
                          data-testid={`${one}-territory`}
                        >
                          <option value="">Choose…</option>
                          {p.territories.map((t) => (
                            <option key={t.id} value={t.id} data-code={t.code}>
                              {t.code} · {t.name}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span>
                          {code(l.territory_id)
                            ? `${code(l.territory_id)!.code} · ${code(l.territory_id)!.name}`
                            : l.territory_id}
                        </span>
                      )}
                      {err.territory_id && (
                        <p class="field-error" data-testid="line-error" data-field="territory_id">
                          {err.territory_id}
                        </p>
                      )}
                    </td>
                    {p.editable && (
                      <td>
                        <button
                          type="button"
                          class="btn btn-small"
                          disabled={p.busy}
                          onClick={() => p.remove(p.kind, i)}
                          data-testid={`${one}-remove`}
                        >
                          Remove
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {p.editable && (
        <button
          type="button"
          class="btn btn-small"
          onClick={() => p.add(p.kind)}
          data-testid={`add-${one}`}
        >
          Add {p.kind === 'zips' ? 'a ZIP' : 'an account'}
        </button>
      )}
    </>
  );
}
