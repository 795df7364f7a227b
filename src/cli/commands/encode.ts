/**
 * `acpi-iommu encode <model.json> -o table.bin`: builds a DMAR, IORT, APIC or IVRS table from a JSON
 * model (the shape `dump --json` prints per table, or a hand-written one; 64-bit values as
 * "0x…" strings), for VMM authors. Lengths, counts, offsets and the checksum are computed from
 * the content (a model edited from a dump carries stale ones) unless the model says
 * `"layout": "as-given"`. The result is parsed back; when `check` (with `--strict`: `check
 * --strict`) would find an error, nothing is written and the exit status is 1. `-o` writes
 * atomically, never through a symbolic link, over an existing file only with `--force`, and
 * never over the model itself.
 */
import type { Command } from 'commander';
import type { Diagnostic } from '../../bytes/diagnostics.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK } from '../shared/conventions.js';

export interface EncodeOptions {
  output?: string;
  strict?: boolean;
  force?: boolean;
}

/** `dump --json` prints `{schemaVersion, tables: [{source, table}]}` (before: the bare array): accept either with exactly one table. */
function modelOf(value: unknown): unknown {
  const list = typeof value === 'object' && value !== null && 'schemaVersion' in value && 'tables' in value ? (value as { tables: unknown }).tables : value;
  if (Array.isArray(list) && list.length === 1 && typeof list[0] === 'object' && list[0] !== null && 'table' in list[0]) return (list[0] as { table: unknown }).table;
  return value;
}

async function readBytes(path: string): Promise<Uint8Array> {
  const { readFileCapped, readStreamCapped } = await import('../../node/read-capped.js');
  return path === '-' ? readStreamCapped(process.stdin) : readFileCapped(path);
}

/** What `check` (and with `strict`, `check --strict`) would report for the encoded bytes. */
async function findingsOf(bytes: Uint8Array, strict: boolean): Promise<Diagnostic[]> {
  const { parseTable, signatureOf } = await import('../../table.js');
  const table = parseTable(bytes);
  if (table === undefined) return [];
  const findings = [...table.diagnostics];
  if (strict) {
    const { strictFindings } = await import('../check/strict.js');
    const input = { source: 'encoded', signature: signatureOf(bytes), bytes, table, inputDiagnostics: [] };
    findings.push(...((await strictFindings([input])).get(input) ?? []));
  }
  return findings;
}

const MODEL_EXPECTED = 'a JSON table model (the shape of dump --json)';

export async function runEncode(input: string, options: EncodeOptions): Promise<number> {
  const [{ encodeTable, EncodeError }, { layoutAsGiven, withComputedLayout }, { signatureOf }, { parseJsonBytes }, { describeFileError }] = await Promise.all([
    import('../../encode/index.js'),
    import('../../encode/layout-fields.js'),
    import('../../table.js'),
    import('../../node/json-input.js'),
    import('../../node/file-errors.js'),
  ]);
  let bytes: Uint8Array;
  try {
    const parsed = parseJsonBytes(await readBytes(input), MODEL_EXPECTED);
    if ('reason' in parsed) throw new SyntaxError(parsed.reason);
    const model = modelOf(parsed.value);
    bytes = encodeTable((layoutAsGiven(model) ? model : withComputedLayout(model)) as Parameters<typeof encodeTable>[0]);
  } catch (error) {
    const reason = error instanceof EncodeError || error instanceof SyntaxError ? error.message : describeFileError(error, input);
    process.stderr.write(`acpi-iommu encode: ${input}: ${reason}\n`);
    return EXIT_INPUT;
  }
  const toStdout = options.output === undefined || options.output === '-';
  if (toStdout && process.stdout.isTTY) {
    process.stderr.write('acpi-iommu encode: refusing to write binary to a terminal; give -o <file>\n');
    return EXIT_INPUT;
  }
  const findings = await findingsOf(bytes, options.strict === true);
  const errors = findings.some((item) => item.severity === 'error');
  const destination = errors ? ' (not written: check would find errors)' : toStdout ? '' : ` → ${options.output}`;
  process.stderr.write(`${signatureOf(bytes)}: ${bytes.length} bytes${destination}; ${findings.length === 0 ? 'no findings' : `${findings.length} finding(s):`}\n`);
  for (const item of findings) process.stderr.write(`  ${item.severity} ${item.code} at 0x${item.offset.toString(16)}: ${item.message}\n`);
  if (errors) return EXIT_FINDINGS;
  if (toStdout) {
    process.stdout.write(bytes);
    return EXIT_OK;
  }
  const { writeFileAtomic, OutputRefusedError } = await import('../../node/write-atomic.js');
  try {
    await writeFileAtomic(options.output!, bytes, { force: options.force === true, inputs: input === '-' ? [] : [input] });
  } catch (error) {
    const reason = error instanceof OutputRefusedError ? error.message : `${options.output}: ${describeFileError(error, options.output!)}`;
    process.stderr.write(`acpi-iommu encode: cannot write ${reason}\n`);
    return EXIT_INPUT;
  }
  return EXIT_OK;
}

export function register(program: Command): void {
  program
    .command('encode')
    .description('build a DMAR, IORT, APIC or IVRS table from a JSON model (lengths, counts, offsets and checksum computed from the content)')
    .argument('<model>', 'JSON model file (the table shape of dump --json; 64-bit values as "0x…" strings; "layout": "as-given" keeps its lengths), or - for stdin')
    .option('-o, --output <file>', 'where to write the table (default: stdout, unless it is a terminal); written atomically, never through a symbolic link')
    .option('--force', 'replace an existing output file (never the model itself)')
    .option('--strict', 'also refuse tables the lint.* rules of check --strict find errors in')
    .action(async (input: string, options: EncodeOptions) => {
      process.exitCode = await runEncode(input, options);
    });
}
