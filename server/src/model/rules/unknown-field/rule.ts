import { SCHEMA_KINDS, schemaFindings } from '../../schema';
import { defineRule } from '../rule';

export default defineRule({
  code: 'unknown-field', severity: 'warning', kinds: SCHEMA_KINDS,
  title: 'A field the Kubernetes API does not know',
  why: 'The API server drops it silently (kubectl rejects it with strict validation), so the setting never takes effect',
  example: '`adresses:` in an Endpoints subset; `ipFamily:` in a Service',
  fix: 'Use the suggested field name',
  checks: {
    object(o, _ctx, report) {
      for (const f of schemaFindings(o)) if (f.code === 'unknown-field') report.at(o, f.node, f.message, { fixes: f.fixes });
    },
  },
});
