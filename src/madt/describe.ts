/** The wording MADT findings share for a subtable and for counts. */
import { hex } from '../bytes/hex.js';
import { kindOfType } from './layout.js';

// Built once per type byte: a finding's message is most of its cost, and tables repeat their types.
const DESCRIPTIONS: string[] = [];

/** `gicc subtable (type 0x0b)` — the wording every MADT message uses for a subtable. */
export function describeType(type: number): string {
  return (DESCRIPTIONS[type] ??= `${kindOfType(type)} subtable (type ${hex(type)})`);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
