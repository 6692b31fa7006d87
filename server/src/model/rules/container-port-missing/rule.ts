import type { Node } from 'yaml';
import { WORKLOAD_KINDS } from '../../objects';
import type { K8sObject } from '../../parse';
import { asMap, asScalar, get, getIn, seqItems, str } from '../../yamlNodes';
import { defineRule } from '../rule';

export default defineRule({
  code: 'container-port-missing', severity: 'error', kinds: [...WORKLOAD_KINDS],
  rejectedBy: 'validateContainerPorts: containerPort is required',
  title: 'A container port without `containerPort`',
  why: 'The API server rejects the pod: `containerPort` is the one required field of a container port',
  example: '`ports: [{name: http, protocol: TCP}]`',
  fix: 'Add `containerPort:` with the port the container listens on',
  checks: {
    object(o, _ctx, report) {
      const spec = asMap(podSpecOf(o));
      // Every container is validated, init containers included (not only those that serve).
      for (const list of ['containers', 'initContainers']) {
        for (const c of seqItems(get(spec, list))) {
          for (const p of seqItems(get(asMap(c), 'ports'))) {
            const pm = asMap(p);
            // `containerPort:` with no value (null) is unset too.
            if (!pm || asScalar(get(pm, 'containerPort'))?.value !== null && get(pm, 'containerPort') !== undefined) continue;
            const name = str(get(pm, 'name'));
            report.at(o, pm, `Container \`${str(get(asMap(c), 'name')) ?? '?'}\` has a port${name ? ` \`${name}\`` : ''} without \`containerPort\`; the API server rejects the pod.`);
          }
        }
      }
    },
  },
});

/** Where each workload kind keeps its pod spec. */
function podSpecOf(o: K8sObject): Node | undefined {
  const spec = asMap(get(o.node, 'spec'));
  if (o.kind === 'Pod') return spec;
  if (o.kind === 'CronJob') return getIn(asMap(getIn(spec, 'jobTemplate', 'spec')), 'template', 'spec');
  return getIn(spec, 'template', 'spec');
}
