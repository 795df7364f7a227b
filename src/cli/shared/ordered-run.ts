/**
 * Runs numbered tasks a few at a time and hands their results over in number order: the order
 * of the inputs, whatever finishes first. At most `window` tasks run or wait ahead of the one
 * being handed over, so a slow consumer (a stdout pipe) cannot make results pile up.
 */
export interface OrderedRun<R> {
  count: number;
  /** Tasks running at once: several overlap their file reads even on one thread. */
  concurrency: number;
  /** Tasks started but not yet handed over, at most. */
  window: number;
  start(index: number): Promise<R>;
  /** A task finished (in any order): for the progress bar. */
  done(): void;
  deliver(result: R): Promise<void>;
}

export function runOrdered<R>(run: OrderedRun<R>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finished = new Map<number, R>();
    let started = 0;
    let running = 0;
    let delivered = 0;
    let delivering = false;
    let failed = false;
    const fail = (error: unknown): void => {
      if (!failed) reject(error instanceof Error ? error : new Error(String(error)));
      failed = true;
    };
    const pump = (): void => {
      while (!failed && running < run.concurrency && started < run.count && started - delivered < run.window) {
        const index = started++;
        running++;
        run.start(index).then((result) => {
          running--;
          finished.set(index, result);
          run.done();
          pump();
          void drain();
        }, fail);
      }
    };
    const drain = async (): Promise<void> => {
      if (delivering) return;
      delivering = true;
      try {
        while (!failed && finished.has(delivered)) {
          const result = finished.get(delivered)!;
          finished.delete(delivered);
          delivered++;
          await run.deliver(result);
          pump();
        }
      } catch (error) {
        fail(error);
      } finally {
        delivering = false;
      }
      if (!failed && delivered === run.count) resolve();
    };
    if (run.count === 0) resolve();
    else pump();
  });
}
