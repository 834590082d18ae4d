// A witnessed destruction recorded on the device (`sample.destroy`): it leaves the on-hand
// figures like a return until the book shows it, is listed as a pending "Destroyed" movement
// with the witness, has no effect once rejected, and needs the witness and the method.
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../src/offline/records';
import { newMutationItem } from '../src/offline/outbox';
import {
  effectiveBook,
  kindLabel,
  kindSign,
  lotKey,
  unreflected,
  validateDestruction,
} from '../src/offline/sampleBook';
import type { MoveInput, SampleBook } from '../src/offline/types';

const LX = 'lot-expired';
const LG = 'lot-good';

function book(): SampleBook {
  return {
    rep_id: 'rep',
    lots: [
      {
        lot_id: LX,
        sku_id: 's1',
        product_id: 'p1',
        product_name: 'Neurvanta',
        ndc: '1',
        strength: '10 mg',
        lot_number: 'NV2301',
        expires_on: '2026-01-31',
        on_hand: 6,
      },
      {
        lot_id: LG,
        sku_id: 's1',
        product_id: 'p1',
        product_name: 'Neurvanta',
        ndc: '1',
        strength: '10 mg',
        lot_number: 'NV2402',
        expires_on: '2027-01-01',
        on_hand: 10,
      },
    ],
    allocations: [
      {
        product_id: 'p1',
        period_from: '2026-06-01',
        period_to: '2026-06-30',
        quantity: 40,
        used: 6,
      },
    ],
    limits: [],
    credential_rules: [],
    skus: [],
    manufacturers: [],
    colleagues: [],
    incoming: [],
    history: [],
    recent: [],
    key_messages: [],
  } as unknown as SampleBook;
}

const at = (ms: number) => new Date(Date.UTC(2026, 5, 15, 10, 0, 0, ms));
const destroy = (
  id: string,
  lines: MoveInput['lines'],
  ms: number,
  note: string | null = ' Witnessed by J. Smith (DM); incinerated ',
) =>
  newMutationItem(
    'sample.destroy',
    { id, occurred_at: at(ms).toISOString(), to_rep_id: null, lines, note },
    at(ms),
  );

describe('a witnessed destruction on the device', () => {
  it('takes the destroyed units off hand before a sync, like a return', () => {
    const items: OutboxItem[] = [
      destroy(
        'd1',
        [
          { lot_id: LX, quantity: 6 },
          { lot_id: LG, quantity: 1 },
        ],
        1,
      ),
      newMutationItem(
        'sample.return',
        {
          id: 'r1',
          occurred_at: at(2).toISOString(),
          to_rep_id: null,
          lines: [{ lot_id: LG, quantity: 2 }],
          note: null,
        },
        at(2),
      ),
    ];
    const b = effectiveBook(book(), items, null);
    expect(Object.fromEntries(b.lots.map((l) => [l.lot_id, l.on_hand]))).toEqual({
      [LX]: 0,
      [LG]: 10 - 1 - 2,
    });
    expect(b.syncedOnHand.get(LX)).toBe(6);
    // Destroying samples does not use the allocation.
    expect(b.allocations[0].used).toBe(6);
    // Newest first (the lines of one record too), with the witness as the server writes it.
    expect(b.pending.map((p) => [p.kind, p.state, p.lot_id, p.quantity, p.counterparty])).toEqual([
      ['return', 'pending', LG, 2, 'Headquarters (sample returns)'],
      [
        'destruction',
        'pending',
        LG,
        1,
        'Destroyed, witnessed: Witnessed by J. Smith (DM); incinerated',
      ],
      [
        'destruction',
        'pending',
        LX,
        6,
        'Destroyed, witnessed: Witnessed by J. Smith (DM); incinerated',
      ],
    ]);
    expect(b.pending[2].sku_id).toBe('s1');
    expect(kindLabel('destruction')).toBe('Destroyed');
    expect(kindSign('destruction')).toBe(-1);
  });

  it('counts once applied until the next pull shows it; rejected, it had no effect', () => {
    const lastPull = at(500).toISOString();
    const items: OutboxItem[] = [
      // Applied before the last pull: the synced book already holds it.
      {
        ...destroy('d0', [{ lot_id: LG, quantity: 4 }], 0),
        status: 'applied',
        updated_at: at(100).toISOString(),
      },
      // Rejected (no witness): nothing left the inventory.
      { ...destroy('d1', [{ lot_id: LX, quantity: 6 }], 1, null), status: 'rejected' },
      // Applied after the last pull: not in the book yet.
      {
        ...destroy('d2', [{ lot_id: LX, quantity: 2 }], 2),
        status: 'applied',
        updated_at: at(900).toISOString(),
      },
    ];
    expect(unreflected(items, lastPull).map((o) => o.id)).toEqual([items[2].id]);
    const b = effectiveBook(book(), items, lastPull);
    expect(Object.fromEntries(b.lots.map((l) => [l.lot_id, l.on_hand]))).toEqual({
      [LX]: 4,
      [LG]: 10,
    });
    expect(b.pending.map((p) => [p.kind, p.state, p.quantity])).toEqual([
      ['destruction', 'sent', 2],
    ]);
  });

  it('needs the witness and the method, and units within what is on hand', () => {
    const onHand = (id: string) => (id === LX ? 6 : 0);
    expect(
      validateDestruction(
        'Witnessed by J. Smith; incinerated',
        [{ lot_id: LX, quantity: 6 }],
        onHand,
      ),
    ).toEqual({});
    expect(validateDestruction('  ', [{ lot_id: LX, quantity: 6 }], onHand)).toEqual({
      note: 'Name the witness and how the samples were destroyed.',
    });
    expect(validateDestruction('', [], onHand)).toMatchObject({
      lines: expect.any(String),
      note: expect.any(String),
    });
    expect(validateDestruction('w', [{ lot_id: LX, quantity: 7 }], onHand)).toEqual({
      [lotKey(LX)]: 'Only 6 on hand.',
    });
  });
});
