import type { TrailEntry } from '../trail/trail.repository';
import type { SlaEvaluator } from './sla-evaluator';
import { SlaProjection } from './sla-projection';

const entry = (id: number, ticketId: string): TrailEntry => ({ id, ticketId, type: 'workflow_update', concerns: [true] });

describe(SlaProjection.name, () => {
  it('evaluates each ticket of a batch once, locking them in id order whatever order their events came in', async () => {
    const evaluated: string[] = [];
    const sut = new SlaProjection({ evaluate: async (ticketId: string) => void evaluated.push(ticketId) } as unknown as SlaEvaluator);
    // Events of an incident's tickets arrive in any order; confirming it locks them in id order.
    await sut.apply([entry(1, 'c-ticket'), entry(2, 'a-ticket'), entry(3, 'c-ticket'), entry(4, 'b-ticket')]);
    expect(evaluated).toEqual(['a-ticket', 'b-ticket', 'c-ticket']);
  });
});
