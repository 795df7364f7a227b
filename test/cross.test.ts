/** Cross-table checks: IORT ITS groups and DMAR IOAPIC scopes against the MADT of the same machine. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossCheck } from '../src/cross/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { runCli } from './support/cli.js';
import { HAVE_SHARED, REPO_ROOT, SKIP_REASON, readReal, realTables } from './support/shared.js';

const sample = (platform: string, signature: string) => new Uint8Array(readFileSync(join(REPO_ROOT, 'corpus', 'samples', platform, `${signature}.bin`)));

/** Machines whose folder holds both tables. */
function pairs(signature: 'DMAR' | 'IORT'): string[] {
  const apics = new Set(realTables('APIC').map((row) => row.path.replace(/APIC\.bin$/, '')));
  return realTables(signature).map((row) => row.path.replace(/[A-Z]{4}\.bin$/, '')).filter((dir) => apics.has(dir));
}

/** Sets the u32/u8 at `offset` of a copy; the checksum goes stale, which crossCheck ignores. */
function patched(bytes: Uint8Array, offset: number, value: number, size: 1 | 4): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (size === 4) view.setUint32(offset, value, true);
  else view.setUint8(offset, value);
  return copy;
}

describe('cross-table checks on the bundled samples (built by the encoder)', () => {
  const armIort = sample('arm-server', 'IORT');
  const armMadt = sample('arm-server', 'APIC');
  const laptopDmar = sample('x86-laptop', 'DMAR');
  const laptopMadt = sample('x86-laptop', 'APIC');

  it('agree as built: ITS 0 and I/O APIC 2 are in the MADTs', () => {
    expect(crossCheck({ iort: parseIort(armIort), madt: parseMadt(armMadt) })).toEqual({ dmar: [], iort: [] });
    expect(crossCheck({ dmar: parseDmar(laptopDmar), madt: parseMadt(laptopMadt) })).toEqual({ dmar: [], iort: [] });
  });

  it('an ITS renumbered in the MADT: cross.its.missing at the ITS group\'s identifier (0x30 + 20)', () => {
    const its = [...parseMadt(armMadt).gicIts()][0]!;
    const findings = crossCheck({ iort: parseIort(armIort), madt: parseMadt(patched(armMadt, its.offset + 4, 0xdead, 4)) }).iort;
    expect(findings.map((finding) => [finding.code, finding.offset])).toEqual([['cross.its.missing', 0x44]]);
  });

  it('an I/O APIC renumbered in the MADT: cross.ioapic.missing at the DMAR scope\'s enumeration ID (0x58 + 4)', () => {
    // x86-laptop MADT: the I/O APIC entry is at 0x4c, its ID at +2.
    const findings = crossCheck({ dmar: parseDmar(laptopDmar), madt: parseMadt(patched(laptopMadt, 0x4c + 2, 9, 1)) }).dmar;
    expect(findings.map((finding) => [finding.code, finding.offset])).toEqual([['cross.ioapic.missing', 0x5c]]);
    // The laptop DMAR's IOAPIC scope names I/O APIC 2 (fuzz/specimens/samples.ts); IDs print in hex.
    expect(findings[0]!.message).toBe('IOAPIC scope names I/O APIC ID 0x2, which the MADT does not describe');
  });

  it('says nothing without a MADT, and is part of `check` on a directory', async () => {
    expect(crossCheck({ iort: parseIort(armIort) })).toEqual({ dmar: [], iort: [] });
    const its = [...parseMadt(armMadt).gicIts()][0]!;
    const machine = mkdtempSync(join(tmpdir(), 'acpi-iommu-cross-'));
    writeFileSync(join(machine, 'IORT'), armIort);
    writeFileSync(join(machine, 'APIC'), patched(armMadt, its.offset + 4, 0xdead, 4));
    const result = await runCli(['check', machine]);
    expect(result.stdout).toMatch(/IORT:0x0044: warning cross\.its\.missing /);
  });
});

