/**
 * An input the test's user cannot read, wherever the checkout lives and whoever runs the tests.
 * Not root: a file of mode 000. Root reads any file whatever its mode (CAP_DAC_OVERRIDE), so for
 * root a write-only sysfs attribute, which kernfs refuses to open for reading (EACCES,
 * kernfs_fop_open) whoever asks. Tests skip with UNREADABLE_SKIP only when root has neither.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const IS_ROOT = process.getuid?.() === 0;
const WRITE_ONLY_SYSFS = ['/sys/bus/pci/rescan', '/sys/bus/pci/drivers_probe', '/sys/bus/platform/drivers_probe', '/sys/bus/cpu/drivers_probe'];
const ROOT_UNREADABLE = IS_ROOT ? WRITE_ONLY_SYSFS.find((path) => existsSync(path)) : undefined;

export const HAVE_UNREADABLE = !IS_ROOT || ROOT_UNREADABLE !== undefined;
export const UNREADABLE_SKIP = `root reads any file whatever its mode, and no write-only sysfs attribute (${WRITE_ONLY_SYSFS.join(', ')}) is here to stand in: permission test skipped`;
/** What the test reads, for its title. */
export const UNREADABLE_KIND = HAVE_UNREADABLE ? (ROOT_UNREADABLE ?? 'a file of mode 000') : UNREADABLE_SKIP;

if (!HAVE_UNREADABLE) console.warn(`[acpi-iommu tests] ${UNREADABLE_SKIP}`);

/** The path of an unreadable input; a mode-000 copy of `bytes` in `directory` unless root. */
export function unreadableInput(directory: string, bytes: Uint8Array): string {
  if (ROOT_UNREADABLE !== undefined) return ROOT_UNREADABLE;
  const locked = join(directory, 'locked.dat');
  writeFileSync(locked, bytes);
  chmodSync(locked, 0o000);
  return locked;
}
