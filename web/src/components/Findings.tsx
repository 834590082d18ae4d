import type { Finding } from '../offline/samples';
import '../samples.css';

/** A finding in words: the rule's message, with the field named where the message leaves it out. */
export function findingText(f: Finding): string {
  const m = f.message;
  switch (f.code) {
    case 'quantity_invalid':
      return `Quantity ${m}.`;
    case 'unknown_sku':
      return `This product ${m}.`;
    case 'lot_required':
      return 'No usable lot of this product on hand (expired or none left): choose another product.';
    case 'lot_mismatch':
      return m.startsWith('is ') ? `This lot ${m}.` : `${m[0].toUpperCase()}${m.slice(1)}.`;
    case 'no_lines':
      return 'Add at least one sample.';
    default:
      return `${m[0]?.toUpperCase() ?? ''}${m.slice(1)}.`;
  }
}

/** The guardrails' findings next to the field they are about: errors block, warnings need a confirmation. */
export function Findings({
  findings,
  testid = 'findings',
}: {
  findings: Finding[];
  testid?: string;
}) {
  if (findings.length === 0) return null;
  return (
    <ul class="findings" data-testid={testid}>
      {findings.map((f, i) => (
        <li
          key={`${f.code}-${i}`}
          class={`finding ${f.severity}`}
          role={f.severity === 'error' ? 'alert' : undefined}
          data-testid="finding"
          data-code={f.code}
          data-severity={f.severity}
        >
          <strong>{f.severity === 'error' ? 'Blocked' : 'Warning'}</strong>
          {findingText(f)}
        </li>
      ))}
    </ul>
  );
}