describe.skipIf(!HAVE_SHARED)(`cross-table checks on real machines (${HAVE_SHARED ? 'shared corpus' : SKIP_REASON})`, () => {
  it('finds every IORT ITS identifier in the same machine\'s MADT', () => {
    const machines = pairs('IORT');
    expect(machines.length).toBeGreaterThan(5);
    for (const dir of machines) {
      const findings = crossCheck({ iort: parseIort(readReal(`${dir}IORT.bin`)), madt: parseMadt(readReal(`${dir}APIC.bin`)) });
      expect(findings.iort, dir).toEqual([]);
    }
  });

  it('reports an ITS identifier the MADT lacks, at the identifier\'s offset', () => {
    const dir = pairs('IORT').find((candidate) => [...parseMadt(readReal(`${candidate}APIC.bin`)).gicIts()].length > 0)!;
    const madtBytes = readReal(`${dir}APIC.bin`);
    const madt = parseMadt(madtBytes);
    const its = [...madt.gicIts()][0]!;
    const renamed = parseMadt(patched(madtBytes, its.offset + 4, 0xdead, 4));
    const iort = parseIort(readReal(`${dir}IORT.bin`));
    const group = [...iort.nodes()].find((node) => node.kind === 'its-group' && node.itsIdentifiers.includes(its.translationId))!;
    const index = (group as { itsIdentifiers: number[] }).itsIdentifiers.indexOf(its.translationId);
    const findings = crossCheck({ iort, madt: renamed }).iort;
    expect(findings.map((finding) => [finding.code, finding.offset])).toContainEqual(['cross.its.missing', group.offset + 20 + 4 * index]);
  });

  it('finds DMAR IOAPIC scopes in the MADT, and reports a renumbered I/O APIC', () => {
    const machines = pairs('DMAR');
    expect(machines.length).toBeGreaterThan(20);
    let checked = 0;
    for (const dir of machines) {
      const dmar = parseDmar(readReal(`${dir}DMAR.bin`));
      const madtBytes = readReal(`${dir}APIC.bin`);
      const madt = parseMadt(madtBytes);
      if (crossCheck({ dmar, madt }).dmar.length > 0) continue; // a genuine firmware mismatch, checked below only on clean pairs
      const ioApic = [...madt.ioApics()][0];
      if (ioApic === undefined) continue;
      const findings = crossCheck({ dmar, madt: parseMadt(patched(madtBytes, ioApic.offset + 2, (ioApic.ioApicId + 77) & 0xff, 1)) }).dmar;
      const scopes = [...dmar.structures()].flatMap((s) => (s.kind === 'drhd' ? [...s.deviceScopes()] : []));
      const named = scopes.filter((scope) => scope.kind === 'ioapic' && scope.enumerationId === ioApic.ioApicId);
      expect(findings.filter((f) => f.code === 'cross.ioapic.missing').map((f) => f.offset).sort()).toEqual(
        expect.arrayContaining(named.map((scope) => scope.offset + 4)),
      );
      checked += named.length > 0 ? 1 : 0;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('says nothing without a MADT', () => {
    const dir = pairs('IORT')[0]!;
    expect(crossCheck({ iort: parseIort(readReal(`${dir}IORT.bin`)) })).toEqual({ dmar: [], iort: [] });
  });

  it('is part of `check` on a directory holding both tables', async () => {
    const dir = pairs('IORT').find((candidate) => [...parseMadt(readReal(`${candidate}APIC.bin`)).gicIts()].length > 0)!;
    const madtBytes = readReal(`${dir}APIC.bin`);
    const its = [...parseMadt(madtBytes).gicIts()][0]!;
    const machine = mkdtempSync(join(tmpdir(), 'acpi-iommu-cross-'));
    writeFileSync(join(machine, 'IORT'), readReal(`${dir}IORT.bin`));
    writeFileSync(join(machine, 'APIC'), patched(madtBytes, its.offset + 4, 0xdead, 4));
    const result = await runCli(['check', machine]);
    expect(result.stdout).toMatch(/IORT:0x[0-9a-f]+: warning cross\.its\.missing /);
  });
});
