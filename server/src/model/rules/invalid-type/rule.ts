import { SCHEMA_KINDS, schemaFindings } from '../../schema';
import { defineRule } from '../rule';

export default defineRule({
  code: 'invalid-type', severity: 'error', kinds: SCHEMA_KINDS,
  rejectedBy: 'decoding: a value of the wrong type fails to unmarshal',
  title: 'A value of the wrong type',
  why: 'The API server cannot decode the object',
  example: '`port: "80"` (string); a label value `version: 1.0` (number)',
  fix: 'Remove or add quotes as suggested',
  checks: {
    object(o, _ctx, report) {
      for (const f of schemaFindings(o)) if (f.code === 'invalid-type') report.at(o, f.node, f.message, { fixes: f.fixes });
    },
  },
});
