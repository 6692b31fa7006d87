import type { Node } from 'yaml';
import { labelKeyProblem, labelValueProblem } from '../../net';
import { readPodTemplate, readService, WORKLOAD_KINDS } from '../../objects';
import type { K8sObject } from '../../parse';
import { asMap, asScalar, get, keyString, nodeAt, pairsOf } from '../../yamlNodes';
import type { Report } from '../rule';
import { defineRule } from '../rule';

export default defineRule({
  code: 'invalid-label', severity: 'error', kinds: ['*'],
  rejectedBy: 'ValidateLabels (qualified-name keys, label values)',
  title: 'A label key or value breaks the label syntax',
  why: 'The API server rejects the object',
  example: '`app: my app` (space); a 70-character value',
  fix: 'Letters, digits, `-`, `_`, `.`; at most 63 characters',
  checks: {
    object(o, _ctx, report) {
      checkLabels(o, get(asMap(get(o.node, 'metadata')), 'labels'), 'Label', report);
      const svc = o.kind === 'Service' ? readService(o) : undefined;
      if (svc) checkLabels(o, nodeAt(o.node, svc.selectorNode), 'Selector', report);
      const w = o.kind !== 'Pod' && WORKLOAD_KINDS.has(o.kind) ? readPodTemplate(o) : undefined;
      if (w) checkLabels(o, nodeAt(o.node, w.labelsNode), 'Pod template label', report);
    },
  },
});

function checkLabels(o: K8sObject, labelsNode: Node | undefined, what: string, report: Report) {
  for (const p of pairsOf(asMap(labelsNode))) {
    const k = keyString(p);
    if (k === undefined) continue;
    const kp = labelKeyProblem(k);
    if (kp) report.at(o, p.key as Node, `${what} key \`${k}\` ${kp}.`);
    const v = asScalar(p.value);
    if (v && typeof v.value === 'string') {
      const vp = labelValueProblem(v.value);
      if (vp) report.at(o, v, `${what} value \`${v.value}\` for \`${k}\` ${vp}.`);
    }
  }
}
