/**
 * CI output for `check` and `audit`: which findings fail the run (`--fail-on`, `--ignore`), a
 * summary, SARIF 2.1.0 for code-scanning UIs and GitHub workflow annotations. Both commands
 * hand over flat findings; the formats know no table.
 */
import type { Severity } from '../../bytes/diagnostics.js';

/** A finding with where it is: a byte offset in a table, or a line of an acpidump text. */
export interface LocatedFinding {
  /** The input as named on the command line (`dump.txt#2` for a block of a text dump). */
  source: string;
  code: string;
  severity: Severity;
  message: string;
  offset?: number | undefined;
  length?: number | undefined;
  line?: number | undefined;
  /** Findings of this code past the per-code cap, counted but not kept (the "… and N more" item). */
  omitted?: number | undefined;
}

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];

export interface Gate {
  failOn: 'error' | 'warning';
  /** Exact codes, or prefixes written `dmar.rmrr.*`. */
  ignore: string[];
}

export interface CiOptions {
  json?: boolean;
  format?: string;
  failOn?: string;
  ignore?: string[];
}

/** The chosen format and gate, or the usage error. `--json` is `--format json`. */
export function ciSettings(options: CiOptions): { format: OutputFormat; gate: Gate } | string {
  const format = (options.format ?? (options.json === true ? 'json' : 'text')) as OutputFormat;
  if (!FORMATS.includes(format)) return `--format takes ${FORMATS.join(', ')}, not "${options.format}"`;
  if (options.json === true && format !== 'json') return `--json and --format ${format} ask for two formats; give one`;
  const failOn = options.failOn ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning') return `--fail-on takes error or warning, not "${failOn}"`;
  return { format, gate: { failOn, ignore: options.ignore ?? [] } };
}

export function isIgnored(code: string, gate: Gate): boolean {
  return gate.ignore.some((pattern) => (pattern.endsWith('.*') ? code.startsWith(pattern.slice(0, -1)) : code === pattern));
}

export function failsRun(severity: Severity, gate: Gate): boolean {
  return severity === 'error' || (gate.failOn === 'warning' && severity === 'warning');
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
  /** Findings left out by --ignore. */
  ignored: number;
  failOn: 'error' | 'warning';
  /** True when a kept finding is at or above --fail-on. */
  failed: boolean;
}

/** Counts of kept findings (`kept`), plus how many --ignore left out. */
export function summarize(kept: readonly LocatedFinding[], ignoredCount: number, gate: Gate): Summary {
  const summary: Summary = { error: 0, warning: 0, info: 0, ignored: ignoredCount, failOn: gate.failOn, failed: false };
  for (const item of kept) {
    summary[item.severity] += 1 + (item.omitted ?? 0);
    if (failsRun(item.severity, gate)) summary.failed = true;
  }
  return summary;
}

/** `dump.txt#2` → `dump.txt`: the file a finding lives in. */
function fileOf(source: string): string {
  const hash = source.lastIndexOf('#');
  return hash > 0 ? source.slice(0, hash) : source;
}

const where = (item: LocatedFinding) => (item.line !== undefined ? `line ${item.line}` : `byte 0x${(item.offset ?? 0).toString(16).padStart(4, '0')}`);

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * SARIF 2.1.0. A table is binary: GitHub needs a `startLine`, so a table finding is placed on
 * line 1 with its byte range in `byteOffset`/`byteLength` and in the message; an acpidump text
 * finding has its real line.
 */
export function sarifLog(findings: readonly LocatedFinding[], tool: { version: string; rules: Readonly<Record<string, { summary: string; severity: Severity }>> }): object {
  const used = [...new Set(findings.map((item) => item.code))].sort();
  const index = new Map(used.map((code, position) => [code, position]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'acpi-iommu',
            version: tool.version,
            informationUri: 'https://www.npmjs.com/package/acpi-iommu',
            rules: used.map((code) => ({
              id: code,
              shortDescription: { text: tool.rules[code]?.summary ?? code },
              defaultConfiguration: { level: SARIF_LEVEL[tool.rules[code]?.severity ?? 'warning'] },
            })),
          },
        },
        results: findings.map((item) => ({
          ruleId: item.code,
          ruleIndex: index.get(item.code),
          level: SARIF_LEVEL[item.severity],
          message: { text: `${item.message} (${item.source}, ${where(item)})` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(fileOf(item.source).replace(/\\/g, '/')) },
                region: item.line !== undefined ? { startLine: item.line } : { startLine: 1, byteOffset: item.offset ?? 0, ...(item.length === undefined ? {} : { byteLength: item.length }) },
              },
            },
          ],
          partialFingerprints: { 'acpiIommuFinding/v1': `${item.code}:${item.source}:${item.line ?? item.offset ?? 0}` },
        })),
      },
    ],
  };
}

const GITHUB_COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** Workflow-command escaping: data escapes %, CR, LF; properties also `:` and `,`. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=DMAR.bin,line=1,title=dmar.drhd.base-zero::byte 0x0038: …` per finding. */
export function githubAnnotations(findings: readonly LocatedFinding[]): string[] {
  return findings.map((item) => `::${GITHUB_COMMAND[item.severity]} file=${escapeProperty(fileOf(item.source))},line=${item.line ?? 1},title=${escapeProperty(item.code)}::${escapeData(`${where(item)}: ${item.message}`)}`);
}
