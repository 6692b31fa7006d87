import { hasSelector } from '../../objects';
import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'endpoints-overwritten', severity: 'warning', kinds: ['Endpoints', 'EndpointSlice', 'Service'],
  title: 'Manual Endpoints for a Service that has a selector',
  why: 'The endpoints controller replaces them with the selected pods',
  example: 'Endpoints `web` and Service `web` with `selector`',
  fix: 'Remove the selector or the Endpoints',
  checks: {
    namespace(view, report) {
      for (const ep of view.endpoints) {
        const svc = ep.serviceName ? view.services.get(ep.serviceName) : undefined;
        if (!svc || !hasSelector(svc)) continue;
        const o = ep.obj;
        report.at(o, undefined,
          `Service \`${svc.name}\` has a selector, so the endpoints controller manages its endpoints and replaces this ${o.kind}. ` +
          'Remove the selector to use manual endpoints.', { related: [related(svc.obj, svc.selectorNode, 'the selector')] });
      }
    },
  },
});
