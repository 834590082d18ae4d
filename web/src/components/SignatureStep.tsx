import { useLayoutEffect, useState } from 'preact/hooks';
import { signerProblem, type SignedRecord, type SignerRole } from '../offline/samples';
import { recordGaps, signRecord, withSigner } from '../offline/sampleBook';
import type { Signature } from '../offline/types';
import { isSigned, MAX_PATH_CHARS, strokesToPath, type Stroke } from '../lib/signaturePath';
import { SignaturePad } from './SignaturePad';
import '../samples.css';

/**
 * The full-screen step the HCP signs on while holding the device: the app's navigation is
 * hidden (body class `signing`), the record shows the 21 CFR 203.31 fields, the disclaimer and
 * what the signature means (21 CFR 11.50), and the HCP types their printed name and draws.
 * A receipt may instead be signed by the practitioner's designee, with their own name (21 CFR
 * 203.31(c)); a request only by the practitioner. The signer is checked against the HCP before
 * signing, as the server checks it. "Sign" hands back the signature bound to the record and the
 * drawing by its hash; "Cancel" goes back.
 */
export function SignatureStep({
  record,
  meaning,
  practitioner,
  title,
  shipTo,
  onSigned,
  onCancel,
}: {
  /** The record to sign (without signer name, time and meaning). */
  record: SignedRecord;
  meaning: string;
  /** The HCP of master data the record is for. */
  practitioner: { first_name: string; last_name: string };
  title: string;
  /** For a request: where the samples will be delivered. */
  shipTo?: string;
  onSigned: (signature: Signature) => void;
  onCancel: () => void;
}) {
  const defaultSigner = `${practitioner.first_name} ${practitioner.last_name}`;
  const [name, setName] = useState(defaultSigner);
  const [signedAs, setSignedAs] = useState<SignerRole>('practitioner');
  const [strokes, setStrokes] = useState<Stroke[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const gaps = recordGaps(record);
  const request = record.record_type === 'sample_request';
  const chooseRole = (r: SignerRole) => {
    setSignedAs(r);
    setName(r === 'designee' ? '' : defaultSigner);
    setErrors({ ...errors, name: '' });
  };
  /** Why this signer may not sign this record, in words (21 CFR 203.31), or ''. */
  const signerError = (): string => {
    const problem = signerProblem(
      withSigner(record, name, signedAs),
      practitioner.first_name,
      practitioner.last_name,
    );
    if (problem === 'signature.record.practitioner_name')
      return `The record does not name ${defaultSigner}.`;
    if (problem === 'signature.record.signer_role')
      return 'A request is signed by the practitioner only.';
    if (problem === 'signature.record.signer_name')
      return signedAs === 'designee'
        ? 'A designee signs with their own first and last name.'
        : `Type the practitioner's name (${defaultSigner}).${request ? '' : ' Someone receiving the samples for them signs as their designee.'}`;
    return '';
  };

  // Before the first paint, so the app's chrome never shows over the signature step.
  useLayoutEffect(() => {
    document.body.classList.add('signing');
    window.scrollTo(0, 0);
    return () => document.body.classList.remove('signing');
  }, []);

  const sign = async () => {
    const e: Record<string, string> = {};
    if (!name.trim()) e.name = 'Type your name as it should appear on the record.';
    else if (signerError()) e.name = signerError();
    const image = strokesToPath(strokes);
    if (!isSigned(strokes)) e.pad = 'Please sign in the box.';
    else if (image.length > MAX_PATH_CHARS)
      e.pad = 'The drawing is too large: clear it and sign again.';
    setErrors(e);
    if (Object.values(e).some(Boolean) || Object.keys(gaps).length) return;
    setBusy(true);
    try {
      onSigned(await signRecord(record, name, meaning, image, signedAs));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      class="sign-step"
      role="dialog"
      aria-modal="true"
      aria-labelledby="sign-title"
      data-testid="signature-step"
    >
      <h1 id="sign-title">{title}</h1>
      <p class="muted small">Please check the details, type your name and sign below.</p>
      <dl class="sign-fields" data-testid="sign-record">
        <dt>Practitioner</dt>
        <dd data-testid="sign-practitioner">{record.practitioner_name}</dd>
        <dt>Address</dt>
        <dd data-testid="sign-address">{record.practitioner_address}</dd>
        <dt>Professional title</dt>
        <dd data-testid="sign-title">{record.professional_title || '—'}</dd>
        <dt>
          {/^[A-Z]{2} /.test(record.licence_number) || !record.licence_number
            ? 'State licence'
            : 'DEA number'}
        </dt>
        <dd data-testid="sign-licence">{record.licence_number || '—'}</dd>
        <dt>Manufacturer</dt>
        <dd data-testid="sign-manufacturer">{record.manufacturer || '—'}</dd>
        <dt>Date</dt>
        <dd data-testid="sign-date">{record.date}</dd>
        {shipTo && (
          <>
            <dt>Deliver to</dt>
            <dd data-testid="sign-ship-to">{shipTo}</dd>
          </>
        )}
      </dl>
      <div class="table-wrap">
        <table class="table sign-lines" data-testid="sign-lines">
          <thead>
            <tr>
              <th>Product</th>
              <th>Strength</th>
              <th>NDC</th>
              {!request && <th>Lot</th>}
              <th class="num">Qty</th>
            </tr>
          </thead>
          <tbody>
            {record.lines.map((l, i) => (
              <tr key={i} data-testid="sign-line">
                <td>{l.product}</td>
                <td>{l.strength}</td>
                <td class="mono">{l.ndc}</td>
                {!request && <td class="mono">{l.lot_number}</td>}
                <td class="num">{l.quantity}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="sign-disclaimer small" data-testid="sign-disclaimer">
        Drug samples are provided free of charge for the treatment of patients. They may not be
        sold, purchased or traded (Prescription Drug Marketing Act, 21 CFR Part 203). This
        electronic signature is the legally binding equivalent of a handwritten signature and is
        linked to this record only.
      </p>
      <p class="sign-meaning" data-testid="sign-meaning">
        <strong>By signing:</strong> {meaning}.
      </p>
      {Object.keys(gaps).length > 0 && (
        <div class="error" role="alert" data-testid="sign-gaps">
          <span>This record cannot be signed: {Object.values(gaps).join(' ')}</span>
        </div>
      )}
      {!request && (
        <fieldset class="sign-role" data-testid="sign-role">
          <legend>Who signs</legend>
          <label>
            <input
              type="radio"
              name="sign-role"
              checked={signedAs === 'practitioner'}
              onChange={() => chooseRole('practitioner')}
              data-testid="sign-role-practitioner"
            />{' '}
            The practitioner ({defaultSigner})
          </label>
          <label>
            <input
              type="radio"
              name="sign-role"
              checked={signedAs === 'designee'}
              onChange={() => chooseRole('designee')}
              data-testid="sign-role-designee"
            />{' '}
            Their designee, receiving the samples for them
          </label>
        </fieldset>
      )}
      <label class="sign-name">
        {signedAs === 'designee' ? "Designee's printed name" : 'Printed name'}
        <input
          type="text"
          value={name}
          autoComplete="off"
          onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={errors.name ? true : undefined}
          data-testid="sign-name"
        />
      </label>
      {errors.name && (
        <p class="field-error" data-testid="error-sign-name">
          {errors.name}
        </p>
      )}
      <div class="sign-box">
        <span class="sign-x" aria-hidden="true">
          ✕
        </span>
        <SignaturePad
          strokes={strokes}
          onChange={(s) => {
            setStrokes(s);
            if (errors.pad && isSigned(s)) setErrors({ ...errors, pad: '' });
          }}
          label="Draw your signature"
        />
      </div>
      {errors.pad && (
        <p class="field-error" data-testid="error-sign-pad">
          {errors.pad}
        </p>
      )}
      <div class="form-actions sign-actions">
        <button
          type="button"
          class="btn"
          onClick={() => setStrokes([])}
          disabled={busy || strokes.length === 0}
          data-testid="sign-clear"
        >
          Clear
        </button>
        <span class="spacer" />
        <button
          type="button"
          class="btn"
          onClick={onCancel}
          disabled={busy}
          data-testid="sign-cancel"
        >
          Cancel
        </button>
        <button
          type="button"
          class="btn btn-primary"
          onClick={sign}
          disabled={busy || Object.keys(gaps).length > 0}
          data-testid="sign-submit"
        >
          Sign
        </button>
      </div>
    </div>
  );
}
