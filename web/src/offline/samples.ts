/**
 * Sample guardrails and the signed record, for the field app to judge a disbursement or a
 * sample request offline exactly as the server will. This mirrors the pure rules of
 * crates/domain/src/sample (check.rs, limits.rs, signature.rs and `pick_lots` in mod.rs)
 * and is kept in step by the shared vectors crates/domain/vectors/sample_rules.json, which
 * both the Rust tests and web/test/sample_rules.test.ts run. Change both sides together.
 *
 * Types use the serde field names of the Rust structs. Dates are `YYYY-MM-DD` strings and
 * all date arithmetic is done on UTC day numbers, so no time zone can shift a day.
 */

import type { Code } from '../lib/codes';

// ---------------------------------------------------------------------------------------
// Types (crates/domain/src/sample/check.rs, limits.rs, signature.rs)
// ---------------------------------------------------------------------------------------

export type Severity = 'error' | 'warning';
export type DeaSchedule = 'II' | 'III' | 'IV' | 'V';
export type HcpStatus = 'active' | 'retired' | 'deceased';
export type SampleMode = 'disbursement' | 'request';
export type LimitMeasure = 'quantity' | 'value';
export type LimitWindow = 'call' | 'month' | 'quarter' | 'year' | 'rolling' | 'from_first';

/** A line of a disbursement (with its lot) or of a sample request (no lot). */
export interface SampleLine {
  sku_id: string;
  lot_id?: string | null;
  quantity: number;
}

/** What the rules need to know about a SKU. */
export interface SkuFacts {
  sku_id: string;
  product_id: string;
  product_name: string;
  strength: string;
  /** NDC, hyphenated. */
  ndc?: string;
  dea_schedule?: DeaSchedule | null;
  unit_value_cents: number;
}

/** A lot and the units the rep holds of it. */
export interface LotFacts {
  lot_id: string;
  sku_id: string;
  lot_number: string;
  expires_on: string;
  on_hand: number;
}

export interface LicenceFacts {
  state: string;
  number: string;
  expires_on: string;
}

/** A DEA registration: the schedules it covers, in the state it was issued for. */
export interface DeaRegistration {
  number: string;
  state: string;
  schedules: DeaSchedule[];
  expires_on: string;
}

/** A rule that a credential may not receive samples of a product (or of any controlled product) in a state. */
export interface CredentialRule {
  id: string;
  /** Two-letter state, or `*` for every state. */
  state: string;
  /** Credential as written on the HCP (`NP`, `PA`, ...). */
  credential: string;
  /** One product; null with `controlled_only` for every controlled product, or with `controlled_only` false for every product. */
  product_id?: string | null;
  controlled_only: boolean;
}

/** A rep's allocation of a product for a cycle and how much of it is used. */
export interface AllocationFacts {
  product_id: string;
  period_from: string;
  period_to: string;
  quantity: number;
  used: number;
}

/** The practitioner receiving the samples. */
export interface RecipientFacts {
  hcp_id: string;
  status: HcpStatus;
  credentials: string;
  blacklisted?: string | null;
  do_not_call?: string | null;
  licences: LicenceFacts[];
  dea: DeaRegistration[];
}

/** A limit template, configured by compliance. */
export interface SampleLimit {
  id: string;
  name: string;
  product_id: string;
  measure: LimitMeasure;
  /** Units, or cents for a value limit. */
  max: number;
  window: LimitWindow;
  /** Length of a `rolling` or `from_first` window. */
  window_days?: number | null;
  /** For `from_first`: no more samples of the product once this many days have passed since the first one. */
  ends_after_days?: number | null;
  severity: Severity;
}

/** A sample an HCP already received (or requested) of a product. */
export interface PastSample {
  hcp_id: string;
  product_id: string;
  on: string;
  quantity: number;
  value_cents: number;
}

/** A limit a proposed sample would break. */
export interface LimitBreach {
  limit_id: string;
  severity: Severity;
  message: string;
  /** What could still be given within the limit (units or cents), never negative. */
  remaining: number;
}

/** Most units one line may carry (the server's `sample::MAX_UNITS`; shared vectors test both). */
export const MAX_UNITS = 100_000;

/** What is wrong with `quantity` as the units of one line, if anything. */
export function quantityProblem(quantity: number): string | null {
  if (quantity > MAX_UNITS) return `must be at most ${MAX_UNITS}`;
  if (quantity < 1) return 'must be at least 1';
  return null;
}

