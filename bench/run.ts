// `npm run bench` runs every bench/<name>.bench.ts in its own process and prints one table;
// `npm run bench -- NAME [NAME…]` runs only those.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import type { Row } from './lib.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : available;

type Result = { name: string; rows: Row[] };
const results: Result[] = [];
let failed = 0;

for (const name of names) {
  console.log(`\n=== ${name} ===`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, `${name}.bench.ts`)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    buffer += text;
    process.stdout.write(text.split('\n').filter((l) => !l.startsWith('BENCH_RESULT ')).join('\n'));
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) {
    failed += 1;
    console.error(`${name} failed (exit ${code})`);
  }
  for (const line of buffer.split('\n')) {
    if (line.startsWith('BENCH_RESULT ')) results.push(JSON.parse(line.slice('BENCH_RESULT '.length)) as Result);
  }
}

console.log(`\nSummary (${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version})`);
console.log('| benchmark | metric | value | unit |');
console.log('|---|---|---:|---|');
for (const r of results) {
  for (const row of r.rows) {
    const value = Number.isNaN(row.value) ? 'n/a' : Math.abs(row.value) >= 100 ? row.value.toFixed(0) : row.value.toFixed(2);
    console.log(`| ${r.name} | ${row.metric}${row.note ? ` (${row.note})` : ''} | ${value} | ${row.unit} |`);
  }
}
process.exit(failed > 0 ? 1 : 0);
