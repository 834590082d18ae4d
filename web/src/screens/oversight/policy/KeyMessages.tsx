/** Key messages on the policy screen: per product, the benefit claims and the risk information reps present. */
import type { KeyMessage } from '../../../api/types';
import { useApp } from '../../../context';
import { uuidv7 } from '../../../offline/uuid';
import type { Catalog } from '../common';
import { PolicyEditor } from './PolicyEditor';

export function KeyMessages({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  return (
    <PolicyEditor<KeyMessage, KeyMessage, true>
      testid="key-messages"
      title="Key messages"
      intro="What reps present per product: benefit claims and the risk information that balances them."
      load={() => api.keyMessages()}
      body={(messages, { editing, edit, form }) =>
        catalog.products.map((p) => {
          const ms = messages.filter((m) => m.product_id === p.id);
          const benefits = ms.filter((m) => m.kind === 'benefit').length;
          const risks = ms.filter((m) => m.kind === 'risk').length;
          const here = !!editing && editing.product_id === p.id;
          return (
            <div key={p.id} class="km-product" data-testid="km-product" data-id={p.id}>
              <h3>
                {p.brand}{' '}
                {benefits > 0 && risks === 0 && (
                  <span class="badge dnc" title="Benefit claims need risk information alongside">
                    no risk information
                  </span>
                )}
              </h3>
              {ms.length === 0 ? (
                <p class="muted small">No key messages.</p>
              ) : (
                <ul class="km-list">
                  {ms.map((m) => (
                    <li key={m.id} data-testid="key-message" data-id={m.id} data-kind={m.kind}>
                      <span class={`badge km-${m.kind}`}>{m.kind}</span> {m.text}{' '}
                      <button
                        type="button"
                        class="btn-link"
                        onClick={() => edit(m)}
                        data-testid="km-edit"
                      >
                        Edit
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              {here && form}
              {!here && (
                <button
                  type="button"
                  class="btn-link"
                  onClick={() =>
                    edit({
                      id: uuidv7(),
                      product_id: p.id,
                      kind: risks === 0 && benefits > 0 ? 'risk' : 'benefit',
                      text: '',
                    })
                  }
                  data-testid="km-new"
                >
                  Add a message
                </button>
              )}
            </div>
          );
        })
      }
      form={{
        testid: 'km-form',
        prefix: 'km',
        key: (d) => d.id,
        title: (d) => `${catalog.productName(d.product_id)}: key message`,
        grid: false,
        fields: [
          {
            name: 'kind',
            label: 'Kind',
            input: 'select',
            testid: 'km-kind',
            options: [
              { value: 'benefit', label: 'Benefit' },
              { value: 'risk', label: 'Risk information' },
            ],
          },
          { name: 'text', label: 'Text', input: 'textarea', rows: 3, testid: 'km-text' },
        ],
        save: 'Save message',
        saveTestid: 'km-save',
        check: (d) => {
          if (!d.text.trim()) return { errors: { text: 'is required' } };
          return {
            send: async () => {
              await api.putKeyMessage({ ...d, text: d.text.trim() });
              return true as const;
            },
          };
        },
      }}
    />
  );
}
