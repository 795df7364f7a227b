/**
 * `acpi-iommu encode <model.json> -o table.bin`: builds a DMAR, IORT or APIC table from a JSON
 * model (the shape `dump --json` prints per table, or a hand-written one; 64-bit values as
 * "0x…" strings), for VMM authors. Lengths, counts, offsets and the checksum are computed when
 * the model leaves them out. The result is parsed back and its findings are listed on stderr.
 */
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK } from '../shared/conventions.js';

export interface EncodeOptions {
  output?: string;
  strict?: boolean;
}

/** `dump --json` prints `{schemaVersion, tables: [{source, table}]}` (before: the bare array): accept either with exactly one table. */
function modelOf(value: unknown): unknown {
  const list = typeof value === 'object' && value !== null && 'schemaVersion' in value && 'tables' in value ? (value as { tables: unknown }).tables : value;
  if (Array.isArray(list) && list.length === 1 && typeof list[0] === 'object' && list[0] !== null && 'table' in list[0]) return (list[0] as { table: unknown }).table;
  return value;
}

async function readBytes(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  if (path !== '-') return new Uint8Array(await readFile(path));
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

const MODEL_EXPECTED = 'a JSON table model (the shape of dump --json)';

export async function runEncode(input: string, options: EncodeOptions): Promise<number> {
  const [{ encodeTable, EncodeError }, { parseTable, signatureOf }, { writeFile }, { parseJsonBytes }, { describeFileError }] = await Promise.all([
    import('../../encode/index.js'),
    import('../../table.js'),
    import('node:fs/promises'),
    import('../../node/json-input.js'),
    import('../../node/file-errors.js'),
  ]);
  let bytes: Uint8Array;
  try {
    const parsed = parseJsonBytes(await readBytes(input), MODEL_EXPECTED);
    if ('reason' in parsed) throw new SyntaxError(parsed.reason);
    bytes = encodeTable(modelOf(parsed.value) as Parameters<typeof encodeTable>[0]);
  } catch (error) {
    const reason = error instanceof EncodeError || error instanceof SyntaxError ? error.message : describeFileError(error, input);
    process.stderr.write(`acpi-iommu encode: ${input}: ${reason}\n`);
    return EXIT_INPUT;
  }
  if (options.output === undefined || options.output === '-') {
    if (process.stdout.isTTY) {
      process.stderr.write('acpi-iommu encode: refusing to write binary to a terminal; give -o <file>\n');
      return EXIT_INPUT;
    }
    process.stdout.write(bytes);
  } else {
    try {
      await writeFile(options.output, bytes);
    } catch (error) {
      process.stderr.write(`acpi-iommu encode: cannot write ${options.output}: ${(error as Error).message}\n`);
      return EXIT_INPUT;
    }
  }
  const diagnostics = parseTable(bytes)?.diagnostics ?? [];
  process.stderr.write(`${signatureOf(bytes)}: ${bytes.length} bytes${options.output === undefined || options.output === '-' ? '' : ` → ${options.output}`}; ${diagnostics.length === 0 ? 'no findings' : `${diagnostics.length} finding(s):`}\n`);
  for (const item of diagnostics) process.stderr.write(`  ${item.severity} ${item.code} at 0x${item.offset.toString(16)}: ${item.message}\n`);
  return options.strict === true && diagnostics.some((item) => item.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

export function register(program: Command): void {
  program
    .command('encode')
    .description('build a DMAR, IORT or APIC table from a JSON model (lengths, counts and checksum computed when absent)')
    .argument('<model>', 'JSON model file (the table shape of dump --json; 64-bit values as "0x…" strings), or - for stdin')
    .option('-o, --output <file>', 'where to write the table (default: stdout, unless it is a terminal)')
    .option('--strict', 'exit 1 when the encoded table has error-level findings')
    .action(async (input: string, options: EncodeOptions) => {
      process.exitCode = await runEncode(input, options);
    });
}
