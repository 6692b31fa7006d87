import { readPodTemplate, WORKLOAD_KINDS } from '../../objects';
import { asMap, asScalar, get, seqItems, str } from '../../yamlNodes';
import { defineRule } from '../rule';

export default defineRule({
  code: 'container-port-missing', severity: 'error', kinds: [...WORKLOAD_KINDS],
  title: 'A container port without `containerPort`',
  why: 'The API server rejects the pod: `containerPort` is the one required field of a container port',
  example: '`ports: [{name: http, protocol: TCP}]`',
  fix: 'Add `containerPort:` with the port the container listens on',
  checks: {
    object(o, _ctx, report) {
      const spec = asMap(readPodTemplate(o)?.podSpecNode);
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
