import type { K8sObject } from '../../parse';
import { objRef, related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'duplicate-object', severity: 'warning', kinds: ['*'],
  title: 'The same object declared twice',
  why: 'Whichever is applied last silently replaces the other',
  example: 'two `Service web` in namespace `default`',
  fix: 'Remove or rename one',
  holdsOnPart: true,
  checks: {
    namespace(view, report) {
      const seen = new Map<string, K8sObject>();
      for (const o of view.objects) {
        if (!o.name) continue;
        const key = `${o.kind}/${o.name}`;
        const first = seen.get(key);
        if (!first) seen.set(key, o);
        else {
          report.at(o, undefined, `${objRef(o)} is declared twice in namespace \`${o.namespace}\`; whichever is applied last replaces the other.`,
            { related: [related(first, undefined, 'the other declaration')] });
        }
      }
    },
    // Namespaces themselves are cluster-scoped.
    cluster(ctx, report) {
      const namespaces = new Map<string, K8sObject>();
      for (const o of ctx.clusterObjects) {
        if (o.kind !== 'Namespace' || !o.name || o.custom) continue;
        const first = namespaces.get(o.name);
        if (first) {
          report.at(o, undefined, `Namespace \`${o.name}\` is declared twice; whichever is applied last replaces the other.`,
            { related: [related(first, undefined, 'the other declaration')] });
        } else namespaces.set(o.name, o);
      }
    },
  },
});
