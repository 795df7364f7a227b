/**
 * A plain `check` over several inputs raises V8's tier-up budget (src/cli/shared/tier-up.ts),
 * unless the user set a budget of their own on node's command line or in NODE_OPTIONS.
 */
import { describe, expect, it } from 'vitest';
import { CLI_V8_FLAGS, tuneTierUp } from '../src/cli/shared/tier-up.js';

describe('tuneTierUp', () => {
  it('sets the budget when node was started without one', () => {
    expect(CLI_V8_FLAGS).toBe('--interrupt-budget=270336');
    expect(tuneTierUp([], '')).toBe(true);
    expect(tuneTierUp(['--max-old-space-size=4096'], '--enable-source-maps')).toBe(true);
  });

  it("leaves a user's own budget alone, in either spelling and either place", () => {
    expect(tuneTierUp(['--interrupt-budget=1000'], '')).toBe(false);
    expect(tuneTierUp([], '--max-old-space-size=4096 --interrupt_budget=5000')).toBe(false);
    expect(tuneTierUp([], '--interrupt-budget 5000')).toBe(false);
  });

  it('a flag that only starts like it is not a budget', () => {
    expect(tuneTierUp(['--interrupt-budget-for-feedback-allocation=940'], '')).toBe(true);
    expect(tuneTierUp([], '--interrupt-budget-factor-for-feedback-allocation=8')).toBe(true);
  });
});
