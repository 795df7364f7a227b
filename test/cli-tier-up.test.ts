/**
 * check, report and audit of several inputs or a tree raise V8's tier-up budget
 * (src/cli/shared/tier-up.ts): on V8 11 (Node 20) only, not when the user set a budget of
 * their own on node's command line or in NODE_OPTIONS, and never in the build's run that writes
 * the code cache (V8 records its flags in the cache).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_V8_FLAGS, readsSeveralInputs, tierUpApplies, tuneTierUp, WRITE_CODE_CACHE_ENV } from '../src/cli/shared/tier-up.js';

const NODE_20 = { v8: '11.3.244.8-node.33', execArgv: [], nodeOptions: '', writingCodeCache: false };

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

  it('never in the run that writes the code cache', () => {
    expect(tierUpApplies({ ...NODE_20, writingCodeCache: true })).toBe(false);
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
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', [WRITE_CODE_CACHE_ENV]: '' } });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(String(process.versions.v8.startsWith('11.')));
  });

  it('does nothing where it does not apply', () => {
    expect(tuneTierUp({ ...NODE_20, v8: '12.4.254.21-node.33' })).toBe(false);
  });
});

describe('readsSeveralInputs', () => {
  it('check, report and audit of two inputs or more, or of a tree', () => {
    expect(readsSeveralInputs(['check', 'a/DMAR.bin', 'b/DMAR.bin'])).toBe(true);
    expect(readsSeveralInputs(['report', '-r', 'dumps'])).toBe(true);
    expect(readsSeveralInputs(['audit', '--recursive', 'dumps', '--json'])).toBe(true);
    expect(readsSeveralInputs(['check', '--strict', 'DMAR.bin', '-q', 'APIC.bin'])).toBe(true);
  });

  it('not of one input, nor any other command, nor no command', () => {
    expect(readsSeveralInputs(['check', 'DMAR.bin'])).toBe(false);
    expect(readsSeveralInputs(['check', '--json', '-q', 'DMAR.bin'])).toBe(false);
    expect(readsSeveralInputs(['regions', 'DMAR.bin', 'APIC.bin'])).toBe(false);
    expect(readsSeveralInputs(['dump', '-r', 'dumps'])).toBe(false);
    expect(readsSeveralInputs([])).toBe(false);
  });
});
