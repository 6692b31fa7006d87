import { closest } from '../../suggest';
import { objRef } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'endpoints-orphan', severity: 'warning', kinds: ['Endpoints', 'EndpointSlice', 'Service'],
  title: 'Endpoints or an EndpointSlice no Service uses',
  why: 'Endpoints attach to the Service with the same name and namespace; a typo leaves both broken',
  example: 'Endpoints `db-external` for Service `external-db`',
  fix: 'Rename to the Service\'s name',
  checks: {
    namespace(view, report) {
      for (const ep of view.endpoints) {
        const o = ep.obj;
        if (!ep.serviceName) {
          if (o.kind === 'EndpointSlice') report.at(o, undefined, `EndpointSlice \`${ep.name}\` has no \`kubernetes.io/service-name\` label, so no Service uses it.`);
          continue;
        }
        if (view.services.has(ep.serviceName)) continue;
        const guess = closest(ep.serviceName, view.services.keys());
        report.at(o, undefined,
          `${objRef(o)} feeds Service \`${ep.serviceName}\`, which is not in namespace \`${ep.namespace}\` in this workspace` +
          `${guess ? `; did you mean \`${guess}\`?` : '.'} Endpoints must have the same name and namespace as their Service.`);
      }
    },
  },
});
