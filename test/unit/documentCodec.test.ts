// Documents parsed in the worker thread reach the model as flat arrays: what the model gets
// back must be what parsing on its own thread gives.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { ClusterModel } from '../../server/src/model';
import { decodeDocuments, encodeDocuments } from '../../server/src/model/documentCodec';
import { parseYamlDocuments, YamlDoc } from '../../server/src/model/parse';
import { corpusUnits } from '../helpers/corpus';
import { yamlShape } from '../helpers/yamlShape';
import { generateWorkspace } from '../bench/generate';

const shapes = (docs: YamlDoc[]) => docs.map((d) => ({ contents: yamlShape(d.contents), range: d.range, errors: d.errors.length }));

function roundTrip(text: string): YamlDoc[] | undefined {
  const encoded = encodeDocuments(text, parseYamlDocuments(text));
  return encoded && decodeDocuments(text, encoded);
}

test('every corpus and generated file comes back from the codec as parsed, or is left to the parser', () => {
  const texts = [
    ...corpusUnits().flatMap((u) => u.files).map((f) => fs.readFileSync(f, 'utf8')),
    ...generateWorkspace(400, 5).files.values(),
    // scalars of every kind, quoted, folded, escaped, empty, flow collections, numbers with formats
    'a: "quoted"\nb: \'single\'\nc: "esc\\taped"\nd: |\n  literal\n  text\ne: >\n  folded\n  text\nf:\ng: ~\nh: [1, 0x1F, 0o17, 1e3, .inf, yes, off, null]\ni: {x: 1, "y": two}\nj: 1:30\n? complex\n',
    'plain\nmulti-line\n',
    '',
    '# only a comment\n',
    '---\n---\na: 1\n',
  ];
  let encoded = 0;
  for (const text of texts) {
    const back = roundTrip(text);
    if (!back) continue;
    encoded++;
    assert.deepEqual(shapes(back), shapes(parseYamlDocuments(text)), text.slice(0, 120));
  }
  // Most real files are plain YAML: the worker must be able to hand them over.
  assert.ok(encoded / texts.length > 0.9, `${encoded} of ${texts.length} encoded`);
});

test('anchors, aliases, tags and syntax errors are left to the parser', () => {
  for (const text of [
    'a: &x 1\nb: *x\n',
    'base: &b {port: 80}\nd:\n  <<: *b\n',
    'a: !!str 1\n',
    'a: !custom x\n',
    'a: [unclosed\n',
    'a: 1\na: 2\n',
    'x: 1.50\n',
  ]) {
    assert.equal(roundTrip(text), undefined, text);
  }
});

test('a model fed documents decoded from the worker reports what a model that parses does', () => {
  const files = [...generateWorkspace(600, 11).files];
  const parsing = new ClusterModel();
  const decoding = new ClusterModel();
  for (const [uri, text] of files) {
    parsing.update(uri, text);
    decoding.update(uri, text, roundTrip(text));
  }
  assert.ok(parsing.allDiagnostics().size > 0);
  assert.deepEqual([...decoding.allDiagnostics()], [...parsing.allDiagnostics()]);
});
