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

/**
 * On a terminal, long lines wrap at its width with the continuation indented under the text;
 * into a pipe or file every line stays whole, so grep and diff see one finding per line.
 */
export function wrapForTerminal(lines: readonly string[]): string[] {
  const width = process.stdout.isTTY === true ? process.stdout.columns : undefined;
  return width === undefined || width < 40 ? [...lines] : lines.flatMap((line) => wrapLine(line, width));
}

/** Breaks at spaces; the indent of the line plus two spaces starts each continuation. */
export function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = `${/^\s*/.exec(line)![0]}  `;
  const result: string[] = [];
  let rest = line;
  let prefix = '';
  while (prefix.length + rest.length > width) {
    const room = width - prefix.length;
    const cut = rest.lastIndexOf(' ', room);
    if (cut <= indent.length) break;
    result.push(prefix + rest.slice(0, cut));
    rest = rest.slice(cut + 1);
    prefix = indent;
  }
  result.push(prefix + rest);
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