/** One rule a proposal breaks. */
export interface Finding {
  /** The rule broken, from the server's code vocabulary. */
  code: Code;
  severity: Severity;
  /** The input the finding is about (`hcp`, `lines[0].quantity`, ...). */
  field: string;
  message: string;
}

/** Everything the guardrails look at. */
export interface SampleContext {
  mode: SampleMode;
  on: string;
  /** State where the call takes place (disbursement) or the practice address (request). */
  state: string;
  recipient: RecipientFacts;
  skus: SkuFacts[];
  lots: LotFacts[];
  allocations: AllocationFacts[];
  limits: SampleLimit[];
  credential_rules: CredentialRule[];
  history: PastSample[];
}

/** One product line of a signed record. */
export interface SignedLine {
  product: string;
  strength: string;
  ndc: string;
  /** Absent for a request (headquarters picks the lot). */
  lot_number?: string | null;
  quantity: number;
}

/** The record the HCP signs. */
export interface SignedRecord {
  /** The disbursement or request id. */
  record_id: string;
  /** `sample_disbursement` or `sample_request`. */
  record_type: string;
  practitioner_name: string;
  practitioner_address: string;
  professional_title: string;
  /** State licence (`CA A12345`) or, for a controlled product, the DEA number. */
  licence_number: string;
  lines: SignedLine[];
  manufacturer: string;
  /** Day of the disbursement or request, `YYYY-MM-DD`. */
  date: string;
  signer_name: string;
  /** The practitioner, or a designee (a receipt only). */
  signer_role: SignerRole;
  /** RFC 3339 time of signing, as the device recorded it. */
  signed_at: string;
  meaning: string;
  /** Lower-case hex SHA-256 of the drawing (`imageDigest`); empty only before version 2. */
  image_sha256: string;
}

/** Who signed a record: the practitioner, or (a receipt only) a designee. */
export type SignerRole = 'practitioner' | 'designee';

/** A quantity of one lot. */
export interface LotQuantity {
  lot_id: string;
  quantity: number;
}

/** A lot as `pickLots` needs it (a full lot record fits too). */
export interface PickableLot {
  id: string;
  lot_number: string;
  expires_on: string;
}

// ---------------------------------------------------------------------------------------
// Helpers standing in for chrono, Uuid and Rust's string functions
// ---------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (UTC, so no time zone shifts it). */
function dayNumber(date: string): number {
  const m = /^([+-]?\d{4,})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!m) throw new Error(`not a date: ${date}`);
  return utcDay(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** Day number of year/month0/day; months and days out of range roll over like Date.UTC. */
function utcDay(year: number, month0: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month0, day); // unlike Date.UTC, keeps years 0..99 as written
  return Math.round(d.getTime() / DAY_MS);
}

/** `YYYY-MM-DD` of a day number, as chrono displays a NaiveDate. */
function dateText(day: number): string {
  const d = new Date(day * DAY_MS);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** A UUID's value (32 lower-case hex digits) whichever way it is written, like `Uuid` equality. */
function idKey(id: string): string {
  const hex = id
    .toLowerCase()
    .replace(/^urn:uuid:/, '')
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/-/g, '');
  return /^[0-9a-f]{32}$/.test(hex) ? hex : id;
}

function sameId(a: string, b: string): boolean {
  return idKey(a) === idKey(b);
}

/** A UUID as `Uuid::to_string` writes it: lower-case and hyphenated. */
function idText(id: string): string {
  const k = idKey(id);
  return /^[0-9a-f]{32}$/.test(k)
    ? `${k.slice(0, 8)}-${k.slice(8, 12)}-${k.slice(12, 16)}-${k.slice(16, 20)}-${k.slice(20)}`
    : id;
}

/** Rust's `str::eq_ignore_ascii_case` (only A-Z fold, unlike `toLowerCase`). */
function eqIgnoreAsciiCase(a: string, b: string): boolean {
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
  return fold(a) === fold(b);
}

/** Rust's `str::trim`: Unicode White_Space, which differs from JS `trim` on U+0085 and U+FEFF. */
const RUST_WS =
  '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const RUST_TRIM = new RegExp(`^${RUST_WS}+|${RUST_WS}+$`, 'g');
function rustTrim(s: string): string {
  return s.replace(RUST_TRIM, '');
}

