// The README's table of diagnostic codes is generated from server/src/model/codes.ts;
// this keeps the two in step (UPDATE_DOCS=1 npm test rewrites the table).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CODES } from '../../server/src/model/codes';

const README = path.join(__dirname, '../../README.md');
const START = '<!-- codes:start -->';
const END = '<!-- codes:end -->';

function table(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| Code | Severity | What it means | Why it matters | Example | How to fix |',
    '|---|---|---|---|---|---|',
    ...CODES.map((c) => `| \`${c.code}\` | ${c.severity} | ${esc(c.title)} | ${esc(c.why)} | ${esc(c.example)} | ${esc(c.fix)} |`),
  ].join('\n');
}

test('README lists every diagnostic code, generated from the catalogue', () => {
  const text = fs.readFileSync(README, 'utf8');
  const [before, rest] = text.split(START);
  assert.ok(rest, 'README has the codes markers');
  const after = rest.split(END)[1];
  const expected = `${before}${START}\n${table()}\n${END}${after}`;
  if (process.env.UPDATE_DOCS) fs.writeFileSync(README, expected);
  assert.equal(text, expected);
});

test('every code the model can emit is in the catalogue', () => {
  const known = new Set(CODES.map((c) => c.code));
  const src = path.join(__dirname, '../../server/src/model');
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : [fs.readFileSync(path.join(d, e.name), 'utf8')]);
  const emitted = new Set<string>();
  for (const text of walk(src)) {
    for (const m of text.matchAll(/'(?:error|warning|information|hint)',\s*'([a-z0-9-]+)'/g)) emitted.add(m[1]);
    for (const m of text.matchAll(/code: '([a-z0-9-]+)'/g)) emitted.add(m[1]);
  }
  assert.ok(emitted.size > 30);
  assert.deepEqual([...emitted].filter((c) => !known.has(c)), []);
});
