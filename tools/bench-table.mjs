// Prints the speed targets' table (README format) from the figures scripts/bench.sh wrote
// in its working directory:
//   now-ms.txt, base-ms.txt     criterion, "id milliseconds" per line (base: --baseline REV)
//   app.json, app-base.json     tools/app-bench.mjs --json (this tree's page, REV's page)
//   app-2.json, app-base-2.json the same rows measured again, a second round (with REV):
//                               each figure is the faster round's
//   size-now.txt, size-base.txt the shipped wasm + JS, gzip -9, bytes
//   rss-now.txt, rss-base.txt   black-friday over 90 days in the CLI, max RSS, kB
// A figure not measured prints as "not measured"; without REV only this tree's column
// has figures. Usage: node tools/bench-table.mjs DIR [REV]

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, rev = ''] = process.argv.slice(2);
if (!dir) throw new Error('usage: node tools/bench-table.mjs DIR [REV]');
const read = (name) => {
  const file = path.join(dir, name);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
};
const criterion = (name) => new Map((read(name) ?? '').split('\n').filter(Boolean)
  .map((line) => line.split(' ')).map(([id, ms]) => [id, Number(ms) / 1000]));
const json = (name) => JSON.parse(read(name) ?? '{}');
const number = (name) => {
  const text = read(name)?.trim();
  return text ? Number(text) : null;
};

// Of two rounds' figures, each figure from the round that measured it faster (its first
// number: the time), with the rest of that round's figure (what blocked the page then). A
// figure of several times (the engine alone: its first run, then a run once optimised)
// takes each time from the round that measured that time faster.
const faster = (first, second) => {
  const both = { ...second, ...first };
  for (const key of Object.keys(both)) {
    const [a, b] = [first[key], second[key]];
    if (!(a && b)) continue;
    both[key] = { ...(Object.values(b)[0] < Object.values(a)[0] ? b : a) };
    for (const field of Object.keys(both[key]).filter((f) => f.endsWith('_seconds'))) {
      both[key][field] = Math.min(a[field], b[field]);
    }
  }
  return both;
};
const now = { engine: criterion('now-ms.txt'), app: faster(json('app.json'), json('app-2.json')) };
const base = {
  engine: criterion('base-ms.txt'),
  app: faster(json('app-base.json'), json('app-base-2.json')),
};

// Each row: what, the target, and how to read its figure (in seconds, bytes or kB) from a
// sitting's figures; `smaller` says a smaller figure is better, so the speed-up is
// base ÷ now.
const rows = [
  ['black-friday 28 d, native', '≥ 3×', (s) => s.engine.get('run/black-friday/28d')],
  ['first-slo 28 d, native', '≥ 3×', (s) => s.engine.get('run/first-slo/28d')],
  ['the cost of a tick before services (chain of 1, 7 d)', '≥ 4×', (s) => s.engine.get('run/chain/1')],
  ['chain of 16 services, 7 d', '≥ 2.5×', (s) => s.engine.get('run/chain/16')],
  ['black-friday 28 d in Chromium, the shipped build\'s engine (one code verified on Class results)', '≥ 4×',
    (s) => s.app.shipped_engine_black_friday?.seconds],
  ['the same, the page open 3 s before the click (its workers loaded)', '≥ 4×',
    (s) => s.app.shipped_engine_black_friday_ready?.seconds],
  ['the same engine alone, hands-off in a worker: its first run', '≥ 4×',
    (s) => s.app.shipped_engine_alone?.first_seconds],
  ['the same engine alone: a run after the first (optimised code)', '≥ 4×',
    (s) => s.app.shipped_engine_alone?.warm_seconds],
  ['many seeds, black-friday, 50 × 2 runs in the page', '≥ 4×, main thread never blocked over 50 ms',
    (s) => s.app.many_seeds?.seconds, (s) => s.app.many_seeds?.longest_block_ms],
  ['verifying 30 black-friday result codes on Class results', 'progress shown; ≥ 4×',
    (s) => s.app.class_results_30?.seconds, (s) => s.app.class_results_30?.longest_block_ms],
];

const seconds = (value) => {
  if (value == null || Number.isNaN(value)) return 'not measured';
  return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(2)} s`;
};
const blocked = (ms) => (ms == null ? '' : `, blocked ≤ ${ms.toFixed(0)} ms`);
const ratio = (a, b) => (a != null && b != null && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

const header = rev ? ['what', 'target', 'this tree', rev, 'speed-up'] : ['what', 'target', 'this tree'];
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const [what, target, figure, block = () => null] of rows) {
  const cells = [what, target, seconds(figure(now)) + blocked(block(now))];
  if (rev) cells.push(seconds(figure(base)) + blocked(block(base)), ratio(figure(base), figure(now)));
  console.log(`| ${cells.join(' | ')} |`);
}
const bytes = (n) => (n == null ? 'not measured' : `${n.toLocaleString('en-US')} bytes`);
const size = [bytes(number('size-now.txt'))];
if (rev) size.push(bytes(number('size-base.txt')), '–');
console.log(`| shipped size (wasm + JS, gzip -9) | ≤ 560,000 bytes | ${size.join(' | ')} |`);
const mib = (kb) => (kb == null ? 'not measured' : `${(kb / 1024).toFixed(0)} MiB max RSS`);
const memory = [mib(number('rss-now.txt'))];
if (rev) memory.push(mib(number('rss-base.txt')), '–');
console.log(`| memory, black-friday 90 d in the CLI | must not grow | ${memory.join(' | ')} |`);