/** Rust's `/` on integers: truncates toward zero. */
function div(a: number, b: number): number {
  return Math.trunc(a / b);
}

// ---------------------------------------------------------------------------------------
// Limits (crates/domain/src/sample/limits.rs)
// ---------------------------------------------------------------------------------------

/** The window [first day, day after the last) that counts for a sample given on `on`, when the HCP's first sample of the product was on `first`; null for a per-call limit. */
function windowOf(limit: SampleLimit, on: number, first: number): [number, number] | null {
  const days = Math.max(limit.window_days ?? 1, 1);
  const d = new Date(on * DAY_MS);
  const year = d.getUTCFullYear();
  const month0 = d.getUTCMonth();
  switch (limit.window) {
    case 'call':
      return null;
    case 'month':
      return [utcDay(year, month0, 1), utcDay(year, month0 + 1, 1)];
    case 'quarter': {
      const q0 = Math.floor(month0 / 3) * 3;
      return [utcDay(year, q0, 1), utcDay(year, q0 + 3, 1)];
    }
    case 'year':
      return [utcDay(year, 0, 1), utcDay(year + 1, 0, 1)];
    case 'rolling':
      return [on - (days - 1), on + 1];
    case 'from_first': {
      const k = div(Math.max(on - first, 0), days);
      const start = first + k * days;
      return [start, start + days];
    }
  }
}

function amountOf(limit: SampleLimit, quantity: number, unitValueCents: number): number {
  return limit.measure === 'quantity' ? quantity : quantity * unitValueCents;
}

/** `4 units` or `$12.34`, as the Rust `describe` formats them. */
function describe(limit: SampleLimit, amount: number): string {
  if (limit.measure === 'quantity') return `${amount} units`;
  // Rust `{:02}` pads to two characters, a minus sign included.
  return `$${div(amount, 100)}.${String(amount % 100).padStart(2, '0')}`;
}

/**
 * Checks `quantity` units (worth `unitValueCents` each) of `productId` for an HCP on `on`
 * against `limits`, given what the HCP already received (`past`, any product).
 */
export function checkLimits(
  limits: SampleLimit[],
  productId: string,
  past: PastSample[],
  quantity: number,
  unitValueCents: number,
  on: string,
): LimitBreach[] {
  const today = dayNumber(on);
  const history = past
    .filter((p) => sameId(p.product_id, productId))
    .map((p) => ({ ...p, day: dayNumber(p.on) }));
  const first = history.reduce((min, p) => Math.min(min, p.day), today);
  const breaches: LimitBreach[] = [];
  for (const limit of limits.filter((l) => sameId(l.product_id, productId))) {
    const asked = amountOf(limit, quantity, unitValueCents);
    const ends = limit.ends_after_days;
    if (limit.window === 'from_first' && ends != null && today - first >= ends) {
      breaches.push({
        limit_id: limit.id,
        severity: limit.severity,
        message: `${limit.name}: the programme ended ${ends} days after the first sample on ${dateText(first)}`,
        remaining: 0,
      });
      continue;
    }
    const window = windowOf(limit, today, first);
    let used = 0;
    if (window) {
      const [from, to] = window;
      for (const p of history) {
        if (p.day >= from && p.day < to)
          used += limit.measure === 'quantity' ? p.quantity : p.value_cents;
      }
    }
    if (used + asked > limit.max) {
      const remaining = Math.max(limit.max - used, 0);
      breaches.push({
        limit_id: limit.id,
        severity: limit.severity,
        message:
          limit.window === 'call'
            ? `${limit.name}: at most ${describe(limit, limit.max)} per call`
            : `${limit.name}: at most ${describe(limit, limit.max)} (already ${describe(limit, used)}, ${describe(limit, remaining)} left)`,
        remaining,
      });
    }
  }
  return breaches;
}

// ---------------------------------------------------------------------------------------
// Guardrails (crates/domain/src/sample/check.rs)
// ---------------------------------------------------------------------------------------

/** Whether `rule` forbids samples of `sku` to an HCP with `credentials` in `state`. */
function forbids(rule: CredentialRule, state: string, credentials: string, sku: SkuFacts): boolean {
  const stateOk = rule.state === '*' || eqIgnoreAsciiCase(rule.state, state);
  const hasCredential = credentials
    .split(/[, ]/)
    .some((c) => eqIgnoreAsciiCase(rustTrim(c), rule.credential));
  const productOk = rule.product_id == null || sameId(rule.product_id, sku.product_id);
  const controlledOk = !rule.controlled_only || sku.dea_schedule != null;
  return stateOk && hasCredential && productOk && controlledOk;
}

