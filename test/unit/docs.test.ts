// The README's table of diagnostic codes is generated from the rule registry;
// this keeps the two in step (UPDATE_DOCS=1 npm test rewrites the table).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../server/src/model/rules';

const README = path.join(__dirname, '../../README.md');
const START = '<!-- codes:start -->';
const END = '<!-- codes:end -->';

function table(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| Code | Default severity | What it means | Why it matters | Example | How to fix |',
    '|---|---|---|---|---|---|',
    ...RULES.map((c) => `| [\`${c.code}\`](docs/rules/${c.code}.md) | ${c.severity} | ${esc(c.title)} | ${esc(c.why)} | ${esc(c.example)} | ${esc(c.fix)} |`),
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

test('every rule that says the API server rejects an object names the validation that does, and is an error', () => {
  for (const rule of RULES) {
    const claims = /API server rejects|is rejected/i.test(`${rule.title} ${rule.why}`);
    if (claims) assert.ok(rule.rejectedBy, `${rule.code} says the API server rejects, but names no validation (rejectedBy)`);
    if (rule.rejectedBy) assert.equal(rule.severity, 'error', `${rule.code} names a rejection, so it is an error`);
  }
});
