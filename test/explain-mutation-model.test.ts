/**
 * How `explain` reads its target (src/audit/explain-model.ts): blanks around it, an ACPI path made
 * only of name characters, and only a leading backslash as the root prefix (ACPI names are four
 * characters, `\_SB` and `\_SB_` being one; ACPI §5.3).
 */
import { describe, expect, it } from 'vitest';
import { canonicalAcpiPath, parseExplainTarget } from '../src/audit/explain-model.js';

describe('explain targets', () => {
  it('blanks around a BDF or a path are ignored', () => {
    expect(parseExplainTarget('  00:14.0 \n')).toEqual({ kind: 'pci', bdf: '0000:00:14.0', address: { segment: 0, bus: 0, device: 0x14, function: 0 } });
    expect(parseExplainTarget(' \\_SB.ETH0 ')).toEqual({ kind: 'named-component', path: '\\_SB.ETH0' });
  });

  it('a path must be name characters from its first backslash to its end', () => {
    expect(parseExplainTarget('\\@\\_SB.ETH0')).toBeUndefined();
    expect(parseExplainTarget('\\_SB.ETH0 x')).toBeUndefined();
  });

  it('only the leading backslash is the root prefix', () => {
    expect(canonicalAcpiPath('\\_SB.ETH0')).toBe('\\_SB_.ETH0');
    expect(canonicalAcpiPath('_SB.A\\B')).toBe('\\_SB_.A\\B_');
  });
});