function finding(code: Code, severity: Severity, field: string, message: string): Finding {
  return { code, severity, field, message };
}

/** Every finding for `lines` in `ctx`, in a stable order (HCP first, then line by line). Errors block, warnings ask the rep to confirm. */
export function checkSamples(ctx: SampleContext, lines: SampleLine[]): Finding[] {
  const out: Finding[] = [];
  const r = ctx.recipient;
  const on = dayNumber(ctx.on);
  if (r.blacklisted != null) {
    out.push(
      finding(
        'blacklisted',
        'error',
        'hcp',
        `the HCP is blacklisted by compliance: ${r.blacklisted}`,
      ),
    );
  }
  if (r.do_not_call != null) {
    out.push(
      finding('do_not_call', 'error', 'hcp', `the HCP is flagged do-not-call: ${r.do_not_call}`),
    );
  }
  if (r.status !== 'active') {
    out.push(finding('hcp_inactive', 'error', 'hcp', 'the HCP is not active'));
  }
  const licensed = r.licences.some(
    (l) => eqIgnoreAsciiCase(l.state, ctx.state) && dayNumber(l.expires_on) >= on,
  );
  if (!licensed) {
    out.push(
      finding('no_active_licence', 'error', 'hcp', `no active state licence in ${ctx.state}`),
    );
  }
  if (lines.length === 0) {
    out.push(finding('no_lines', 'error', 'lines', 'add at least one sample'));
  }
  // Later entries win on a repeated id, as when Rust collects into a HashMap.
  const skus = new Map(ctx.skus.map((s) => [idKey(s.sku_id), s]));
  const lots = new Map(ctx.lots.map((l) => [idKey(l.lot_id), l]));
  const history = ctx.history.filter((p) => sameId(p.hcp_id, r.hcp_id));
  // Units of each lot and product asked for so far, so several lines add up.
  const perLot = new Map<string, number>();
  const perProduct = new Map<string, { qty: number; value: number }>();
  lines.forEach((line, i) => {
    const at = (f: string) => `lines[${i}].${f}`;
    const problem = quantityProblem(line.quantity);
    if (problem) {
      out.push(finding('quantity_invalid', 'error', at('quantity'), problem));
      return;
    }
    const sku = skus.get(idKey(line.sku_id));
    if (!sku) {
      out.push(finding('unknown_sku', 'error', at('sku_id'), 'is not a sample SKU'));
      return;
    }
    for (const rule of ctx.credential_rules.filter((c) =>
      forbids(c, ctx.state, r.credentials, sku),
    )) {
      out.push(
        finding(
          'credential_not_eligible',
          'error',
          at('sku_id'),
          `${rule.credential} may not receive ${sku.product_name} samples in ${ctx.state}`,
        ),
      );
    }
    const schedule = sku.dea_schedule;
    if (schedule != null) {
      const covered = r.dea.some(
        (d) =>
          dayNumber(d.expires_on) >= on &&
          eqIgnoreAsciiCase(d.state, ctx.state) &&
          d.schedules.includes(schedule),
      );
      if (!covered) {
        out.push(
          finding(
            'dea_required',
            'error',
            at('sku_id'),
            `${sku.product_name} is schedule ${schedule}: the HCP needs a valid DEA registration in ${ctx.state} covering it`,
          ),
        );
      }
    }
    if (ctx.mode === 'disbursement') {
      const lot = line.lot_id == null ? undefined : lots.get(idKey(line.lot_id));
      if (!lot) {
        if (line.lot_id == null)
          out.push(finding('lot_required', 'error', at('lot_id'), 'choose a lot'));
        else out.push(finding('lot_mismatch', 'error', at('lot_id'), 'is not a lot you hold'));
      } else if (!sameId(lot.sku_id, line.sku_id)) {
        out.push(
          finding(
            'lot_mismatch',
            'error',
            at('lot_id'),
            `lot ${lot.lot_number} is not of this SKU`,
          ),
        );
      } else {
        const expires = dayNumber(lot.expires_on);
        if (expires < on) {
          out.push(
            finding(
              'lot_expired',
              'error',
              at('lot_id'),
              `lot ${lot.lot_number} expired on ${dateText(expires)}`,
            ),
          );
        }
        const key = idKey(lot.lot_id);
        const asked = (perLot.get(key) ?? 0) + line.quantity;
        perLot.set(key, asked);
        if (asked > lot.on_hand) {
          out.push(
            finding(
              'insufficient_inventory',
              'error',
              at('quantity'),
              `only ${Math.max(lot.on_hand, 0)} on hand of lot ${lot.lot_number}`,
            ),
          );
        }
      }
    }
    const productKey = idKey(sku.product_id);
    const total = perProduct.get(productKey) ?? { qty: 0, value: 0 };
    total.qty += line.quantity;
    total.value += line.quantity * sku.unit_value_cents;
    perProduct.set(productKey, total);
    if (ctx.mode === 'disbursement') {
      const a = ctx.allocations.find(
        (a) =>
          sameId(a.product_id, sku.product_id) &&
          dayNumber(a.period_from) <= on &&
          on <= dayNumber(a.period_to),
      );
      if (a && a.used + total.qty > a.quantity) {
        out.push(
          finding(
            'allocation_exceeded',
            'error',
            at('quantity'),
            `your ${sku.product_name} allocation has ${Math.max(a.quantity - a.used, 0)} left this cycle`,
          ),
        );
      }
    }
    const unitValue = total.qty > 0 ? div(total.value, total.qty) : sku.unit_value_cents;
    for (const breach of checkLimits(
      ctx.limits,
      sku.product_id,
      history,
      total.qty,
      unitValue,
      ctx.on,
    )) {
      out.push(finding('sample_limit', breach.severity, at('quantity'), breach.message));
    }
  });
  return dedupe(out);
}

