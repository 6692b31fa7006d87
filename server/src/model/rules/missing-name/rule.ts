import { isScalar, Node } from 'yaml';
import { asMap, get, getPair, str } from '../../yamlNodes';
import { schemaFor } from '../../schema';
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
      const metadata = get(o.node, 'metadata');
      // `metadata` that is a value but not a map is invalid-type's finding (for the kinds it
      // reads); its missing name is not a second one.
      if (schemaFor(o) && metadata && !asMap(metadata) && !(isScalar(metadata) && metadata.value === null)) return;
      const meta = asMap(metadata);
      if (str(get(meta, 'generateName')) || isScalar(get(meta, 'name'))) return;
      report.at(o, getPair(o.node, 'metadata')?.key as Node ?? get(o.node, 'kind'), `${o.kind} has no \`metadata.name\`; the API server rejects it.`);
    },
  },
});
