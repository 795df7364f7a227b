/**
 * Headless Chromium for page tests: playwright-core driving Debian's chromium-headless-shell
 * (or the browser named by ACPI_IOMMU_CHROMIUM). Tests skip with BROWSER_SKIP_REASON when
 * neither is installed.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.ACPI_IOMMU_CHROMIUM, '/usr/bin/chromium-headless-shell', '/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium'];

export const BROWSER_PATH = CANDIDATES.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
export const HAVE_BROWSER = BROWSER_PATH !== undefined;
export const BROWSER_SKIP_REASON = 'no headless Chromium (apt install chromium-headless-shell, or set ACPI_IOMMU_CHROMIUM); browser tests skipped';

if (!HAVE_BROWSER) console.warn(`[acpi-iommu tests] ${BROWSER_SKIP_REASON}`);

export function launchBrowser(): Promise<Browser> {
  if (BROWSER_PATH === undefined) throw new Error(BROWSER_SKIP_REASON);
  return chromium.launch({ executablePath: BROWSER_PATH, args: ['--no-sandbox'] });
}
