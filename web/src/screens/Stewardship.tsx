/** Data quality (`#/stewardship/<section>?…`), the data stewards' screen (ops and admin): reps'
 * data requests, candidate duplicate pairs, the merge history with undo, and the matching model.
 * One tab in the main nav; the sections are tabs of their own. */
import {
  isStewardshipSection,
  STEWARDSHIP_LABELS,
  STEWARDSHIP_SECTIONS,
  stewardshipHref,
  type StewardshipSection,
} from '../lib/stewardship';
import { RequestsSection } from './stewardship/Requests';
import { DuplicatesSection } from './stewardship/Duplicates';
import { MergesSection } from './stewardship/Merges';
import { MatchingSection } from './stewardship/Matching';
import './oversight/oversight.css';
import './stewardship/stewardship.css';

export function Stewardship({ section, query }: { section: string; query: string }) {
  const current: StewardshipSection = isStewardshipSection(section) ? section : 'requests';
  if (current !== section) {
    const to = stewardshipHref(current);
    queueMicrotask(() => location.replace(to));
  }
  return (
    <div
      class={`screen stewardship stewardship-${current}`}
      data-testid="stewardship"
      data-section={current}
    >
      <div class="screen-head">
        <h1>Data quality</h1>
        <span class="muted small">HCP master data stewardship</span>
      </div>
      <nav class="subtabs" aria-label="Data quality" data-testid="stewardship-tabs">
        {STEWARDSHIP_SECTIONS.map((s) => (
          <a
            key={s}
            href={stewardshipHref(s)}
            class={s === current ? 'subtab active' : 'subtab'}
            aria-current={s === current ? 'page' : undefined}
            data-testid={`tab-${s}`}
          >
            {STEWARDSHIP_LABELS[s]}
          </a>
        ))}
      </nav>
      {current === section && <Section section={current} query={query} />}
    </div>
  );
}

function Section({ section, query }: { section: StewardshipSection; query: string }) {
  switch (section) {
    case 'requests':
      return <RequestsSection query={query} />;
    case 'duplicates':
      return <DuplicatesSection query={query} />;
    case 'merges':
      return <MergesSection />;
    case 'matching':
      return <MatchingSection />;
  }
}
