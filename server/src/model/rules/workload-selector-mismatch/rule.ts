import type { Node } from 'yaml';
import { describeSelector, readPodTemplate, selectorMatches, WORKLOAD_KINDS } from '../../objects';
import { asMap, get, getPair, seqItems } from '../../yamlNodes';
import { objRef, related } from '../report';
import { defineRule } from '../rule';

const APPS_V1_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** Every container of the pod template lacks an image (so the object cannot be created as
 *  written: it is meant to be merged into a live object). */
function isPartial(node: Node): boolean {
  const containers = seqItems(get(asMap(get(asMap(get(asMap(get(asMap(node), 'spec')), 'template')), 'spec')), 'containers'));
  return containers.length > 0 && containers.every((c) => get(asMap(c), 'image') === undefined);
}

export default defineRule({
  code: 'workload-selector-mismatch', severity: 'error', kinds: [...WORKLOAD_KINDS],
  rejectedBy: 'ValidateDeploymentSpec and the other controllers\' spec validation ("selector does not match template labels")',
  title: 'A workload selector does not match its own pod template labels (or is missing)',
  why: 'The API server rejects it: "selector does not match template labels"',
  example: 'selector `app: web`, template label `app: webapp`',
  fix: 'Make the template labels include every selector pair',
  checks: {
    object(o, _ctx, report) {
      // Pods have no selector; Jobs generate theirs.
      if (o.kind === 'Pod' || o.kind === 'Job' || o.kind === 'CronJob') return;
      const w = readPodTemplate(o);
      if (!w) return;
      const spec = asMap(get(o.node, 'spec'));
      if (!w.selector) {
        // No selector, no template labels and no container image: a partial object, applied
        // over the live one (argo-cd's stub that scales an old StatefulSet to 0). On the
        // live object the selector stays; only a create would be rejected.
        if (!Object.keys(w.labels).length && isPartial(o.node)) return;
        if (APPS_V1_KINDS.has(o.kind) && o.apiVersion === 'apps/v1') {
          report.at(o, getPair(o.node, 'spec')?.key as Node ?? get(o.node, 'kind'),
            `${objRef(o)} has no \`spec.selector\`; apps/v1 requires one that matches the pod template labels.`,
            Object.keys(w.labels).length ? { related: [related(o, w.labelsNode, 'pod template labels')] } : {});
        }
        return;
      }
      const emptySel = Object.keys(w.selector.matchLabels).length === 0 && w.selector.matchExpressions.length === 0;
      if (emptySel && APPS_V1_KINDS.has(o.kind)) {
        report.at(o, get(spec, 'selector'), `${objRef(o)} has an empty selector; apps/v1 requires a non-empty selector matching the pod template labels.`);
        return;
      }
      if (!selectorMatches(w.selector, w.labels)) {
        const missing = Object.entries(w.selector.matchLabels).filter(([k, v]) => w.labels[k] !== v)
          .map(([k, v]) => `${k}=${v}${w.labels[k] !== undefined ? ` (template has ${k}=${w.labels[k]})` : ''}`);
        report.at(o, get(spec, 'selector'),
          `${objRef(o)} selector \`${describeSelector(w.selector)}\` does not match its pod template labels` +
          `${missing.length ? `: ${missing.join(', ')} missing` : ''}; the API server rejects it ("selector does not match template labels").`,
          { related: [related(o, w.labelsNode ?? w.templateMetaNode, 'pod template labels')] });
      }
    },
  },
});
