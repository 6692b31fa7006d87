import { closest } from '../../suggest';
import { defineRule } from '../rule';

export default defineRule({
  code: 'statefulset-service-not-found', severity: 'warning', kinds: ['StatefulSet', 'Service'],
  title: 'A StatefulSet\'s serviceName names no Service in the namespace',
  why: 'The pods get no stable DNS names',
  example: '`serviceName: db` with no Service `db`',
  fix: 'Add the headless Service',
  checks: {
    namespace(view, report) {
      for (const w of view.workloads) {
        // Only StatefulSets have a serviceName (objects.ts reads it for them alone).
        if (!w.serviceName || view.services.has(w.serviceName)) continue;
        const guess = closest(w.serviceName, view.services.keys());
        report.at(w.obj, w.serviceNameNode,
          `StatefulSet \`${w.name}\` names governing Service \`${w.serviceName}\`, which is not in namespace \`${w.namespace}\` in this workspace` +
          `${guess ? `; did you mean \`${guess}\`?` : '.'} Without it the pods get no stable DNS names.`,
          guess && w.serviceNameNode ? { fixes: [{ title: `Change to \`${guess}\``, edits: [{ uri: w.obj.uri, range: w.obj.src.nodeRange(w.serviceNameNode), newText: guess }] }] } : {});
      }
    },
  },
});
