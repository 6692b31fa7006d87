// Why a Service selector matches nothing, for people: the nearest pod template, or pods with
// those labels in another namespace (a Service selects only in its own).
import type { NamespaceView } from './namespaceView';
import type { PodTemplate, ServiceInfo } from './objects';
import { hasSelector } from './objects';
import { editDistance } from './suggest';
import type { RelatedLocation, TextEditFix } from './types';
import { related } from './rules/report';
import type { ClusterContext, Report } from './rules/rule';
import { sameItems } from './namespaceView';

/** A selector Service of the namespace that selects no pod template there. */
export interface NoMatch {
  svc: ServiceInfo;
  nearest?: PodTemplate;
  /** Kept by the cluster check while the pods found elsewhere stay the same. */
  report?: { elsewhere: PodTemplate[]; findings: import('./types').Diagnostic[] };
}

export function servicesWithoutMatch(view: NamespaceView): NoMatch[] {
  const out: NoMatch[] = [];
  for (const svc of view.services.values()) {
    if (hasSelector(svc) && svc.type !== 'ExternalName' && view.resolve(svc).workloads.length === 0) {
      out.push({ svc, nearest: nearestWorkload(view.workloads, svc.selector!) });
    }
  }
  return out;
}

/** Pod templates in other namespaces that carry every pair of the selector. */
function matchesElsewhere(views: Map<string, NamespaceView>, namespacesWithLabels: (sel: Record<string, string>) => string[], here: string, selector: Record<string, string>): PodTemplate[] {
  return namespacesWithLabels(selector).filter((n) => n !== here).flatMap((n) => views.get(n)?.selectByLabels(selector) ?? []);
}

interface NoMatchHint {
  text: string;
  fixes: TextEditFix[];
  related: RelatedLocation[];
}

function noMatchHint(view: NamespaceView, elsewhere: PodTemplate[], svc: ServiceInfo, nearest: PodTemplate | undefined): NoMatchHint {
  const ref = (w: PodTemplate) => `${w.kind}/${w.name}`;
  const rel = (w: PodTemplate, message: string) => related(w.obj, w.labelsNode, message);
  const selector = svc.selector!;
  if (elsewhere.length) {
    return {
      text: ` Pods with these labels exist in namespace ${[...new Set(elsewhere.map((w) => `\`${w.namespace}\``))].join(', ')} ` +
        `(${elsewhere.slice(0, 3).map(ref).join(', ')}), but a Service selects only in its own namespace.`,
      fixes: [],
      related: elsewhere.slice(0, 3).map((w) => rel(w, `${ref(w)} in namespace ${w.namespace}`)),
    };
  }
  if (nearest) {
    const diffs = Object.entries(selector).filter(([k, v]) => nearest.labels[k] !== v);
    const fixes: TextEditFix[] = [];
    if (diffs.length === 1 && nearest.labels[diffs[0][0]] !== undefined) {
      const [k] = diffs[0];
      const valueNode = svc.selectorValues[k];
      if (valueNode) fixes.push({ title: `Change selector to ${k}: ${nearest.labels[k]}`, edits: [{ uri: svc.obj.uri, range: svc.obj.src.nodeRange(valueNode), newText: nearest.labels[k] }] });
    }
    return {
      text: ` Nearest: ${ref(nearest)} has ${diffs.map(([k]) => nearest.labels[k] !== undefined ? `${k}=${nearest.labels[k]}` : `no \`${k}\` label`).join(', ')}.`,
      fixes,
      related: [rel(nearest, `labels of ${ref(nearest)}`)],
    };
  }
  return { text: view.workloads.length === 0 ? ` Namespace \`${svc.namespace}\` has no workloads in this workspace.` : '', fixes: [], related: [] };
}

/** The workload sharing most selector pairs (ties: fewer differing keys, then name order). */
export function nearestWorkload(workloads: PodTemplate[], selector: Record<string, string>): PodTemplate | undefined {
  let best: PodTemplate | undefined;
  let bestScore = 0;
  const pairs = Object.entries(selector);
  for (const w of workloads) {
    let score = 0;
    for (const [k, v] of pairs) {
      const have = w.labels[k];
      if (have === v) score += 2;
      else if (have !== undefined) score += 1 + (have.includes(v) || v.includes(have) ? 0.5 : 0) - Math.min(0.4, editDistance(have, v) / 100);
    }
    if (score > bestScore) {
      bestScore = score;
      best = w;
    }
  }
  return best;
}

/** Reports each Service of the facts that selects nothing, with the hint; a finding is kept
 *  while the pods found elsewhere stay the same (so unchanged files stay unchanged). */
export function reportNoMatches(ctx: ClusterContext<NoMatch[]>, report: Report, message: (nm: NoMatch, view: NamespaceView, hint: NoMatchHint) => string): void {
  const byName = new Map(ctx.views.map((v) => [v.name, v]));
  ctx.views.forEach((view, i) => {
    for (const nm of ctx.facts[i]) {
      const elsewhere = matchesElsewhere(byName, ctx.namespacesWithLabels, view.name, nm.svc.selector!);
      if (!nm.report || !sameItems(nm.report.elsewhere, elsewhere)) {
        const hint = noMatchHint(view, elsewhere, nm.svc, nm.nearest);
        nm.report = { elsewhere, findings: report.collect((r) => r.at(nm.svc.obj, nm.svc.selectorNode, message(nm, view, hint), { fixes: hint.fixes, related: hint.related })) };
      }
      report.replay(nm.report.findings);
    }
  });
}
