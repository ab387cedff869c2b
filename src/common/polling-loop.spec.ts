import { PollingLoop } from './polling-loop';

describe(PollingLoop.name, () => {
  it('runs one look at a time: a look asked for meanwhile does nothing', async () => {
    let release!: () => void;
    let looks = 0;
    const loop = new PollingLoop(async () => {
      looks += 1;
      await new Promise<void>((resolve) => (release = resolve));
    }, () => undefined);
    const first = loop.run();
    await loop.run();
    expect(looks).toBe(1);
    release();
    await first;
    const second = loop.run();
    release();
    await second;
    expect(looks).toBe(2);
  });

  it('reports a failed look and looks again next time', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new PollingLoop(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database away');
    }, (error) => errors.push(error));
    await loop.run();
    await loop.run();
    expect([calls, errors.map(String)]).toEqual([2, ['Error: database away']]);
  });

  it('lets the look in progress finish when it stops, and looks no more', async () => {
    jest.useFakeTimers();
    try {
      let looks = 0;
      let finished = false;
      const loop = new PollingLoop(async () => {
        looks += 1;
        await Promise.resolve();
        finished = true;
      }, () => undefined);
      loop.start(1000);
      jest.advanceTimersByTime(1000);
      await loop.stop();
      expect([looks, finished]).toEqual([1, true]);
      jest.advanceTimersByTime(5000);
      expect(looks).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
