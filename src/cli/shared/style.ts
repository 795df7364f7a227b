/**
 * Human output helpers. Colour: only when stdout is a terminal, NO_COLOR is unset (no-color.org)
 * and `--no-color` was not given. Plain ANSI; nothing to install.
 */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  green(text: string): string;
}

const SEVERITY_COLOUR = { error: 'red', warning: 'yellow', info: 'cyan' } as const;

/**
 * `--no-color` first, then FORCE_COLOR (set and not "0": colour even into a pipe, as Node and
 * most CLIs read it), then NO_COLOR, then whether stdout (or the stream written to) is a terminal.
 */
export function colourWanted(option: boolean | undefined, stream: { isTTY?: boolean | undefined } = process.stdout): boolean {
  if (option === false) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  const noColor = process.env.NO_COLOR;
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

/** What wrapping needs to know of the output: whether it is a terminal, and how wide. */
export interface TerminalOut {
  isTTY?: boolean;
  columns?: number;
}

/**
 * The width to wrap at: on a terminal its width, COLUMNS first (as shells and most CLIs read it);
 * into a pipe or file none. Under 40 columns wrapping would only shred the lines.
 */
export function terminalWidth(out: TerminalOut = process.stdout, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (out.isTTY !== true) return undefined;
  const columns = /^\d+$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : out.columns;
  return columns === undefined || columns < 40 ? undefined : columns;
}

/**
 * On a terminal, long lines wrap at its width with the continuation indented under the text;
 * into a pipe or file every line stays whole, so grep and diff see one finding per line. Lazy:
 * lines are wrapped as they are written. One wrapper for every command's text.
 */
export function* wrapForTerminal(lines: Iterable<string>, out: TerminalOut = process.stdout, env: NodeJS.ProcessEnv = process.env): Generator<string> {
  const width = terminalWidth(out, env);
  for (const line of lines) {
    if (width === undefined) yield line;
    else yield* wrapLine(line, width);
  }
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns a line takes on screen: colour codes take none. */
function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/**
 * The last space of `text` (from `from`) before which at most `room` columns are taken, with the
 * columns before it; one pass, so a dump -v line of 64k IDs wraps in linear time.
 */
function cutAt(text: string, from: number, room: number): { at: number; columns: number } | undefined {
  let found: { at: number; columns: number } | undefined;
  let columns = 0;
  for (let at = from; at < text.length && columns <= room; at++) {
    if (text.charCodeAt(at) === 0x1b) {
      const end = text.indexOf('m', at);
      if (end > at) {
        at = end;
        continue;
      }
    }
    if (text[at] === ' ') found = { at, columns };
    columns++;
  }
  return found;
}

/** Breaks at spaces; the indent of the line plus two spaces starts each continuation. */
export function wrapLine(line: string, width: number): string[] {
  let left = visibleLength(line);
  if (left <= width) return [line];
  const indent = `${/^\s*/.exec(line)![0]}  `;
  const result: string[] = [];
  let start = 0;
  let prefix = '';
  while (prefix.length + left > width) {
    const cut = cutAt(line, start, width - prefix.length);
    if (cut === undefined || cut.at - start <= indent.length) break;
    result.push(prefix + line.slice(start, cut.at));
    start = cut.at + 1;
    left -= cut.columns + 1;
    prefix = indent;
  }
  result.push(prefix + line.slice(start));
  return result;
}

export function makePaint(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    green: wrap(32, 39),
  };
}

export function paintSeverity(paint: Paint, severity: string): string {
  const colour = SEVERITY_COLOUR[severity as keyof typeof SEVERITY_COLOUR];
  return colour === undefined ? severity : paint[colour](severity);
}

/** `2 errors, 1 warning, 0 info`: the finding counts of `check` and of the report's Diagnostics section. */
export function severitySummary(counts: { error: number; warning: number; info: number }): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`;
}

/** `1 table`, `2 tables`, `3 subdirectories`. */
export function plural(count: number, word: string): string {
  if (count === 1) return `1 ${word}`;
  return `${count} ${word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}
