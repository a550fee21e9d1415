// What the benchmarks of the lab's own page (cores.js, pair.js) share: the
// headless Chromium they drive, the machine and load they record, the
// number format of their tables, and writing (or, with --render, rewriting)
// NAME-results.json and NAME-results.md.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export { median } from './report.js';

/** `x` with exactly `d` decimals and thousands separators. */
export const fixed = (x, d) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

export const launchChromium = () => chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** A new results record: the date, the machine and its load now. */
export const startResults = () => ({
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model.trim() ?? '?', cores: os.cpus().length, loadAtStart: os.loadavg() },
  runs: [],
});

/** The results saved last time (`dir`/NAME-results.json). */
export const savedResults = (dir, name) => JSON.parse(readFileSync(join(dir, `${name}-results.json`), 'utf8'));

/** Records the load at the end and writes NAME-results.json and .md. */
export function writeResults(dir, name, results, render) {
  results.machine.loadAtEnd = os.loadavg();
  writeFileSync(join(dir, `${name}-results.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, `${name}-results.md`), `${render(results)}\n`);
  console.log(render(results));
}

/** With --render: rewrites NAME-results.md from the saved .json and exits. */
export function renderOnlyIfAsked(dir, name, render) {
  if (process.argv[2] !== '--render') return;
  writeFileSync(join(dir, `${name}-results.md`), `${render(savedResults(dir, name))}\n`);
  process.exit(0);
}
