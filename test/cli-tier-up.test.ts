/**
 * A plain `check` over several inputs raises V8's tier-up budget (src/cli/shared/tier-up.ts):
 * on V8 11 (Node 20) only, and not when the user set a budget of their own on node's command
 * line or in NODE_OPTIONS.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_V8_FLAGS, tierUpApplies, tuneTierUp } from '../src/cli/shared/tier-up.js';

const NODE_20 = { v8: '11.3.244.8-node.33', execArgv: [], nodeOptions: '' };

describe('tierUpApplies', () => {
  it('on V8 11 started without a budget of its own', () => {
    expect(CLI_V8_FLAGS).toBe('--interrupt-budget=270336');
    expect(tierUpApplies(NODE_20)).toBe(true);
    expect(tierUpApplies({ ...NODE_20, execArgv: ['--max-old-space-size=4096'], nodeOptions: '--enable-source-maps' })).toBe(true);
  });

  it('never on V8 12 or later (Node 22, 26), which have no such flag', () => {
    expect(tierUpApplies({ ...NODE_20, v8: '12.4.254.21-node.33' })).toBe(false);
    expect(tierUpApplies({ ...NODE_20, v8: '14.2.231.9-node.12' })).toBe(false);
    expect(tierUpApplies({ ...NODE_20, v8: '1.0' })).toBe(false);
  });

  it("leaves a user's own budget alone, in either spelling and either place", () => {
    expect(tierUpApplies({ ...NODE_20, execArgv: ['--interrupt-budget=1000'] })).toBe(false);
    expect(tierUpApplies({ ...NODE_20, nodeOptions: '--max-old-space-size=4096 --interrupt_budget=5000' })).toBe(false);
    expect(tierUpApplies({ ...NODE_20, nodeOptions: '--interrupt-budget 5000' })).toBe(false);
  });

  it('a flag that only starts like it is not a budget', () => {
    expect(tierUpApplies({ ...NODE_20, execArgv: ['--interrupt-budget-for-feedback-allocation=940'] })).toBe(true);
    expect(tierUpApplies({ ...NODE_20, nodeOptions: '--interrupt-budget-factor-for-feedback-allocation=8' })).toBe(true);
  });
});

describe('tuneTierUp', () => {
  it('in a node of this version: sets the flag where it applies, and V8 takes it without a word on stderr', () => {
    const script = `import { tuneTierUp } from ${JSON.stringify(new URL('../src/cli/shared/tier-up.ts', import.meta.url).href)}; console.log(tuneTierUp());`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(String(process.versions.v8.startsWith('11.')));
  });

  it('does nothing where it does not apply', () => {
    expect(tuneTierUp({ ...NODE_20, v8: '12.4.254.21-node.33' })).toBe(false);
  });
});
