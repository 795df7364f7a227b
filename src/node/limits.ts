/**
 * The limits a run applies to hostile input, set from the environment before any command runs:
 * `ACPI_IOMMU_MAX_INPUT_BYTES` (read-capped.ts) and `ACPI_IOMMU_MAX_FINDINGS` (findings kept
 * per code and table; the rest are counted in one "… and N more" item).
 */
import { DEFAULT_FINDING_CAP_PER_CODE, setFindingCapPerCode } from '../bytes/diagnostics.js';
import { maxInputBytes } from './read-capped.js';

export const MAX_FINDINGS_ENV = 'ACPI_IOMMU_MAX_FINDINGS';

/** Applies the environment's limits; returns a one-line complaint for a value that is not usable. */
export function applyEnvironmentLimits(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    maxInputBytes(env);
  } catch (error) {
    return (error as Error).message;
  }
  const findings = env[MAX_FINDINGS_ENV];
  if (findings === undefined || findings === '') {
    setFindingCapPerCode(DEFAULT_FINDING_CAP_PER_CODE);
    return undefined;
  }
  const cap = /^\d{1,9}$/.test(findings.trim()) ? Number(findings) : Number.NaN;
  if (!(cap >= 1)) return `${MAX_FINDINGS_ENV}=${findings} is not a positive whole number of findings per code`;
  setFindingCapPerCode(cap);
  return undefined;
}
