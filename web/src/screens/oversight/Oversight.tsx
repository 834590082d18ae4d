import { useApp } from '../../context';
import {
  defaultSection,
  isOversightSection,
  oversightHref,
  oversightSections,
  SECTION_LABELS,
  type OversightSection,
} from '../../lib/oversight';
import { ExceptionsSection } from './Exceptions';
import { ReconciliationSection } from './Reconciliation';
import { LossReportsSection } from './LossReports';
import { RecordsSection } from './Records';
import { ShipmentsSection } from './Shipments';
import { PolicySection } from './Policy';
import { ScreeningSection } from './Screening';
import './oversight.css';

/**
 * Sample accountability for managers, ops, compliance and admin: the exceptions queue, the
 * reconciliation report, loss and theft reports, the signed sample record, lots and shipments,
 * policy (limits, allocations, credential rules, key messages, SKUs) and, for compliance, exclusion
 * screening against the HHS-OIG list. One tab in the main nav;
 * the sections are tabs of their own (`#/oversight/<section>?…`).
 */
export function SampleOversight({ section, query }: { section: string; query: string }) {
  const { me } = useApp();
  const sections = oversightSections(me);
  const current: OversightSection | null =
    isOversightSection(section) && sections.includes(section) ? section : defaultSection(me);
  if (!current) return null;
  if (current !== section) {
    const to = oversightHref(current);
    queueMicrotask(() => location.replace(to));
  }
  return (
    <div
      class={`screen oversight oversight-${current}`}
      data-testid="oversight"
      data-section={current}
    >
      <div class="screen-head no-print">
        <h1>Samples</h1>
        <span class="muted small">Accountability and compliance</span>
      </div>
      <nav class="subtabs no-print" aria-label="Samples" data-testid="oversight-tabs">
        {sections.map((s) => (
          <a
            key={s}
            href={oversightHref(s)}
            class={s === current ? 'subtab active' : 'subtab'}
            aria-current={s === current ? 'page' : undefined}
            data-testid={`tab-${s}`}
          >
            {SECTION_LABELS[s]}
          </a>
        ))}
      </nav>
      {current === section && <Section section={current} query={query} />}
    </div>
  );
}

function Section({ section, query }: { section: OversightSection; query: string }) {
  switch (section) {
    case 'exceptions':
      return <ExceptionsSection query={query} />;
    case 'reconciliation':
      return <ReconciliationSection query={query} />;
    case 'losses':
      return <LossReportsSection query={query} />;
    case 'records':
      return <RecordsSection query={query} />;
    case 'shipments':
      return <ShipmentsSection query={query} />;
    case 'policy':
      return <PolicySection />;
    case 'screening':
      return <ScreeningSection />;
  }
}
