/** The policy section of the Samples screen (compliance, ops, admin): composes limit templates,
 * allocations, credential rules, key messages and sample SKUs, each in its own module under policy/. */
import { ErrorBox, Loading } from '../../components/bits';
import { useCatalog } from './common';
import { Allocations } from './policy/Allocations';
import { CredentialRules } from './policy/CredentialRules';
import { KeyMessages } from './policy/KeyMessages';
import { Limits } from './policy/Limits';
import { Skus } from './policy/Skus';

/** Sample policy (compliance, ops, admin): limit templates, allocations, credential rules, key messages and SKUs. */
export function PolicySection() {
  const catalog = useCatalog();
  if (catalog.state === 'loading') return <Loading />;
  if (catalog.state === 'error') return <ErrorBox error={catalog.error} />;
  return (
    <section data-testid="policy">
      <p class="muted small">
        Reps' devices receive a change at their next sync; the server checks every record against
        the policy in force.
      </p>
      <Limits catalog={catalog.data} />
      <Allocations catalog={catalog.data} />
      <CredentialRules catalog={catalog.data} />
      <KeyMessages catalog={catalog.data} />
      <Skus />
    </section>
  );
}
