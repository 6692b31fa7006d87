import type { Span } from '../../yamlNodes';
import { readPodTemplate, WORKLOAD_KINDS } from '../../objects';
import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'port-name-shared', severity: 'warning', kinds: [...WORKLOAD_KINDS],
  title: 'Two containers of a pod declare the same port name',
  why: 'The API server accepts it (names are checked within each container), but a named targetPort or probe port becomes ambiguous: the endpoints controller takes the first container that names it',
  example: 'containers `web` and `proxy` both with a port named `http`',
  fix: 'Give each container\'s port its own name (`http`, `proxy-http`)',
  checks: {
    object(o, _ctx, report) {
      const w = readPodTemplate(o);
      const first = new Map<string, { container: string; node: Span; port?: number }>();
      for (const p of w?.ports ?? []) {
        if (p.name === undefined || !p.nameNode) continue;
        const prev = first.get(p.name);
        if (!prev) first.set(p.name, { container: p.container, node: p.nameNode, port: p.containerPort });
        else if (prev.container !== p.container) {
          report.at(o, p.nameNode,
            `Port name \`${p.name}\` is declared by containers \`${prev.container}\`${prev.port !== undefined ? ` (${prev.port})` : ''} and \`${p.container}\`${p.containerPort !== undefined ? ` (${p.containerPort})` : ''}; a Service targetPort \`${p.name}\` reaches only the first (the endpoints controller takes the first container that names it).`,
            { related: [related(o, prev.node, `\`${p.name}\` in container \`${prev.container}\``)] });
        }
      }
    },
  },
});
