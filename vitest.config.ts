import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Test files share their worker's modules (isolate: false): importing the sources once per
 * worker instead of once per file halves the suite's CPU time. A file that replaces a module
 * with vi.mock needs a fresh module graph, so it runs isolated; it is found by its text, not
 * listed by hand. Files that change shared state (the findings cap, process.stdout.write)
 * put it back after each test.
 */
const MOCKS_MODULES = readdirSync('test')
  .filter((name) => name.endsWith('.test.ts') && /\bvi\.(do)?mock\(/.test(readFileSync(`test/${name}`, 'utf8')))
  .map((name) => `test/${name}`);

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores on these machines: keep worker count predictable.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'isolated', include: MOCKS_MODULES } },
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKS_MODULES, isolate: false } },
    ],
  },
});
