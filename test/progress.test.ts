/** The progress bar of runs over many machines: drawn only on a terminal, erased before output and at the end. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../src/cli/shared/progress.js';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, columns: 80, write: (text: string) => written.push(text) }, written };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('progress bar', () => {
  it('writes nothing when stderr is not a terminal', () => {
    const { stream, written } = terminal(false);
    const progress = createProgress(stream, 10, undefined);
    for (let index = 0; index < 10; index++) progress.tick();
    progress.done();
    expect(written).toEqual([]);
  });

  it('draws done/total in place, at most every 100 ms, always the last tick, and erases itself at the end', () => {
    vi.stubEnv('NO_COLOR', '1');
    vi.stubEnv('FORCE_COLOR', undefined);
    const { stream, written } = terminal(true);
    let clock = 0;
    const progress = createProgress(stream, 4, undefined, () => clock);
    progress.tick(); // drawn (first)
    clock = 50;
    progress.tick(); // too soon
    clock = 61_000;
    progress.tick(); // drawn
    progress.tick(); // last: drawn
    progress.done();
    expect(written).toEqual([
      `\r\u001b[K[${'#'.repeat(7)}${'-'.repeat(23)}] 1/4 dumps 0:00`,
      `\r\u001b[K[${'#'.repeat(22)}${'-'.repeat(8)}] 3/4 dumps 1:01`,
      `\r\u001b[K[${'#'.repeat(30)}] 4/4 dumps 1:01`,
      '\r\u001b[K',
    ]);
  });

  it('hide erases the bar for other output and show draws it again; nothing to hide before the first draw', () => {
    vi.stubEnv('NO_COLOR', '1');
    const { stream, written } = terminal(true);
    const progress = createProgress(stream, 2, undefined, () => 0);
    progress.hide();
    progress.show();
    expect(written).toEqual([]);
    progress.tick();
    progress.hide();
    progress.show();
    expect(written.slice(1)).toEqual(['\r\u001b[K', `\r\u001b[K[${'#'.repeat(15)}${'-'.repeat(15)}] 1/2 dumps 0:00`]);
  });

  it('colours the done part green unless NO_COLOR or --no-color; FORCE_COLOR=0 does not force it', () => {
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', undefined);
    const coloured = terminal(true);
    createProgress(coloured.stream, 2, undefined, () => 0).tick();
    expect(coloured.written[0]).toContain('\u001b[32m###############\u001b[39m');
    const noColourOption = terminal(true);
    createProgress(noColourOption.stream, 2, false, () => 0).tick();
    expect(noColourOption.written[0]).not.toContain('\u001b[32m');
    vi.stubEnv('NO_COLOR', '1');
    const noColourEnv = terminal(true);
    createProgress(noColourEnv.stream, 2, undefined, () => 0).tick();
    expect(noColourEnv.written[0]).not.toContain('\u001b[32m');
    vi.stubEnv('FORCE_COLOR', '1');
    const forced = terminal(true);
    createProgress(forced.stream, 2, undefined, () => 0).tick();
    expect(forced.written[0]).toContain('\u001b[32m');
  });

  it('a run of one unit shows no bar', () => {
    const { stream, written } = terminal(true);
    const progress = createProgress(stream, 1, undefined, () => 0);
    progress.tick();
    progress.done();
    expect(written).toEqual([]);
  });
});
