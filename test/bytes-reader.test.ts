/**
 * The bounded reader every parser reads through (src/bytes/reader.ts): reads at the last byte
 * of a window succeed, one byte further they return undefined; windows clip to their parent;
 * a buffer that shrinks or is detached after parsing reads as absent, never throws.
 */
import { describe, expect, it } from 'vitest';
import { TableReader } from '../src/bytes/reader.js';

/** `new ArrayBuffer(n, {maxByteLength})` (ES2024; the project's TypeScript lib predates it). */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer & { resize(length: number): void };

const BYTES = Uint8Array.from([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa]);

describe('TableReader bounds', () => {
  it('little-endian reads up to the last byte of the window, undefined one byte past it', () => {
    const reader = new TableReader(BYTES);
    expect([reader.u8(9), reader.u8(10), reader.u8(-1)]).toEqual([0xaa, undefined, undefined]);
    expect([reader.u16(8), reader.u16(9)]).toEqual([0xaa99, undefined]);
    expect([reader.u32(6), reader.u32(7)]).toEqual([0xaa998877, undefined]);
    expect([reader.u64(2), reader.u64(3)]).toEqual([0xaa99887766554433n, undefined]);
    expect([reader.uint(7, 3), reader.uint(8, 3), reader.uint(0, 0)]).toEqual([0xaa9988, undefined, 0]);
    expect(reader.u8(1.5)).toBeUndefined();
  });

  it('fits: inside the window, non-negative sizes (offsets are integers by contract: every caller computes them from table fields)', () => {
    const reader = new TableReader(BYTES, 2, 6);
    expect([reader.fits(2, 4), reader.fits(2, 5), reader.fits(1, 1), reader.fits(6, 0), reader.fits(3, -1)]).toEqual([true, false, false, true, false]);
    expect([reader.start, reader.end]).toEqual([2, 6]);
  });

  it('a constructor window is clipped to the bytes; a child window to its parent', () => {
    expect([new TableReader(BYTES, -5, 99).start, new TableReader(BYTES, -5, 99).end]).toEqual([0, 10]);
    expect([new TableReader(BYTES, 12, 20).start, new TableReader(BYTES, 12, 20).end]).toEqual([10, 10]);
    expect([new TableReader(BYTES, 6, 3).start, new TableReader(BYTES, 6, 3).end]).toEqual([6, 6]);
    const parent = new TableReader(BYTES, 2, 8);
    const child = parent.window(0, 5);
    expect([child.start, child.end]).toEqual([2, 5]);
    const tail = parent.window(6, 10);
    expect([tail.start, tail.end]).toEqual([6, 8]);
    expect([tail.u8(7), tail.u8(8)]).toEqual([0x88, undefined]);
  });

  it('a Uint8Array over part of a larger buffer reads its own bytes from 0', () => {
    const big = new Uint8Array(32);
    big.set(BYTES, 16);
    const reader = new TableReader(big.subarray(16, 26));
    expect([reader.u8(0), reader.u32(0), reader.u8(10)]).toEqual([0x11, 0x44332211, undefined]);
  });

  it('slice is zero-copy and clipped on both sides', () => {
    const reader = new TableReader(BYTES, 2, 8);
    const inside = reader.slice(3, 2);
    expect(Array.from(inside)).toEqual([0x44, 0x55]);
    expect(inside.buffer).toBe(BYTES.buffer);
    expect(Array.from(reader.slice(0, 4))).toEqual([0x33, 0x44]);
    expect(Array.from(reader.slice(6, 10))).toEqual([0x77, 0x88]);
    expect(reader.slice(9, 3).length).toBe(0);
    expect(reader.slice(4, -2).length).toBe(0);
  });

  it('ascii drops trailing NULs only, clipped to the window', () => {
    const text = Uint8Array.from([0x41, 0x00, 0x42, 0x00, 0x00, 0x43]);
    const reader = new TableReader(text, 0, 5);
    expect(reader.ascii(0, 5)).toBe('A\u0000B');
    expect(reader.ascii(0, 9)).toBe('A\u0000B');
    expect(reader.ascii(2, 1)).toBe('B');
    expect(reader.ascii(3, 2)).toBe('');
    expect(reader.ascii(-2, 3)).toBe('A');
  });

  it('cString: up to the NUL with its byte, or unterminated at the limit or the window end', () => {
    const text = Uint8Array.from([0x41, 0x42, 0x00, 0x43, 0x44]);
    const reader = new TableReader(text);
    expect(reader.cString(0, 5)).toEqual({ text: 'AB', terminated: true, byteLength: 3 });
    expect(reader.cString(0, 2)).toEqual({ text: 'AB', terminated: false, byteLength: 2 });
    expect(reader.cString(3, 99)).toEqual({ text: 'CD', terminated: false, byteLength: 2 });
    expect(reader.cString(2, 5)).toEqual({ text: '', terminated: true, byteLength: 1 });
    expect(reader.cString(5, 3)).toEqual({ text: '', terminated: false, byteLength: 0 });
    expect(new TableReader(text, 0, 4).cString(3, 5)).toEqual({ text: 'C', terminated: false, byteLength: 1 });
  });

  it('a resizable buffer that shrinks after the reader was made: reads past the new end are absent', () => {
    const buffer = new ResizableArrayBuffer(10, { maxByteLength: 16 });
    const bytes = new Uint8Array(buffer);
    bytes.set(BYTES);
    const reader = new TableReader(bytes);
    expect(reader.u8(9)).toBe(0xaa);
    buffer.resize(4);
    expect([reader.u8(3), reader.u8(4), reader.u32(0), reader.u32(1), reader.u64(0)]).toEqual([0x44, undefined, 0x44332211, undefined, undefined]);
    expect(Array.from(reader.slice(2, 6))).toEqual([0x33, 0x44]);
  });

  it('a buffer detached after the reader was made: every read is absent, nothing throws', () => {
    const bytes = Uint8Array.from(BYTES);
    const reader = new TableReader(bytes);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    expect([reader.u8(0), reader.u16(0), reader.u32(0), reader.u64(0), reader.uint(0, 3)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(reader.slice(0, 4).length).toBe(0);
    expect(reader.cString(0, 4).terminated).toBe(false);
  });
});
