/**
 * A virtualised hex view: only the rows in sight are in the DOM, so a table of any size scrolls
 * at once. Bytes carry `data-o` (their offset); the selection and diagnostic marks are classes.
 * Keyboard: arrows move the cursor byte, Enter picks it (as a click does).
 */
import { h } from './dom.js';

const BYTES_PER_ROW = 16;
/** Must match `.hex-row` height in style.css. */
const ROW_HEIGHT = 18;
const OVERSCAN = 8;

export interface HexView {
  element: HTMLElement;
  select(start: number, end: number): void;
}

export function hexView(bytes: Uint8Array, marked: ReadonlySet<number>, onPick: (offset: number) => void, label: string): HexView {
  const rows = Math.ceil(bytes.length / BYTES_PER_ROW);
  const inner = h('div', { class: 'hex-inner', style: `height:${rows * ROW_HEIGHT}px` });
  // The picked field is announced by the detail pane (aria-live); the bytes themselves are not a widget.
  const element = h('div', { class: 'hex', tabindex: 0, role: 'region', 'aria-label': `${label}: hex bytes (arrows move, Enter shows the field)` }, inner);
  let selection: [number, number] = [0, 0];
  let cursor = 0;
  let drawn = '';

  const draw = (force = false) => {
    const first = Math.max(0, Math.floor(element.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows, Math.ceil((element.scrollTop + (element.clientHeight || 400)) / ROW_HEIGHT) + OVERSCAN);
    const key = `${first}:${last}`;
    if (!force && key === drawn) return;
    drawn = key;
    inner.replaceChildren(...Array.from({ length: last - first }, (_, index) => row(first + index)));
  };

  const row = (index: number): HTMLElement => {
    const start = index * BYTES_PER_ROW;
    const cells: HTMLElement[] = [h('span', { class: 'hex-offset' }, start.toString(16).padStart(4, '0'))];
    let text = '';
    for (let at = start; at < Math.min(start + BYTES_PER_ROW, bytes.length); at++) {
      const value = bytes[at]!;
      const classes = ['b'];
      if (at >= selection[0] && at < selection[1]) classes.push('sel');
      if (marked.has(at)) classes.push('diag');
      if (at === cursor) classes.push('cursor');
      cells.push(h('span', { class: classes.join(' '), 'data-o': at }, value.toString(16).padStart(2, '0')));
      text += value >= 0x20 && value < 0x7f ? String.fromCharCode(value) : '.';
    }
    cells.push(h('span', { class: 'hex-ascii', 'aria-hidden': 'true' }, text));
    return h('div', { class: 'hex-row', style: `top:${index * ROW_HEIGHT}px` }, ...cells);
  };

  const scrollTo = (offset: number) => {
    const top = Math.floor(offset / BYTES_PER_ROW) * ROW_HEIGHT;
    if (top < element.scrollTop || top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = Math.max(0, top - 2 * ROW_HEIGHT);
  };

  element.addEventListener('scroll', () => draw());
  element.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest('[data-o]');
    if (target === null) return;
    cursor = Number(target.getAttribute('data-o'));
    onPick(cursor);
  });
  element.addEventListener('keydown', (event) => {
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -BYTES_PER_ROW, ArrowDown: BYTES_PER_ROW }[event.key];
    if (step !== undefined) {
      cursor = Math.min(bytes.length - 1, Math.max(0, cursor + step));
      scrollTo(cursor);
      draw(true);
      event.preventDefault();
    } else if (event.key === 'Enter') {
      onPick(cursor);
      event.preventDefault();
    }
  });
  // Rows appear once the element has a size.
  requestAnimationFrame(() => draw(true));
  draw(true);
  return {
    element,
    select(start, end) {
      selection = [start, end];
      cursor = start;
      scrollTo(start);
      draw(true);
    },
  };
}
