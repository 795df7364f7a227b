/**
 * How a run over many machines (src/cli/shared/machines-run.ts) hands its stdout to the stream:
 * per unit when a terminal shows the run, otherwise in chunks; and in both cases a unit's
 * stderr lines come after everything earlier units wrote, as with one flush per unit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MachinePlan } from '../src/cli/shared/machine-units.js';
import { runMachines, type UnitOutcome } from '../src/cli/shared/machines-run.js';
import { ChunkedWriter } from '../src/cli/shared/output.js';

/** One unit's answer: the lines it prints, and the files it could not read. */
interface Answer extends UnitOutcome {
  lines: string[];
}

/** Everything that reached stdout or stderr, in order: `out:TEXT` per stdout write, `err:TEXT` per stderr write. */
let events: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  events = [];
});

/** Runs one unit per answer (`answer` may instead fail a unit), in this process, writing each unit's lines to stdout. */
function run(answers: Answer[], options: { interactive: boolean; verbose?: boolean; head?: string; answer?: (index: number) => Promise<Answer> }): Promise<{ writes: number }> {
  vi.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => {
    events.push(`err:${String(text)}`);
    return true;
  });
  const writer = new ChunkedWriter({ write: (text) => (events.push(`out:${text}`), true), once: () => undefined, off: () => undefined });
  const plan: MachinePlan = { units: answers.map((_, index) => ({ paths: [`m${index}`], walked: false })), notes: [], failures: [], files: answers.length };
  const answer = options.answer ?? (async (index: number) => answers[index]!);
  const start = options.head === undefined ? Promise.resolve() : writer.write(options.head);
  return start
    .then(() =>
      runMachines<undefined, Answer>({
        command: 'check',
        plan,
        verbose: options.verbose === true,
        options: undefined,
        jobs: 1,
        job: (unit) => answer(Number(unit.paths[0]!.slice(1))),
        output: writer,
        interactive: options.interactive,
        deliver: async (result) => {
          for (const line of result.lines) await writer.write(line);
        },
      }),
    )
    .then(() => ({ writes: writer.writes }));
}

const clean = (lines: string[]): Answer => ({ lines, failures: [], notes: [], notRead: [] });
const failing = (lines: string[], path: string): Answer => ({ lines, failures: [{ path, reason: 'unreadable' }], notes: [], notRead: [] });

describe('runMachines output', () => {
  it('piped: every unit in one write at the end', async () => {
    const { writes } = await run([clean(['a\n']), clean(['b\n', 'c\n']), clean(['d\n'])], { interactive: false });
    expect(writes).toBe(1);
    expect(events).toEqual(['out:a\nb\nc\nd\n']);
  });

  it('on a terminal: one write per unit, as it is delivered', async () => {
    const { writes } = await run([clean(['a\n']), clean(['b\n', 'c\n']), clean(['d\n'])], { interactive: true });
    expect(writes).toBe(3);
    expect(events).toEqual(['out:a\n', 'out:b\nc\n', 'out:d\n']);
  });

  it("piped: a unit's failures on stderr come after what the units before it printed, and before its own lines", async () => {
    await run([clean(['a\n']), clean(['b\n']), failing(['c\n'], 'x/DMAR'), clean(['d\n'])], { interactive: false });
    expect(events).toEqual(['out:a\nb\n', 'err:acpi-iommu: x/DMAR: unreadable\n', 'out:c\nd\n']);
  });

  it("the first unit's failures precede what was written before the run (a JSON head), as when it flushed with the unit's lines", async () => {
    await run([failing(['a\n'], 'x/DMAR'), clean(['b\n'])], { interactive: false, head: '{\n' });
    expect(events).toEqual(['err:acpi-iommu: x/DMAR: unreadable\n', 'out:{\na\nb\n']);
  });

  it('a unit that fails the run keeps the output of the units delivered before it', async () => {
    const answers = [clean(['a\n']), clean(['b\n']), clean(['c\n'])];
    // Unit 2 fails later than the others answer, so units 0 and 1 are delivered first.
    const answer = async (index: number): Promise<Answer> => {
      if (index === 2) await new Promise((resolve) => setTimeout(resolve, 20)).then(() => Promise.reject(new Error('worker failed')));
      return answers[index]!;
    };
    await expect(run(answers, { interactive: false, answer })).rejects.toThrow('worker failed');
    expect(events).toEqual(['out:a\nb\n']);
  });
});
