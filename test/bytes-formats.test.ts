/**
 * The small formatting and input helpers of src/bytes: `0x…` hex with zero padding, the JSON
 * replacer (bigint → "0x…", bytes → lists), citations cut to their public part, and what
 * `asBytes` makes of each input kind. Expected values written from design.md's JSON rules.
 */
import { describe, expect, it } from 'vitest';
import { hex, jsonReplacer, padHex, toJsonText } from '../src/bytes/hex.js';
import { asBytes, isDetachedBuffer, isDetachedInput } from '../src/bytes/input.js';
import { publicRef } from '../src/bytes/public-ref.js';

describe('hex and JSON', () => {
  it('hex pads with zeros to the digits asked, never truncates', () => {
    expect([hex(0xfee00000n, 16), hex(5, 2), hex(0x1234, 2), hex(0)]).toEqual(['0x00000000fee00000', '0x05', '0x1234', '0x0']);
    expect([padHex(0xfn, 4), padHex(0xabcde, 2)]).toEqual(['000f', 'abcde']);
  });

  it('bigint becomes "0x…", bytes a number list, other values stay', () => {
    expect(toJsonText({ a: 255n, b: Uint8Array.from([1, 2]), c: 7, d: 'x', e: [1n] }, 0)).toBe('{"a":"0xff","b":[1,2],"c":7,"d":"x","e":["0x1"]}');
    expect(jsonReplacer('k', 16)).toBe(16);
    expect(toJsonText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});

describe('publicRef', () => {
  it('keeps public sources, names the shipped file for the project\'s own notes, joins with "; "', () => {
    expect(publicRef('VT-d §8.4; docs/spec.md §2.5; dmar_parse_one_rmrr()')).toBe('VT-d §8.4; docs/spec.md §2.5; dmar_parse_one_rmrr()');
    expect(publicRef('spec.md §1; kernel-semantics §3')).toBe('docs/spec.md §1; docs/kernel-semantics.md §3');
    expect(publicRef('spec §4.2')).toBe('docs/spec.md §4.2');
    expect(publicRef('ACPI §5.2.6')).toBe('ACPI §5.2.6');
    expect(publicRef(undefined)).toBeUndefined();
    // Only a part that starts with the note's name is rewritten; a mention inside a public part is kept.
    expect(publicRef('see docs/spec.md')).toBe('see docs/spec.md');
    expect(publicRef('docs/other.md §1')).toBe('docs/other.md §1');
    // Empty parts are dropped.
    expect(publicRef('ACPI §5;  ; IORT §3')).toBe('ACPI §5; IORT §3');
  });
});

describe('asBytes', () => {
  it('a SharedArrayBuffer is read in place', () => {
    const shared = new SharedArrayBuffer(4);
    new Uint8Array(shared).set([1, 2, 3, 4]);
    const bytes = asBytes(shared);
    expect(Array.from(bytes)).toEqual([1, 2, 3, 4]);
    expect(bytes.buffer).toBe(shared);
  });

  it('a plain array: numbers modulo 256, anything else 0', () => {
    expect(Array.from(asBytes([1, 256 + 7, -1, 'x' as unknown as number, null as unknown as number]))).toEqual([1, 7, 255, 0, 0]);
  });

  it('a Uint8Array is the same object; other views share the buffer at their offset', () => {
    const bytes = Uint8Array.from([9, 8, 7, 6]);
    expect(asBytes(bytes)).toBe(bytes);
    const words = new Uint16Array(bytes.buffer, 2, 1);
    const view = asBytes(words);
    expect([view.buffer === bytes.buffer, view.byteOffset, Array.from(view)]).toEqual([true, 2, [7, 6]]);
  });

  it('detached buffers: recognised by flag or by the failed view, an empty live buffer is not detached', () => {
    const live = new ArrayBuffer(0);
    expect(isDetachedBuffer(live)).toBe(false);
    const gone = new ArrayBuffer(8);
    structuredClone(gone, { transfer: [gone] });
    expect(isDetachedBuffer(gone)).toBe(true);
    const standIn = asBytes(gone);
    expect([standIn.length, isDetachedInput(standIn)]).toEqual([0, true]);
    expect(isDetachedInput(new Uint8Array(0))).toBe(false);
    expect(isDetachedInput(Uint8Array.from([1]))).toBe(false);
  });
});
