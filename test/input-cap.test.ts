/**
 * The input-size cap is counted while reading (issue 17 §2): stdin, a FIFO, /dev/zero and
 * /proc files of size 0 stop at the cap; the CLI then exits 2 with one line.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FINDING_CAP_PER_CODE, findingCapPerCodeInUse, setFindingCapPerCode } from '../src/bytes/diagnostics.js';
import { applyEnvironmentLimits } from '../src/node/limits.js';
import { loadInputs } from '../src/node/inputs.js';
import { DEFAULT_MAX_INPUT_BYTES, InputTooLargeError, maxInputBytes, readFileCapped, readRegularFileCapped, readStreamCapped } from '../src/node/read-capped.js';
import { CLI_ENTRY, runNode } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const LINUX = process.platform === 'linux';

afterEach(() => setFindingCapPerCode(DEFAULT_FINDING_CAP_PER_CODE));

describe('maxInputBytes', () => {
  it('reads ACPI_IOMMU_MAX_INPUT_BYTES in bytes or K/M/G and defaults to 256 MiB', () => {
    expect(maxInputBytes({})).toBe(256 * 1024 * 1024);
    expect(DEFAULT_MAX_INPUT_BYTES).toBe(268_435_456);
    expect(maxInputBytes({ ACPI_IOMMU_MAX_INPUT_BYTES: '1000' })).toBe(1000);
    expect(maxInputBytes({ ACPI_IOMMU_MAX_INPUT_BYTES: '64K' })).toBe(65_536);
    expect(maxInputBytes({ ACPI_IOMMU_MAX_INPUT_BYTES: '2M' })).toBe(2_097_152);
    expect(maxInputBytes({ ACPI_IOMMU_MAX_INPUT_BYTES: '1G' })).toBe(1_073_741_824);
    for (const bad of ['abc', '0', '-1', '5T', '1.5M']) expect(() => maxInputBytes({ ACPI_IOMMU_MAX_INPUT_BYTES: bad })).toThrow(/not a size/);
  });
});

describe('readStreamCapped', () => {
  it('stops pulling from an endless stream at the first chunk past the cap', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(1000);
      }
    }
    await expect(readStreamCapped(endless(), 10_000)).rejects.toBeInstanceOf(InputTooLargeError);
    expect(pulled).toBe(11);
  });

  it('returns every byte when the stream ends at the cap', async () => {
    async function* three(): AsyncGenerator<Uint8Array> {
      for (const value of [1, 2, 3]) yield new Uint8Array(4).fill(value);
    }
    expect(Array.from(await readStreamCapped(three(), 12))).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  });
});

describe.skipIf(!LINUX)('readFileCapped on files stat cannot size', () => {
  it('/dev/zero stops at the cap', async () => {
    await expect(readFileCapped('/dev/zero', 100_000)).rejects.toThrow(/more than 100000 bytes/);
  });

  it.skipIf(!existsSync('/proc/self/pagemap'))('/proc/self/pagemap (size 0) stops at the cap', async () => {
    await expect(readFileCapped('/proc/self/pagemap', 1 << 20)).rejects.toBeInstanceOf(InputTooLargeError);
  });

  it('a FIFO fed forever stops at the cap, and the writer is cut off soon after', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'acpi-iommu-fifo-'));
    try {
      const fifo = join(directory, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const reading = readFileCapped(fifo, 1 << 20);
      const writer = createWriteStream(fifo);
      let written = 0;
      let open = true;
      writer.on('error', () => (open = false));
      const settled = reading.then(
        () => 'resolved',
        (error: Error) => error.name,
      );
      let outcome: string | undefined;
      void settled.then((value) => (outcome = value));
      while (open && outcome === undefined && written < 64 << 20) {
        const chunk = new Uint8Array(64 * 1024);
        written += chunk.length;
        if (!writer.write(chunk)) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(await settled).toBe('InputTooLargeError');
      writer.destroy();
      expect(written).toBeLessThan(8 << 20);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('readRegularFileCapped (the synchronous read of regular files)', () => {
  it('returns every byte of a file spanning several 64 KiB reads, and an empty file as empty', () => {
    const directory = mkdtempSync(join(tmpdir(), 'acpi-iommu-sync-read-'));
    try {
      const big = join(directory, 'big.bin');
      const bytes = Uint8Array.from({ length: 200_003 }, (_, index) => (index * 7) & 0xff);
      writeFileSync(big, bytes);
      writeFileSync(join(directory, 'empty.bin'), new Uint8Array(0));
      expect(Buffer.from(readRegularFileCapped(big)).equals(Buffer.from(bytes))).toBe(true);
      expect(readRegularFileCapped(join(directory, 'empty.bin')).length).toBe(0);
      // Exactly at the cap is allowed, one byte over is not (as readFileCapped counts).
      expect(readRegularFileCapped(big, 200_003).length).toBe(200_003);
      expect(() => readRegularFileCapped(big, 200_002)).toThrow(InputTooLargeError);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it.skipIf(!LINUX || !existsSync('/proc/self/pagemap'))('a /proc file of size 0 stops at the cap', () => {
    expect(() => readRegularFileCapped('/proc/self/pagemap', 1 << 20)).toThrow(/more than 1048576 bytes/);
  });

  it.skipIf(!LINUX)('loadInputs still reads a FIFO without blocking the thread: this process writes the table into it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'acpi-iommu-fifo-load-'));
    try {
      const fifo = join(directory, 'DMAR');
      execFileSync('mkfifo', [fifo]);
      const table = readFileSync(join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop', 'DMAR.bin'));
      const loading = loadInputs([fifo]);
      createWriteStream(fifo).end(table);
      const loaded = await loading;
      expect(loaded.failures).toEqual([]);
      expect(loaded.tables.map((item) => [item.source, item.signature, item.bytes.length])).toEqual([[fifo, 'DMAR', table.length]]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('applyEnvironmentLimits', () => {
  it('sets the finding cap from ACPI_IOMMU_MAX_FINDINGS and names a bad value', () => {
    expect(applyEnvironmentLimits({ ACPI_IOMMU_MAX_FINDINGS: '5' })).toBeUndefined();
    expect(findingCapPerCodeInUse()).toBe(5);
    expect(applyEnvironmentLimits({ ACPI_IOMMU_MAX_FINDINGS: '0' })).toMatch(/ACPI_IOMMU_MAX_FINDINGS=0/);
    expect(applyEnvironmentLimits({ ACPI_IOMMU_MAX_FINDINGS: 'many' })).toMatch(/ACPI_IOMMU_MAX_FINDINGS=many/);
    expect(applyEnvironmentLimits({ ACPI_IOMMU_MAX_INPUT_BYTES: 'huge' })).toMatch(/ACPI_IOMMU_MAX_INPUT_BYTES=huge/);
    expect(applyEnvironmentLimits({})).toBeUndefined();
    expect(findingCapPerCodeInUse()).toBe(DEFAULT_FINDING_CAP_PER_CODE);
  });
});

describe('the command line at the cap', () => {
  const env = { ACPI_IOMMU_MAX_INPUT_BYTES: '64K' };

  it('check - with more stdin than the cap: exit 2, one line naming stdin and the limit', async () => {
    const result = await runNode([CLI_ENTRY, 'check', '--quiet', '-'], { stdin: new Uint8Array(200_000), env });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['acpi-iommu: stdin: more than 65536 bytes, the input size limit (raise it with ACPI_IOMMU_MAX_INPUT_BYTES)']);
  });

  it.skipIf(!LINUX)('--pci /dev/zero and --memmap /dev/zero: exit 2, one line', async () => {
    const regions = await runNode([CLI_ENTRY, 'regions', '--pci', '/dev/zero', 'corpus/samples/arm-server'], { env });
    expect(regions.code).toBe(2);
    expect(regions.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^acpi-iommu: --pci \/dev\/zero: more than 65536 bytes/)]);
    const audit = await runNode([CLI_ENTRY, 'audit', '--memmap', '/dev/zero', 'corpus/samples/arm-server'], { env });
    expect(audit.code).toBe(2);
    expect(audit.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^acpi-iommu: --memmap \/dev\/zero: more than 65536 bytes/)]);
  });

  it('a bad limit in the environment: exit 2 before reading anything', async () => {
    const result = await runNode([CLI_ENTRY, 'check', 'corpus/samples/arm-server/IORT.bin'], { env: { ACPI_IOMMU_MAX_FINDINGS: 'lots' } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/ACPI_IOMMU_MAX_FINDINGS=lots/);
  });
});

describe('conflicts --guest-ram file', () => {
  it('is read through the cap too', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'acpi-iommu-ram-'));
    try {
      const file = join(directory, 'ram.json');
      writeFileSync(file, JSON.stringify([{ start: '0x0', end: '0x7fffffff' }]));
      const result = await runNode([CLI_ENTRY, 'conflicts', 'corpus/samples/x86-laptop', '--guest-ram', file], { env: { ACPI_IOMMU_MAX_INPUT_BYTES: '10' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`acpi-iommu: --guest-ram ${file}: more than 10 bytes, the input size limit (raise it with ACPI_IOMMU_MAX_INPUT_BYTES)\n`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
