/**
 * Headless Chromium for tests: Debian's `chromium-headless-shell` (apt package of that name, installed
 * by .ci/run when missing) driven by playwright-core. playwright-core never downloads a browser, so
 * on a machine without the package the browser tests skip with BROWSER_SKIP_REASON instead of failing.
 *
 * Usage:
 *   describe.skipIf(!HAVE_BROWSER)('in Chromium', () => {
 *     it('...', async () => {
 *       const title = await withPage(async (page) => { await page.setContent('<title>x</title>'); return page.title(); });
 *     });
 *   });
 * withPage fails the call when the page threw or logged a console error, so a broken page cannot pass.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Override with ACPI_IOMMU_CHROMIUM to point at another Chromium build. */
export const CHROMIUM_PATH = process.env.ACPI_IOMMU_CHROMIUM ?? '/usr/bin/chromium-headless-shell';
export const HAVE_BROWSER = existsSync(CHROMIUM_PATH);
export const BROWSER_SKIP_REASON =
  `headless Chromium is absent (looked for ${CHROMIUM_PATH}; apt-get install chromium-headless-shell); browser tests skipped`;

if (!HAVE_BROWSER) console.warn(`[acpi-iommu tests] ${BROWSER_SKIP_REASON}`);

/**
 * Opens a fresh browser and page, runs `use`, and closes everything, even when `use` throws.
 * Uncaught page errors and console.error messages are collected and turn a passing call into a
 * rejection naming them.
 */
export async function withPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    const result = await use(page);
    if (problems.length > 0) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
    return result;
  } finally {
    await browser.close();
  }
}

/**
 * Runs a self-contained classic script (e.g. an esbuild IIFE bundle) in a blank page and returns
 * the JSON-serialisable value of `expression` evaluated afterwards.
 */
export async function evaluateScript<T>(script: string, expression: string): Promise<T> {
  return withPage(async (page) => {
    await page.setContent('<!doctype html><meta charset="utf-8"><title>acpi-iommu test</title>');
    await page.addScriptTag({ content: script });
    return (await page.evaluate(expression)) as T;
  });
}