/** Several lines of one product may repeat a product-level finding; keep the last of each (code, message) pair, which carries the totals. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const kept: Finding[] = [];
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i];
    const key = JSON.stringify([f.code, f.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(f);
  }
  return kept.reverse();
}

/** Whether any finding blocks. */
export function blocks(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

// ---------------------------------------------------------------------------------------
// Lot picking (crates/domain/src/sample/mod.rs)
// ---------------------------------------------------------------------------------------

/**
 * Picks lots for `quantity` units first-expiry-first (then by lot number) among lots that
 * have not expired on `on` and have units on hand. Returns what each lot gives; short when
 * stock is short.
 */
export function pickLots(
  lots: { lot: PickableLot; on_hand: number }[],
  quantity: number,
  on: string,
): LotQuantity[] {
  const today = dayNumber(on);
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const usable = lots
    .filter(({ lot, on_hand }) => on_hand > 0 && dayNumber(lot.expires_on) >= today)
    .sort(
      (a, b) =>
        dayNumber(a.lot.expires_on) - dayNumber(b.lot.expires_on) ||
        byCodePoint(a.lot.lot_number, b.lot.lot_number),
    );
  let left = quantity;
  const picked: LotQuantity[] = [];
  for (const { lot, on_hand } of usable) {
    if (left <= 0) break;
    const take = Math.min(left, on_hand);
    picked.push({ lot_id: lot.id, quantity: take });
    left -= take;
  }
  return picked;
}

// ---------------------------------------------------------------------------------------
// Signed record (crates/domain/src/sample/signature.rs)
// ---------------------------------------------------------------------------------------

/** What a signature means, shown to the signer. */
export const MEANING_RECEIPT =
  'I received the samples listed above and requested them for my patients';
export const MEANING_REQUEST =
  'I request the samples listed above to be delivered to my practice address';

/** Line breaks become spaces and the ends are trimmed, so a value cannot forge another line. */
function clean(value: string): string {
  return rustTrim(value.replace(/[\n\r]/g, ' '));
}

/**
 * The text the hash is computed over: one `key=value` per line in a fixed order. Version 2 adds
 * the signer's role and the drawing's digest; a record without a digest keeps version 1's text.
 */
export function canonicalText(record: SignedRecord): string {
  const v2 = (record.image_sha256 ?? '') !== '';
  let text = v2 ? 'pharmacrm-signed-record/2\n' : 'pharmacrm-signed-record/1\n';
  const put = (k: string, v: string) => {
    text += `${k}=${clean(v)}\n`;
  };
  put('record_id', idText(record.record_id));
  put('record_type', record.record_type);
  put('practitioner_name', record.practitioner_name);
  put('practitioner_address', record.practitioner_address);
  put('professional_title', record.professional_title);
  put('licence_number', record.licence_number);
  for (const l of record.lines) {
    put(
      'line',
      [
        clean(l.product),
        clean(l.strength),
        clean(l.ndc),
        clean(l.lot_number ?? ''),
        String(l.quantity),
      ].join('|'),
    );
  }
  put('manufacturer', record.manufacturer);
  put('date', record.date);
  put('signer_name', record.signer_name);
  if (v2) put('signer_role', record.signer_role ?? 'practitioner');
  put('signed_at', record.signed_at);
  put('meaning', record.meaning);
  if (v2) put('image_sha256', record.image_sha256);
  return text;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Lower-case hex SHA-256 of `canonicalText(record)`, the hash binding a signature to its record. */
export async function recordHash(record: SignedRecord): Promise<string> {
  return sha256Hex(canonicalText(record));
}

/** Lower-case hex SHA-256 of a drawing's path data, as sent. */
export async function imageDigest(image: string): Promise<string> {
  return sha256Hex(image);
}

/**
 * The first field on which a signature fails to bind its record and drawing (as
 * `Signature::verify` reports it), or null when it binds: no drawing, a drawing that is not the
 * one whose digest was signed, a hash that is not the record's.
 */
export async function bindingProblem(sig: {
  record: SignedRecord;
  image: string;
  hash: string;
}): Promise<string | null> {
  if (!sig.image.trim()) return 'signature.image';
  if (sig.record.image_sha256 !== (await imageDigest(sig.image)))
    return 'signature.record.image_sha256';
  if (sig.hash !== (await recordHash(sig.record))) return 'signature.hash';
  return null;
}

// ---------------------------------------------------------------------------------------
// Who may sign (crates/domain/src/sample/signature.rs `signer_problem`)
// ---------------------------------------------------------------------------------------

const TITLES = ['dr', 'doctor', 'prof', 'professor', 'mr', 'mrs', 'ms', 'mx'];
const AFTER_NAME = [
  'jr',
  'sr',
  'ii',
  'iii',
  'iv',
  'md',
  'do',
  'dds',
  'dmd',
  'dpm',
  'od',
  'phd',
  'pharmd',
  'np',
  'pa',
  'pac',
  'aprn',
  'fnp',
  'rn',
  'cnm',
  'facp',
  'faafp',
];

/** The words of a name as compared: before any comma, accents folded, lower case, no punctuation. */
export function nameWords(text: string): string[] {
  const name = text.split(',')[0] ?? '';
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['.]/g, '')
    .replace(/[^a-z0-9]/g, ' ')
    .split(' ')
    .filter(Boolean);
}

/** Whether `text` names the person with this first and last name (titles and credentials aside). */
export function namesPerson(text: string, firstName: string, lastName: string): boolean {
  const first = nameWords(firstName);
  const last = nameWords(lastName);
  if (!first.length || !last.length) return false;
  const words = nameWords(text);
  while (words.length > first.length + last.length && TITLES.includes(words[0])) words.shift();
  for (;;) {
    const starts = first.every((w, i) => words[i] === w);
    const ends = last.every((w, i) => words[words.length - last.length + i] === w);
    if (words.length >= first.length + last.length && starts && ends) return true;
    if (!words.length || !AFTER_NAME.includes(words[words.length - 1])) return false;
    words.pop();
  }
}

/**
 * The first field on which a record's signer fails the rule of 21 CFR 203.31, or null: the
 * record names the HCP; a request is signed by the practitioner only; a receipt by the
 * practitioner or a designee with their own first and last name.
 */
export function signerProblem(
  record: Pick<SignedRecord, 'record_type' | 'practitioner_name' | 'signer_name' | 'signer_role'>,
  firstName: string,
  lastName: string,
): string | null {
  if (!namesPerson(record.practitioner_name, firstName, lastName))
    return 'signature.record.practitioner_name';
  const request = record.record_type === 'sample_request';
  if (record.signer_role === 'designee') {
    if (request) return 'signature.record.signer_role';
    return nameWords(record.signer_name).length < 2 ? 'signature.record.signer_name' : null;
  }
  return namesPerson(record.signer_name, firstName, lastName)
    ? null
    : 'signature.record.signer_name';
}
