/**
 * Diagnostic codes are typed: a typo, or a code of another table, is a compile error (the
 * @ts-expect-error lines fail `npm run typecheck` if they ever compile), and Diagnostic.code is
 * the union of every code table. (expectTypeOf is checked by `npm run typecheck`.)
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { DiagnosticList, type Diagnostic, type DiagnosticCode } from '../src/bytes/diagnostics.js';
import { DMAR_CODES } from '../src/dmar/codes.js';

describe('typed diagnostic codes', () => {
  it('rejects typos and foreign codes at compile time, accepts the table’s own', () => {
    const list = new DiagnosticList(DMAR_CODES);
    list.add('dmar.length.zero', 48, 'zero length');
    // @ts-expect-error a typo is not a DMAR code
    expect(() => list.add('dmar.length.zer0', 48, 'typo')).toThrow(/unregistered diagnostic code dmar\.length\.zer0/);
    // @ts-expect-error an IORT code does not belong in a DMAR list
    expect(() => list.add('iort.node.count', 48, 'foreign')).toThrow(/unregistered/);
    const anyTable = (out: DiagnosticList) => {
      // @ts-expect-error a plain DiagnosticList still takes only known codes
      out.add('no.such.code', 0, 'typo');
    };
    expect(typeof anyTable).toBe('function');
    expect(list.items.map((item) => [item.code, item.severity])).toEqual([['dmar.length.zero', 'error']]);
  });

  it('types Diagnostic.code as exactly the codes of the code tables', () => {
    expectTypeOf<Diagnostic['code']>().toEqualTypeOf<DiagnosticCode>();
    expectTypeOf<'dmar.length.zero'>().toExtend<DiagnosticCode>();
    expectTypeOf<'dmar.length.zer0'>().not.toExtend<DiagnosticCode>();
    expectTypeOf<'lint.dmar.atsr-uncovered' | 'sdt.checksum' | 'cross.its.missing'>().toExtend<DiagnosticCode>();
  });
});
