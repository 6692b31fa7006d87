import type { Node } from 'yaml';
import type { NamespaceView } from '../../namespaceView';
import type { Diagnostic } from '../../types';
import type { NetworkPolicyInfo, PodTemplate } from '../../objects';
import { resolvConfOf } from '../../simulate/dns';
import { dnsEgress, labelsOfNamespace, PolicyScope } from '../../simulate/policy';
import { asMap, get, getPair } from '../../yamlNodes';
import { workloadRef } from '../report';
import { defineRule } from '../rule';

interface DnsFacts {
  view: NamespaceView;
  /** The findings for the kube-system labels they were made with. */
  kept?: { labels: string; findings: Diagnostic[] };
}

export default defineRule<'network-policy-dns-blocked', DnsFacts | undefined>({
  code: 'network-policy-dns-blocked', severity: 'warning', kinds: ['NetworkPolicy', 'Namespace'],
  title: 'Egress rules that do not allow DNS',
  why: 'Egress isolation also blocks the DNS queries to CoreDNS (UDP 53 in kube-system), so every name lookup fails',
  example: 'egress only to `app: db` on 5432',
  fix: 'Add an egress rule for UDP/TCP 53 to namespace kube-system, pods `k8s-app: kube-dns`',
  checks: {
    facts: (view) => (view.policies.some((p) => p.policyTypes.includes('Egress') && p.egress.length) ? { view } : undefined),
    cluster(ctx, report) {
      const byName = new Map(ctx.views.map((v) => [v.name, v]));
      // Evaluated as the simulator does: a DNS query from the pod to CoreDNS.
      const scope: PolicyScope = {
        policiesIn: (ns) => byName.get(ns)?.policies ?? [],
        namespaceLabels: (ns) => labelsOfNamespace(ctx.clusterObjects, ns),
      };
      const labels = JSON.stringify(scope.namespaceLabels('kube-system'));
      for (const f of ctx.facts) {
        if (!f) continue;
        if (f.kept?.labels !== labels) {
          f.kept = { labels, findings: report.collect((r) => {
            const blocked = new Map<NetworkPolicyInfo, PodTemplate[]>();
            for (const w of f.view.workloads) {
              if (!resolvConfOf(ctx.settings, w).clusterDns) continue;
              const verdict = dnsEgress(scope, w, ctx.settings);
              // Deny-all egress (no rules at all) is deliberate; rules that allow something
              // but not DNS are the classic self-inflicted outage.
              if (verdict.allowed || !verdict.isolating.some((p) => p.egress.length)) continue;
              // An ipBlock covering pod addresses allows DNS on CNIs that apply ipBlocks to pods.
              if (verdict.caveats.length) continue;
              for (const p of verdict.isolating) if (p.egress.length) blocked.set(p, [...(blocked.get(p) ?? []), w]);
            }
            for (const [pol, ws] of blocked) {
              const mentions53 = pol.egress.some((rule) => rule.ports.some((p) => p.port === 53 || p.port === 'dns'));
              r.at(pol.obj, getPair(asMap(get(pol.obj.node, 'spec')), 'egress')?.key as Node,
                `Egress from ${ws.map(workloadRef).join(', ')} is limited by NetworkPolicy \`${pol.name}\`, and no policy allows DNS to the cluster DNS pods ` +
                `(UDP 53 to namespace kube-system, \`k8s-app=kube-dns\`), so name lookups fail.` +
                (mentions53 ? ' A rule here allows port 53, but its peers do not include those pods (a podSelector alone selects in the policy\'s own namespace).' : ' Add an egress rule for UDP and TCP port 53.'));
            }
          }) };
        }
        report.replay(f.kept.findings);
      }
    },
  },
});
