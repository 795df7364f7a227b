/**
 * Every command that prints a document or a listing hands it to the shared streaming writer
 * (issue 17 §1 follow-up), never to process.stdout.write as one string: the writer here is
 * pointed at a recording sink, and stdout itself must stay untouched.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as check from '../src/cli/commands/check.js';
import * as conflicts from '../src/cli/commands/conflicts.js';
import * as explain from '../src/cli/commands/explain.js';
import * as iova from '../src/cli/commands/iova.js';
import * as map from '../src/cli/commands/map.js';
import * as regions from '../src/cli/commands/regions.js';
import * as report from '../src/cli/commands/report.js';
import { runProgram } from '../src/cli/program.js';
import { REPO_ROOT } from './support/shared.js';

const captured = vi.hoisted(() => ({ streamed: [] as string[], direct: [] as string[] }));

vi.mock('../src/cli/shared/output.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/cli/shared/output.js')>();
  const sink = { write: (chunk: string) => (captured.streamed.push(chunk), true), once: () => sink, off: () => sink };
  return {
    ...actual,
    writeJson: (value: unknown) => actual.writeJson(value, sink),
    writeLines: (lines: Iterable<string>) => actual.writeLines(lines, sink),
    writeText: (pieces: Iterable<string>) => actual.writeText(pieces, sink),
  };
});

const LAPTOP = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop');
const ARM = join(REPO_ROOT, 'corpus', 'samples', 'arm-server');
const PCI = ['--pci', join(LAPTOP, 'pci.json')];

/** Each command and output form that used to build one string for process.stdout.write. */
const RUNS: [string, string[], RegExp][] = [
  ['report', [LAPTOP], /^acpi-iommu report: /m],
  ['report', ['--json', ARM], /"command": "report"/],
  ['check', ['--format', 'sarif', LAPTOP], /"version": "2\.1\.0"/],
  ['check', ['--format', 'github', LAPTOP], /^checked 2 tables: /m],
  ['regions', [LAPTOP, ...PCI], /^topology /m],
  ['regions', [LAPTOP, ...PCI, '--json'], /"groups": \[/],
  // DMAR RMRR @0x90 of the sample covers 0x7c000000-0x803fffff for the display at 00:02.0 (group 1).
  ['regions', [LAPTOP, ...PCI, '--sysfs'], /^# group 1\n0x000000007c000000 0x00000000803fffff direct-relaxable$/m],
  ['iova', [LAPTOP, ...PCI], /^aperture /],
  ['iova', [LAPTOP, '--json'], /"aperture": \{/],
  ['iova', [LAPTOP, '--format', 'e820', '--ram-size', '4G'], /^e820: \[mem 0x/m],
  ['iova', [ARM, '--format', 'dt'], /^\/dts-v1\/;\n/],
  ['conflicts', [LAPTOP, '--guest-ram', '0x0-0xffffffff'], /VFIO_IOMMU_MAP_DMA fails/],
  ['conflicts', [LAPTOP, '--guest-ram', '0x0-0xffffffff', '--json'], /"conflicts": \[/],
  ['map', [ARM, '--node', '\\_SB.ETH0'], /^to the IOMMU \(stream ID\):$/m],
  ['map', [ARM, '--node', '\\_SB.ETH0', '--json'], /"doorbells": \[/],
  ['explain', [LAPTOP, ...PCI, '00:02.0'], /^explain 0000:00:02\.0 /],
  ['explain', [LAPTOP, ...PCI, '00:02.0', '--json'], /"command": "explain"/],
];

describe('commands print through the shared streaming writer', () => {
  let savedWrite: typeof process.stdout.write;
  beforeEach(() => {
    captured.streamed.length = 0;
    captured.direct.length = 0;
    savedWrite = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => (captured.direct.push(String(chunk)), true)) as typeof process.stdout.write;
  });
  afterEach(() => {
    process.stdout.write = savedWrite;
    process.exitCode = undefined;
  });

  const named = RUNS.map(([command, args, expected]) => [`${command} ${args.map((arg) => arg.replace(`${REPO_ROOT}/`, '')).join(' ')}`, command, args, expected] as const);
  it.each(named)('%s', async (_name, command, args, expected) => {
    await runProgram(['node', 'acpi-iommu', command, ...args], [report, check, regions, iova, conflicts, map, explain]);
    const text = captured.streamed.join('');
    expect(captured.direct).toEqual([]);
    expect(text).toMatch(expected);
    expect(text.endsWith('\n')).toBe(true);
    if (args.includes('--json')) expect(() => JSON.parse(text)).not.toThrow();
  });
});
