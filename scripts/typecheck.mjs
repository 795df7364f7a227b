#!/usr/bin/env node
// Typechecks the three programs (everything with Node's types; the platform-free core without
// them; the page with the DOM) two at a time: tsc runs on one core, and the machines this
// project's tests run on have two. Each program's messages are printed whole, in order.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const PROGRAMS = [['-p', 'tsconfig.json', '--noEmit'], ['-p', 'tsconfig.core.json'], ['-p', 'tsconfig.view.json']];
const PARALLEL = 2;

function check(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('close', (code) => resolve({ args, code: code ?? 1, output: Buffer.concat(output).toString() }));
  });
}

const results = [];
let next = 0;
await Promise.all(Array.from({ length: PARALLEL }, async () => {
  while (next < PROGRAMS.length) {
    const index = next++;
    results[index] = await check(PROGRAMS[index]);
  }
}));
let status = 0;
for (const { args, code, output } of results) {
  if (output !== '') process.stdout.write(output);
  if (code !== 0) {
    console.error(`tsc ${args.join(' ')}: exit ${code}`);
    status ||= code;
  }
}
process.exit(status);
