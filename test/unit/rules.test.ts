// Every rule: a firing fixture with exact markers, a near miss, its quick fix's result, one
// fixture per case of a catch-all code, and a docs page in step (UPDATE_DOCS=1 rewrites them).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../server/src/model/rules';
import type { RuleDefinition } from '../../server/src/model/rules/rule';
import { analyseFixture, applyFixes, describeFinding, fixturesOf, stripMarkers } from '../helpers/ruleFixtures';
import { rulePage, rulesIndex } from '../helpers/ruleDocs';

const DOCS = path.join(__dirname, '../../docs/rules');
const rules = RULES as readonly RuleDefinition[];

for (const rule of rules) {
  // Rules about rendered units are exercised by the real renderers (test/render).
  if (rule.rendered) continue;
  test(`rule ${rule.code}: fixtures fire exactly where marked, near misses stay quiet`, () => {
    const fixtures = fixturesOf(rule.code);
    const fires = fixtures.filter((f) => f.kind === 'fires');
    assert.ok(fires.some((f) => f.expected.some((e) => e.code === rule.code)), `${rule.code} has no firing fixture (fixtures/fires.yaml with a marker)`);
    assert.ok(fixtures.some((f) => f.kind === 'quiet'), `${rule.code} has no near miss (fixtures/quiet*.yaml)`);
    for (const id of Object.keys(rule.cases ?? {})) {
      assert.ok(fires.some((f) => f.case === id && f.expected.some((e) => e.code === rule.code)), `${rule.code}: case ${id} has no fixtures/fires-${id}.yaml`);
    }
    if (rule.cases) for (const f of fires) assert.ok(!f.case || f.case in rule.cases, `${rule.code}: ${f.name} names no case`);
    for (const f of fixtures) {
      for (const e of f.expected) {
        const markedRule = rules.find((r) => r.code === e.code);
        assert.ok(markedRule, `${f.name}: marker for unknown code ${e.code}`);
        assert.equal(e.severity, markedRule.severity, `${f.name}: marker severity of ${e.code} differs from the registry's`);
      }
      if (f.kind === 'quiet') assert.ok(!f.expected.some((e) => e.code === rule.code), `${f.name} is a near miss but marks ${rule.code}`);
      const { diagnostics } = analyseFixture(f);
      for (const d of diagnostics) assert.equal(d.severity, rules.find((r) => r.code === d.code)?.severity, `${d.code} emitted with another severity than the registry's`);
      assert.deepEqual(diagnostics.map(describeFinding).sort(), f.expected.map(describeFinding).sort(), `${rule.code}/${f.name}: findings differ from the markers`);
      const fixable = diagnostics.filter((d) => d.code === rule.code && d.fixes?.length);
      if (fixable.length && f.files.size === 1) {
        const [[uri, text]] = [...f.files];
        assert.ok(f.fixed !== undefined, `${rule.code}/${f.name} has quick fixes but no ${f.name}.fixed.yaml`);
        const after = applyFixes(text, uri, diagnostics, rule.code);
        assert.equal(after, f.fixed, `${rule.code}/${f.name}: the quick fixes give another text than ${f.name}.fixed.yaml`);
        const again = analyseFixture({ ...f, files: new Map([[uri, after]]) }).diagnostics;
        const unfixable = diagnostics.filter((d) => d.code === rule.code && !d.fixes?.length).length;
        assert.equal(again.filter((d) => d.code === rule.code).length, unfixable, `${rule.code}/${f.name}: still reported after its quick fix`);
      }
    }
  });
}

test('every rule has a docs page generated from its registry entry and fixtures', () => {
  const expected = new Map<string, string>([['README.md', rulesIndex()], ...rules.map((r): [string, string] => [`${r.code}.md`, rulePage(r)])]);
  if (process.env.UPDATE_DOCS) {
    fs.rmSync(DOCS, { recursive: true, force: true });
    fs.mkdirSync(DOCS, { recursive: true });
    for (const [name, text] of expected) fs.writeFileSync(path.join(DOCS, name), text);
  }
  const actual = fs.existsSync(DOCS) ? fs.readdirSync(DOCS).sort() : [];
  assert.deepEqual(actual, [...expected.keys()].sort(), 'docs/rules holds one page per rule (UPDATE_DOCS=1 npm test regenerates it)');
  for (const [name, text] of expected) assert.equal(fs.readFileSync(path.join(DOCS, name), 'utf8'), text, `docs/rules/${name} is out of date (UPDATE_DOCS=1 npm test regenerates it)`);
});

test('markers: carets, relative ranges and places in other files are read; the marker lines are removed', () => {
  const { text, expected } = stripMarkers('a.yaml', 'kind: Service\n#     ^^^^^^^ x-code error\nspec: {}\n# @0:0-0:4 y-code warning\n# @b.yaml:1:2-1:3 z-code information\n');
  assert.equal(text, 'kind: Service\nspec: {}\n');
  assert.deepEqual(expected.map(describeFinding), ['a.yaml:0:6-0:13 x-code error', 'a.yaml:1:0-1:4 y-code warning', 'b.yaml:1:2-1:3 z-code information']);
});
