/** Credential rules on the policy screen: which credentials may not receive samples of a product (or of every controlled product) in a state. */
import type { CredentialRule } from '../../../api/types';
import { useApp } from '../../../context';
import { uuidv7 } from '../../../offline/uuid';
import type { Catalog } from '../common';
import { PolicyEditor } from './PolicyEditor';

const ALL_PRODUCTS = '';
const ALL_CONTROLLED = '*controlled';

/** The form's draft: the rule with its product and `controlled_only` as one choice, the scope. */
interface RuleDraft {
  id: string;
  state: string;
  credential: string;
  scope: string;
}

function scopeOf(r: Pick<CredentialRule, 'product_id' | 'controlled_only'>): string {
  return r.product_id ?? (r.controlled_only ? ALL_CONTROLLED : ALL_PRODUCTS);
}

function scopeLabel(r: CredentialRule, catalog: Catalog): string {
  if (r.product_id)
    return catalog.productName(r.product_id) + (r.controlled_only ? ' (when controlled)' : '');
  return r.controlled_only ? 'Every controlled product' : 'Every product';
}

export function CredentialRules({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  return (
    <PolicyEditor<CredentialRule, RuleDraft, true>
      testid="credential-rules"
      title="Credential rules"
      intro={
        <>
          Practitioners with a credential who may not receive samples of a product in a state (e.g.
          NPs and controlled products).
        </>
      }
      load={() => api.credentialRules()}
      table={{
        rowTestid: 'credential-rule',
        rowId: (r) => r.id,
        empty: 'No credential rules.',
        columns: [
          { heading: 'State', cell: (r) => (r.state === '*' ? 'Every state' : r.state) },
          { heading: 'Credential', cell: (r) => r.credential },
          { heading: 'May not receive', cell: (r) => scopeLabel(r, catalog) },
        ],
        edit: {
          testid: 'rule-edit',
          draft: (r) => ({ id: r.id, state: r.state, credential: r.credential, scope: scopeOf(r) }),
        },
      }}
      create={{
        label: 'New rule',
        testid: 'rule-new',
        draft: () => ({ id: uuidv7(), state: '', credential: '', scope: ALL_CONTROLLED }),
      }}
      form={{
        testid: 'rule-form',
        prefix: 'rule',
        key: (d) => d.id,
        title: () => 'Credential rule',
        fields: [
          {
            name: 'state',
            label: 'State (two letters, * for every state)',
            input: 'text',
            maxLength: 2,
            testid: 'rule-state',
          },
          {
            name: 'credential',
            label: 'Credential (as written on the HCP)',
            input: 'text',
            placeholder: 'NP',
            testid: 'rule-credential',
          },
          {
            name: 'scope',
            label: 'May not receive',
            input: 'select',
            testid: 'rule-scope',
            options: [
              { value: ALL_CONTROLLED, label: 'Every controlled product' },
              { value: ALL_PRODUCTS, label: 'Every product' },
              ...catalog.products.map((p) => ({ value: p.id, label: p.brand })),
            ],
          },
        ],
        save: 'Save rule',
        saveTestid: 'rule-save',
        check: (d) => {
          const st = d.state.trim().toUpperCase();
          const errors: Record<string, string> = {};
          if (!(st === '*' || /^[A-Z]{2}$/.test(st))) errors.state = 'use a two-letter state or *';
          if (!d.credential.trim()) errors.credential = 'is required';
          if (Object.keys(errors).length) return { errors };
          const rule: CredentialRule = {
            id: d.id,
            state: st,
            credential: d.credential.trim(),
            product_id: d.scope === ALL_PRODUCTS || d.scope === ALL_CONTROLLED ? null : d.scope,
            controlled_only: d.scope === ALL_CONTROLLED,
          };
          return {
            send: async () => {
              await api.putCredentialRule(rule);
              return true as const;
            },
          };
        },
      }}
    />
  );
}
