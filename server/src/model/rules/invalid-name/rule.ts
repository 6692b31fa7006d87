import { nameProblem, nameRuleOf } from '../../kinds';
import { ianaSvcNameProblem, rfc1123LabelProblem } from '../../net';
import { readPodTemplate, readService, WORKLOAD_KINDS } from '../../objects';
import { asMap, asScalar, get, nodeAt, str } from '../../yamlNodes';
import { defineRule } from '../rule';

export default defineRule({
  code: 'invalid-name', severity: 'error', kinds: ['*'],
  rejectedBy: "ValidateObjectMeta with the kind's name rule (ValidateServiceName: DNS-1035 label)",
  title: 'A name breaks the DNS naming rules',
  why: 'The API server rejects it; Service names become DNS labels',
  example: 'Service `Web_API`; port name `http_port`; targetPort `"8080"` (a string)',
  fix: 'Lowercase letters, digits and `-`; Service names start with a letter',
  cases: {
    'object': 'An object name breaks its kind\'s rule (DNS label, DNS subdomain or path segment); quick fix: the lowercase form',
    'namespace': '`metadata.namespace` is not a DNS label',
    'target-port-digits': 'A targetPort written as a quoted number (`"8080"`) is a port name, and names need a letter; quick fix: unquote',
    'target-port-name': 'A named targetPort is not an IANA service name',
    'service-port-name': 'A Service port name is not a DNS label',
    'container-port-name': 'A container port name is not an IANA service name',
  },
  checks: {
    object(o, _ctx, report) {
      const meta = asMap(get(o.node, 'metadata'));
      const nameNode = get(meta, 'name');
      const nameRule = o.name !== undefined ? nameRuleOf(o.apiVersion, o.kind) : undefined;
      const problem = nameRule && nameProblem(nameRule, o.name!);
      if (nameRule && problem) {
        const why = o.kind === 'Service' ? ' (Service names are DNS labels: RFC 1035)' : '';
        const lower = o.name!.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
        report.at(o, nameNode, `${o.kind} name \`${o.name}\` ${problem}${why}.`,
          lower !== o.name && !nameProblem(nameRule, lower)
            ? { fixes: [{ title: `Rename to \`${lower}\``, edits: [{ uri: o.uri, range: o.src.nodeRange(nameNode!), newText: lower }] }] }
            : {});
      }
      const nsNode = get(meta, 'namespace');
      const ns = str(nsNode);
      const nsProblem = o.name !== undefined && ns !== undefined ? rfc1123LabelProblem(ns) : undefined;
      if (nsProblem) report.at(o, nsNode, `Namespace \`${ns}\` ${nsProblem}.`);
      const svc = o.kind === 'Service' ? readService(o) : undefined;
      for (const p of svc?.ports ?? []) {
        const tp = asScalar(nodeAt(o.node, p.targetPortNode));
        if (tp && typeof tp.value === 'string' && tp.value !== '') {
          if (/^\d+$/.test(tp.value)) {
            report.at(o, tp,
              `targetPort \`"${tp.value}"\` is a string, so it names a container port, and port names must contain a letter. Write it as a number: \`${tp.value}\`.`,
              { fixes: [{ title: 'Remove the quotes', edits: [{ uri: o.uri, range: o.src.nodeRange(tp), newText: tp.value }] }] });
          } else {
            const np = ianaSvcNameProblem(tp.value);
            if (np) report.at(o, tp, `targetPort name \`${tp.value}\` ${np}.`);
          }
        }
        const np = p.name ? rfc1123LabelProblem(p.name) : undefined;
        if (np) report.at(o, p.nameNode, `Port name \`${p.name}\` ${np}.`);
      }
      for (const p of (WORKLOAD_KINDS.has(o.kind) ? readPodTemplate(o)?.ports : undefined) ?? []) {
        const cp = p.name !== undefined ? ianaSvcNameProblem(p.name) : undefined;
        if (cp) report.at(o, p.nameNode, `Container port name \`${p.name}\` ${cp} (IANA service name).`);
      }
    },
  },
});
