import { externalNameProblem } from '../../net';
import { readService } from '../../objects';
import { defineRule } from '../rule';

export default defineRule({
  code: 'external-name-invalid', severity: 'error', kinds: ['Service'],
  title: 'An ExternalName Service without a valid DNS name',
  why: 'Cluster DNS answers with a CNAME; an IP or bad name breaks clients',
  example: '`externalName: 10.0.0.5`',
  fix: 'Use a DNS name; for an IP use a selectorless Service with Endpoints',
  checks: {
    object(o, _ctx, report) {
      const svc = readService(o);
      if (svc?.type !== 'ExternalName') return;
      if (!svc.externalName) {
        report.at(o, svc.typeNode, `ExternalName Service \`${svc.name}\` needs \`spec.externalName\` (the DNS name it aliases).`);
        return;
      }
      const problem = externalNameProblem(svc.externalName);
      if (problem) report.at(o, svc.externalNameNode, `${problem}.`);
    },
  },
});
