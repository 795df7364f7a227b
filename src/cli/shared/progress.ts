/**
 * A progress bar on stderr for runs over many machines' dumps, drawn only when stderr is a
 * terminal: piped or redirected, nothing extra is written. It is one line, redrawn in place at
 * most every REDRAW_MS and erased before output goes to stdout (both may be the same
 * terminal) and at the end. Colour follows the CLI's conventions (colourWanted) for stderr.
 */
import { colourWanted, makePaint } from './style.js';

/** The part of a stream the bar needs; tests hand in a fake terminal. */
export interface ProgressStream {
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  write(text: string): unknown;
}

export interface Progress {
  /** One more unit done. */
  tick(): void;
  /** Erases the bar before other output; the next tick or show draws it again. */
  hide(): void;
  show(): void;
  /** Erases the bar for good. */
  done(): void;
}

const REDRAW_MS = 100;
const BAR_CELLS = 30;
const ERASE_LINE = '\r\u001b[K';

const SILENT: Progress = { tick() {}, hide() {}, show() {}, done() {} };

export function createProgress(stream: ProgressStream, total: number, colourOption: boolean | undefined, now: () => number = Date.now): Progress {
  if (stream.isTTY !== true || total < 2) return SILENT;
  const paint = makePaint(colourWanted(colourOption, stream));
  const started = now();
  let completed = 0;
  let shown = false;
  let hidden = false;
  let drawnAt = Number.NEGATIVE_INFINITY;
  const draw = (): void => {
    const filled = Math.floor((completed / total) * BAR_CELLS);
    const seconds = Math.floor((now() - started) / 1000);
    const line = `[${paint.green('#'.repeat(filled))}${'-'.repeat(BAR_CELLS - filled)}] ${completed}/${total} dumps ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    stream.write(`${ERASE_LINE}${line}`);
    shown = true;
    drawnAt = now();
  };
  const erase = (): void => {
    if (shown) stream.write(ERASE_LINE);
    shown = false;
  };
  return {
    tick() {
      completed++;
      if (now() - drawnAt >= REDRAW_MS || completed === total) draw();
    },
    hide() {
      hidden = shown;
      erase();
    },
    show() {
      if (hidden) draw();
      hidden = false;
    },
    done: erase,
  };
}
