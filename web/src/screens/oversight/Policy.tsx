/** The policy section of the Samples screen (those who manage sample policy): composes limit
 * templates, allocations, credential rules, key messages and sample SKUs, each in its own module
 * under policy/. */
import { ErrorBox, Loading } from '../../components/bits';
import { useApp } from '../../context';
import { may } from '../../lib/permissions';
import { useCatalog } from './common';
import { Allocations } from './policy/Allocations';
import { CredentialRules } from './policy/CredentialRules';
import { KeyMessages } from './policy/KeyMessages';
import { Limits } from './policy/Limits';
import { Skus } from './policy/Skus';

/** Sample policy: limit templates, allocations, credential rules, key messages (for those who
 * maintain them) and SKUs. */
export function PolicySection() {
  const { me } = useApp();
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
      {may(me, 'maintain_key_messages') && <KeyMessages catalog={catalog.data} />}
      <Skus />
    </section>
  );
}
