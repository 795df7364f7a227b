/** Every diagnostic code the library can raise, grouped by table; docs/diagnostics.md is generated from it. */
import type { CodeTable } from './bytes/diagnostics.js';
import { SDT_CODES } from './bytes/sdt.js';
import { DMAR_CODES } from './dmar/codes.js';
import { IORT_CODES } from './iort/codes.js';
import { MADT_CODES } from './madt/codes.js';
import { IVRS_CODES } from './ivrs/codes.js';
import { AMD_REGION_CODES } from './ivrs/regions/codes.js';
import { CROSS_CODES } from './cross/codes.js';
import { REGION_CODES } from './regions/codes.js';
import { AUDIT_CODES } from './audit/codes.js';
import { LINT_CODES } from './lint/codes.js';

export const CODE_GROUPS: readonly { title: string; codes: CodeTable }[] = [
  { title: 'Every table (SDT header)', codes: SDT_CODES },
  { title: 'DMAR (Intel VT-d)', codes: DMAR_CODES },
  { title: 'IORT (Arm IO remapping)', codes: IORT_CODES },
  { title: 'MADT (signature APIC)', codes: MADT_CODES },
  { title: 'IVRS (AMD-Vi)', codes: IVRS_CODES },
  { title: 'Across tables', codes: CROSS_CODES },
  { title: 'Region derivation (what the kernel would do on a topology)', codes: REGION_CODES },
  { title: 'Region derivation on AMD (what Linux does with an IVRS)', codes: AMD_REGION_CODES },
  { title: 'Audit (RMRR and RMR ranges against their rules and the memory map)', codes: AUDIT_CODES },
  { title: 'Strict lint (check --strict: generator mistakes that still parse)', codes: LINT_CODES },
];
