/**
 * The test set `npm run mutate` runs against each mutant: every in-process test. Tests that
 * spawn the CLI, build the package or time the code (cli-*, *-cli, package, bench, examples,
 * fuzz campaigns, other runtimes) run the unmutated sources in a child process or take minutes, so
 * they cannot kill a mutant and are left out. (Most cli-* tests now run commands in process and
 * could kill mutants; they stay out to keep a run within hours on two cores.)
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/cli-*.test.ts', 'test/*-cli.test.ts', 'test/package.test.ts', 'test/bench-smoke.test.ts', 'test/examples.test.ts', 'test/fuzz-campaign.test.ts', 'test/node-*.test.ts', 'test/runtimes.test.ts'],
    testTimeout: 120_000,
    maxWorkers: 1,
  },
});
