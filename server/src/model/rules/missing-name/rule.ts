import { isScalar, Node } from 'yaml';
import { asMap, get, getPair, str } from '../../yamlNodes';
import { defineRule } from '../rule';

export default defineRule({
  code: 'missing-name', severity: 'error', kinds: ['*'],
  rejectedBy: 'ValidateObjectMeta: name or generateName is required',
  title: 'An object without `metadata.name`',
  why: 'The API server rejects it (unless `generateName` is set)',
  example: '`metadata: {labels: …}`',
  fix: 'Add `metadata.name`',
  checks: {
    object(o, _ctx, report) {
      if (o.name !== undefined) return;
      const meta = asMap(get(o.node, 'metadata'));
      if (str(get(meta, 'generateName')) || isScalar(get(meta, 'name'))) return;
      report.at(o, getPair(o.node, 'metadata')?.key as Node ?? get(o.node, 'kind'), `${o.kind} has no \`metadata.name\`; the API server rejects it.`);
    },
  },
});
