import { hasPlaceholder } from '../../kinds';
import { cidrContains, isIPv6, parseCidr, parseIPv4, rfc1123SubdomainProblem } from '../../net';
import { readIngress, readNetworkPolicy, readService } from '../../objects';
import { SCHEMA_KINDS, schemaFindings } from '../../schema';
import { asMap, asScalar, get, getIn, nodeAt, seqItems, str } from '../../yamlNodes';
import { defineRule } from '../rule';

export default defineRule({
  code: 'invalid-value', severity: 'error', kinds: SCHEMA_KINDS,
  rejectedBy: "the kind's Validate function (enum values, IPs, CIDRs, paths, ranges)",
  title: 'A value outside the allowed set (enums are case-sensitive)',
  why: 'The API server rejects the object',
  example: '`type: ClusterIp`, `protocol: HTTP`, `pathType: prefix`',
  fix: 'Use the suggested value',
  cases: {
    'enum': 'A field with a fixed set of values (type, protocol, pathType, policyTypes, …) has another',
    'cluster-ip': '`clusterIP` is neither an IP address nor `None`',
    'affinity-timeout': '`sessionAffinityConfig.clientIP.timeoutSeconds` is outside 1–86400',
    'ingress-host-ip': 'An Ingress rule host is an IP address',
    'ingress-host-name': 'An Ingress rule host is not a DNS name (or has a wildcard other than a whole first label)',
    'ingress-path': 'An Exact or Prefix Ingress path does not start with `/`',
    'ipblock-cidr': 'A NetworkPolicy `ipBlock.cidr` is not a CIDR',
    'ipblock-except': 'An `ipBlock.except` entry is not a CIDR',
    'ipblock-except-outside': 'An `ipBlock.except` entry is not a strict subset of the cidr',
    'ipblock-with-selector': 'A NetworkPolicy peer combines `ipBlock` with a pod or namespace selector',
    'end-port': '`endPort` without a numeric `port`, or below it',
  },
  checks: {
    object(o, _ctx, report) {
      for (const f of schemaFindings(o)) if (f.code === 'invalid-value') report.at(o, f.node, f.message, { fixes: f.fixes });
      if (o.kind === 'Service') {
        const svc = readService(o);
        if (!svc) return;
        if (svc.clusterIP && parseIPv4(svc.clusterIP) === undefined && !isIPv6(svc.clusterIP)) {
          report.at(o, svc.clusterIPNode, `clusterIP \`${svc.clusterIP}\` is not an IP address (or \`None\`).`);
        }
        const timeoutNode = getIn(asMap(get(o.node, 'spec')), 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds');
        const timeout = asScalar(timeoutNode)?.value;
        if (typeof timeout === 'number' && (timeout < 1 || timeout > 86400)) {
          report.at(o, timeoutNode, `sessionAffinity timeoutSeconds ${timeout} must be between 1 and 86400.`);
        }
      } else if (o.kind === 'Ingress') {
        const ing = readIngress(o);
        for (const rule of ing?.rules ?? []) {
          // A documentation or template placeholder (`registry.<your domain>`) is filled in first.
          if (rule.host !== undefined && !hasPlaceholder(rule.host)) {
            const h = rule.host;
            const bare = h.startsWith('*.') ? h.slice(2) : h;
            if (parseIPv4(h) !== undefined || isIPv6(h)) {
              report.at(o, rule.hostNode, `Ingress host \`${h}\` is an IP address; hosts must be DNS names.`);
            } else if (bare.includes('*') || rfc1123SubdomainProblem(bare)) {
              report.at(o, rule.hostNode, `Ingress host \`${h}\` is not a valid DNS name (lowercase; a wildcard is allowed only as the whole first label, \`*.example.com\`).`);
            }
          }
          for (const p of rule.paths) {
            if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && p.pathNode && !p.path.startsWith('/')) {
              report.at(o, p.pathNode, `Ingress path \`${p.path}\` must start with \`/\` for pathType ${p.pathType}.`);
            }
          }
        }
      } else if (o.kind === 'NetworkPolicy') {
        const np = readNetworkPolicy(o);
        for (const rule of np ? [...np.ingress, ...np.egress] : []) {
          for (const peer of rule.peers) {
            if (!peer.ipBlock) continue;
            const ipbNode = asMap(get(asMap(nodeAt(o.node, peer.node)), 'ipBlock'));
            const cidr = parseCidr(peer.ipBlock.cidr);
            if (!cidr && !/^[0-9a-fA-F:]+\/\d+$/.test(peer.ipBlock.cidr)) {
              report.at(o, get(ipbNode, 'cidr') ?? ipbNode, `ipBlock cidr \`${peer.ipBlock.cidr}\` is not a CIDR (for example 10.0.0.0/16).`);
            } else if (cidr) {
              for (const e of seqItems(get(ipbNode, 'except'))) {
                const ex = parseCidr(str(e) ?? '');
                if (!ex) report.at(o, e, `ipBlock except \`${str(e)}\` is not a CIDR.`);
                else if (!(cidrContains(cidr, ex.base) && ex.bits > cidr.bits)) {
                  report.at(o, e, `ipBlock except \`${str(e)}\` must be a strict subset of ${peer.ipBlock.cidr}.`);
                }
              }
            }
            if (peer.podSelector || peer.namespaceSelector) {
              report.at(o, peer.node, 'A NetworkPolicy peer may not combine `ipBlock` with a pod or namespace selector.');
            }
          }
          for (const portNode of seqItems(get(asMap(nodeAt(o.node, rule.node)), 'ports'))) {
            const pm = asMap(portNode);
            const port = asScalar(get(pm, 'port'))?.value;
            const endPort = asScalar(get(pm, 'endPort'))?.value;
            if (typeof endPort === 'number' && (typeof port !== 'number' || endPort < port)) {
              report.at(o, get(pm, 'endPort'), `endPort ${endPort} needs a numeric \`port\` no greater than it.`);
            }
          }
        }
      }
    },
  },
});
