import { Semaphore, SemaphoreTimeoutError } from './semaphore';

describe('Semaphore', () => {
  it('lets `permits` holders in at once and the next waiter in when one releases', async () => {
    const semaphore = new Semaphore(2);
    const first = await semaphore.acquire(1000);
    await semaphore.acquire(1000);
    let third = false;
    const waiting = semaphore.acquire(1000).then((release) => ((third = true), release));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    expect(semaphore.queued).toBe(1);
    first();
    await waiting;
    expect(third).toBe(true);
    expect(semaphore.queued).toBe(0);
  });

  it('serves waiters in arrival order', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire(1000);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => semaphore.acquire(1000).then((next) => (order.push(n), next())));
    release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
  });

  it('refuses a waiter after its timeout and forgets it', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire(1000);
    await expect(semaphore.acquire(20)).rejects.toBeInstanceOf(SemaphoreTimeoutError);
    expect(semaphore.queued).toBe(0);
    release();
    // The timed-out waiter did not take the permit: it is free again.
    const again = await semaphore.acquire(20);
    again();
  });

  it('counts a release once, however often it is called', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire(1000);
    release();
    release();
    await semaphore.acquire(20);
    await expect(semaphore.acquire(20)).rejects.toBeInstanceOf(SemaphoreTimeoutError);
  });
});
