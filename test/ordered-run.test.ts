/** runOrdered: results handed over in task order whatever finishes first, never more than the window ahead. */
import { describe, expect, it } from 'vitest';
import { runOrdered } from '../src/cli/shared/ordered-run.js';

describe('runOrdered', () => {
  it('delivers in index order when later tasks finish first, and keeps at most `window` started ahead of delivery', async () => {
    const delivered: number[] = [];
    let started = 0;
    let maxAhead = 0;
    let running = 0;
    let maxRunning = 0;
    await runOrdered<number>({
      count: 20,
      concurrency: 3,
      window: 5,
      start: async (index) => {
        started++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        maxAhead = Math.max(maxAhead, started - delivered.length);
        // Task 0 is the slowest: everything after it must wait for it.
        await new Promise((resolve) => setTimeout(resolve, index === 0 ? 30 : (20 - index) % 4));
        running--;
        return index;
      },
      done: () => {},
      deliver: async (result) => {
        delivered.push(result);
      },
    });
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(maxRunning).toBe(3);
    expect(maxAhead).toBeLessThanOrEqual(5);
  });

  it('rejects with the first failure and starts nothing more', async () => {
    let started = 0;
    const run = runOrdered<number>({
      count: 10,
      concurrency: 1,
      window: 2,
      start: async (index) => {
        started++;
        if (index === 2) throw new Error('unit 2 failed');
        return index;
      },
      done: () => {},
      deliver: async () => {},
    });
    await expect(run).rejects.toThrow('unit 2 failed');
    expect(started).toBe(3);
  });

  it('resolves at once with no tasks', async () => {
    await expect(runOrdered({ count: 0, concurrency: 2, window: 4, start: async () => 0, done: () => {}, deliver: async () => {} })).resolves.toBeUndefined();
  });
});
