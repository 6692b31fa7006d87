import { hasSelector } from '../../objects';
import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'service-no-endpoints', severity: 'warning', kinds: ['Service', 'Endpoints', 'EndpointSlice'],
  title: 'A selectorless Service has no backends',
  why: 'A Service without selector needs an Endpoints/EndpointSlice of its own, with addresses; otherwise nothing answers',
  example: 'a Service without selector and without Endpoints `db`',
  fix: 'Add a selector or an Endpoints object with the same name',
  checks: {
    service(svc, res, report) {
      if (svc.type === 'ExternalName' || hasSelector(svc)) return;
      const o = svc.obj;
      if (res.endpoints.length === 0) {
        report.at(o, undefined,
          `Service \`${svc.name}\` has no selector and no Endpoints or EndpointSlice named after it in namespace \`${svc.namespace}\` ` +
          'in this workspace, so it has no backends. Add a selector, or an Endpoints object with the same name.');
      } else if (res.endpoints.every((e) => e.subsets.every((s) => s.addresses.length === 0))) {
        report.at(o, undefined,
          `Service \`${svc.name}\` has no selector, and its ${res.endpoints.map((e) => `${e.obj.kind} \`${e.name}\``).join(', ')} list no addresses, so it has no backends.`,
          { related: res.endpoints.map((e) => related(e.obj, undefined, `${e.obj.kind} without addresses`)) });
      }
    },
  },
});
