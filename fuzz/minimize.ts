/**
 * Delta debugging (Zeller's ddmin) over bytes: the smallest input, removing chunks of
 * shrinking size, for which `keeps` still holds. Bounded by a test budget. The steps are a
 * generator (candidate out, verdict in) so a synchronous and an asynchronous predicate share
 * one algorithm.
 */
function* ddminSteps(input: Uint8Array, budget: number): Generator<Uint8Array, Uint8Array, boolean> {
  let current = input;
  let granularity = 2;
  let tests = 0;
  while (current.length >= 2 && tests < budget) {
    const chunk = Math.ceil(current.length / granularity);
    let reduced = false;
    for (let start = 0; start < current.length && tests < budget; start += chunk) {
      const complement = new Uint8Array(current.length - Math.min(chunk, current.length - start));
      complement.set(current.subarray(0, start));
      complement.set(current.subarray(start + chunk), start);
      tests++;
      if (yield complement) {
        current = complement;
        granularity = Math.max(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (granularity >= current.length) break;
    granularity = Math.min(current.length, granularity * 2);
  }
  return current;
}

export function ddmin(input: Uint8Array, keeps: (bytes: Uint8Array) => boolean, budget = 20_000): Uint8Array {
  const steps = ddminSteps(input, budget);
  let step = steps.next();
  while (step.done !== true) step = steps.next(keeps(step.value));
  return step.value;
}

/** `ddmin` with a predicate that runs asynchronously (the command target). */
export async function ddminAsync(input: Uint8Array, keeps: (bytes: Uint8Array) => Promise<boolean>, budget = 2_000): Promise<Uint8Array> {
  const steps = ddminSteps(input, budget);
  let step = steps.next();
  while (step.done !== true) step = steps.next(await keeps(step.value));
  return step.value;
}
