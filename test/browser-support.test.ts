/** The headless-Chromium harness itself: it runs scripts, and a page that throws cannot pass. */
import { describe, expect, it } from 'vitest';
import { HAVE_BROWSER, evaluateScript, withPage } from './support/browser.js';

describe.skipIf(!HAVE_BROWSER)('headless Chromium harness', () => {
  it('runs a classic script and returns a value computed in the page', async () => {
    const value = await evaluateScript<string>('globalThis.answer = [6 * 7, typeof window, typeof process].join()', 'answer');
    expect(value).toBe('42,object,undefined');
  });

  it('rejects when the page throws, even if the test body succeeds', async () => {
    await expect(withPage(async (page) => {
      await page.setContent('<script>setTimeout(() => { throw new Error("boom in page") })</script>');
      await page.waitForTimeout(50);
      return 'done';
    })).rejects.toThrow(/page error: boom in page/);
  });
});
