import { CoalescingBatch } from './coalescing-batch';

describe(CoalescingBatch.name, () => {
  it('runs an item added while idle at once, and items added during a run together in the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const batch = new CoalescingBatch<number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });

    const first = batch.add(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(batches).toEqual([[1]]);
    const later = [batch.add(2), batch.add(3), batch.add(4)];
    release();
    await Promise.all([first, ...later]);

    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('splits a long queue into batches of at most maxBatch, and resolves every add once its batch ran', async () => {
    const batches: number[][] = [];
    const batch = new CoalescingBatch<number>(async (items) => void batches.push(items), 2);
    const adds = [1, 2, 3, 4, 5].map((item) => batch.add(item));
    await Promise.all(adds);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('keeps going after a batch that failed', async () => {
    const ran: number[][] = [];
    const batch = new CoalescingBatch<number>(async (items) => {
      ran.push(items);
      if (items.includes(1)) throw new Error('boom');
    });
    await batch.add(1);
    await batch.add(2);
    await batch.idle();
    expect(ran).toEqual([[1], [2]]);
  });
});
