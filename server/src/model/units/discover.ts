// Splitting a workspace into apply units: what would be applied together, each analysed as
// its own cluster. The rules (README "Apply units"):
// 1. A Helm chart (a folder with Chart.yaml) is one unit; nothing below it is read raw.
// 2. A Kustomize root (a kustomization no other kustomization uses) is one unit, read
//    through its `resources` and `components`; every other file below a kustomization's
//    folder (patches, generator inputs, unused components) is not read as objects.
// 3. Units declared in `.ksi.yaml` / the `units` setting (globs of folders or files).
// 4. The remaining plain files: a folder is one unit unless two of its files declare the
//    same object (kind, namespace, name); then it is split at its subfolders, and its own
//    files form one unit, or one unit each when they too declare the same objects.
import picomatch from 'picomatch';
import { isRemote, Kustomization } from './kustomization';
import { dirOf, isUnder, joinPath, relativeTo } from './paths';

export type UnitKind = 'plain' | 'kustomize' | 'helm';

export interface UnitNote {
  uri: string;
  message: string;
}

export interface UnitPlan {
  /** The unit's root: a folder, a file, or a kustomization folder. */
  id: string;
  /** The root relative to the workspace folder, for people. */
  name: string;
  kind: UnitKind;
  /** How the unit was found. */
  origin: 'folder' | 'file' | 'declared' | 'kustomize' | 'helm';
  /** False when the manifests as read differ from what would be applied (transformers not
   *  applied): then only findings nothing could change are reported. */
  exact: boolean;
  /** Files read as objects, with the namespace that replaces their objects' own, if any. */
  files: Map<string, { forceNamespace?: string }>;
  notes: UnitNote[];
  /** Kustomize: the kustomization folders the root reads (a renderer reads below them). */
  inputDirs?: string[];
  /** Kustomize: remote resources it names (never fetched). */
  remote?: string[];
}

export interface WorkspaceFacts {
  /** Every file, sorted. */
  uris: string[];
  /** Kustomization files by folder. */
  kustomizations: Map<string, { uri: string; k: Kustomization }>;
  /** Chart.yaml files by folder. */
  charts: Map<string, string>;
  /** Identities (`group/Kind/namespace/name`) of the objects a plain file declares. */
  identities(uri: string): readonly string[];
  /** Workspace folders (units are named relative to them). */
  roots: string[];
  /** Declared units: globs relative to a workspace folder. */
  declared: { root: string; patterns: string[] }[];
}

export function discoverUnits(facts: WorkspaceFacts): UnitPlan[] {
  const units: UnitPlan[] = [];
  const rootOf = (uri: string) => facts.roots.filter((r) => isUnder(uri, r)).sort((a, b) => b.length - a.length)[0] ?? '';
  const nameOf = (uri: string) => relativeTo(rootOf(uri), uri);
  const owned = new Set<string>();

  // 1. Helm charts (a chart inside another chart's charts/ is a dependency, not a unit).
  const chartDirs = [...facts.charts.keys()].sort();
  for (const dir of chartDirs) {
    if (chartDirs.some((d) => d !== dir && isUnder(dir, d))) continue;
    const chartFile = facts.charts.get(dir)!;
    units.push({
      id: dir, name: nameOf(dir), kind: 'helm', origin: 'helm', exact: false, files: new Map(),
      notes: [{ uri: chartFile, message: `Helm chart \`${nameOf(dir)}\` is not analysed: its templates must be rendered first. For results, let Kube Service Insight render it: put helm on PATH or set \`kubeServiceInsight.helmPath\` (CLI: \`--helm\`), in a trusted workspace; or analyse \`helm template ${nameOf(dir)} | ksi check -\`.` }],
    });
  }
  const inChart = (uri: string) => chartDirs.some((d) => isUnder(uri, d));
  for (const uri of facts.uris) if (inChart(uri)) owned.add(uri);

  // 2. Kustomize roots.
  const kDirs = [...facts.kustomizations.keys()].filter((d) => !inChart(d + '/x')).sort();
  const used = new Set<string>();
  for (const dir of kDirs) {
    const { k } = facts.kustomizations.get(dir)!;
    for (const entry of [...k.resources, ...k.components]) {
      if (isRemote(entry)) continue;
      const target = joinPath(dir, entry);
      if (facts.kustomizations.has(target) && target !== dir) used.add(target);
    }
  }
  // Every file below a kustomization's folder belongs to Kustomize: read only as a resource.
  const kRoots = kDirs.filter((d) => !used.has(d) && facts.kustomizations.get(d)!.k.kind === 'Kustomization');
  const referencedFiles = new Set<string>();
  const fileSet = new Set(facts.uris);
  for (const dir of kRoots) {
    const unit = readKustomizeRoot(dir, facts, fileSet, nameOf);
    for (const f of unit.files.keys()) referencedFiles.add(f);
    units.push(unit);
  }
  for (const uri of facts.uris) {
    if (owned.has(uri)) continue;
    if (referencedFiles.has(uri) || kDirs.some((d) => isUnder(uri, d))) owned.add(uri);
  }

  // 3. Declared units.
  // `.ksi.yaml` is configuration, not a manifest.
  const plain = facts.uris.filter((u) => !owned.has(u) && !facts.roots.some((r) => u === (r ? `${r}/.ksi.yaml` : '.ksi.yaml')));
  const claimed = new Set<string>();
  for (const { root, patterns } of facts.declared) {
    if (!patterns.length) continue;
    const match = picomatch(patterns, { dot: true });
    const targets = new Set<string>();
    for (const uri of plain) {
      if (!isUnder(uri, root)) continue;
      // The deepest folder (or the file itself) that a pattern names is the unit's root.
      for (let at = uri; at.length > root.length; at = dirOf(at)) {
        const rel = relativeTo(root, at);
        if (match(rel)) {
          targets.add(at);
          break;
        }
      }
      if (![...targets].some((t) => isUnder(uri, t)) && (patterns.includes('.') || match('.'))) targets.add(root);
    }
    for (const t of [...targets].sort()) {
      const files = plain.filter((u) => !claimed.has(u) && isUnder(u, t));
      if (!files.length) continue;
      for (const f of files) claimed.add(f);
      units.push({ id: t, name: nameOf(t), kind: 'plain', origin: 'declared', exact: true, files: new Map(files.map((f) => [f, {}])), notes: [] });
    }
  }

  // 4. Plain folders, split where they hold alternatives.
  const rest = plain.filter((u) => !claimed.has(u));
  const byRoot = new Map<string, string[]>();
  for (const uri of rest) {
    const r = rootOf(uri);
    const list = byRoot.get(r) ?? [];
    list.push(uri);
    byRoot.set(r, list);
  }
  for (const [root, files] of [...byRoot].sort((a, b) => (a[0] < b[0] ? -1 : 1))) splitFolder(root, files, facts, nameOf, units);
  return units.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function readKustomizeRoot(dir: string, facts: WorkspaceFacts, fileSet: Set<string>, nameOf: (u: string) => string): UnitPlan {
  const files = new Map<string, { forceNamespace?: string }>();
  const notApplied: string[] = [];
  const missing: string[] = [];
  const visited = new Set<string>();
  const remote: string[] = [];
  const visit = (kdir: string, forced: string | undefined) => {
    if (visited.has(kdir)) return;
    visited.add(kdir);
    const entry = facts.kustomizations.get(kdir);
    if (!entry) return;
    const { k, uri } = entry;
    if (k.problem) notApplied.push(`${nameOf(uri)} (unreadable: ${k.problem})`);
    // The outermost kustomization's namespace wins: kustomize applies it last.
    const ns = forced ?? k.namespace;
    for (const t of k.transformers) notApplied.push(`\`${t}\` in ${nameOf(uri)}`);
    for (const r of [...k.resources, ...k.components]) {
      if (isRemote(r)) {
        missing.push(`remote resource ${r}`);
        remote.push(r);
        continue;
      }
      const target = joinPath(kdir, r);
      if (facts.kustomizations.has(target)) visit(target, ns);
      else if (fileSet.has(target)) {
        if (!files.has(target)) files.set(target, ns ? { forceNamespace: ns } : {});
      } else if (!facts.uris.some((u) => isUnder(u, target))) missing.push(`${r} (named in ${nameOf(uri)})`);
    }
  };
  visit(dir, undefined);
  const rootUri = facts.kustomizations.get(dir)!.uri;
  const exact = notApplied.length === 0;
  const parts = [`Kustomize root \`${nameOf(dir)}\` is read without rendering: ${files.size} resource file${files.size === 1 ? '' : 's'}${exact ? ', nothing left unapplied' : ''}.`];
  if (!exact) parts.push(`Not applied: ${notApplied.slice(0, 8).join(', ')}${notApplied.length > 8 ? `, and ${notApplied.length - 8} more` : ''}; findings they could change are not reported.`);
  if (missing.length) parts.push(`Not found: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}.`);
  if (!exact) parts.push(`For exact results, let Kube Service Insight render it: put kubectl (or kustomize) on PATH or set \`kubeServiceInsight.kubectlPath\` (CLI: \`--kubectl\`), in a trusted workspace; or analyse \`kubectl kustomize ${nameOf(dir)} | ksi check -\`.`);
  return { id: dir, name: nameOf(dir), kind: 'kustomize', origin: 'kustomize', exact, files, notes: [{ uri: rootUri, message: parts.join(' ') }], inputDirs: [...visited].filter((d) => facts.kustomizations.has(d)), remote };
}

function hasConflict(files: string[], facts: WorkspaceFacts): [string, string, string] | undefined {
  const seen = new Map<string, string>();
  for (const f of files) {
    for (const id of new Set(facts.identities(f))) {
      const other = seen.get(id);
      if (other !== undefined && other !== f) return [id, other, f];
      seen.set(id, f);
    }
  }
  return undefined;
}

function commonFolder(dir: string, files: string[]): string {
  let common = dirOf(files[0]);
  for (const f of files) while (common.length > dir.length && !isUnder(f, common)) common = dirOf(common);
  return common.length < dir.length ? dir : common;
}

function splitFolder(dir: string, files: string[], facts: WorkspaceFacts, nameOf: (u: string) => string, out: UnitPlan[]) {
  const conflict = hasConflict(files, facts);
  const plain = (id: string, name: string, origin: UnitPlan['origin'], list: string[]): UnitPlan =>
    ({ id, name, kind: 'plain', origin, exact: true, files: new Map(list.map((f) => [f, {}])), notes: [] });
  if (!conflict) {
    // Named after the deepest folder that holds all its files.
    const at = files.length ? commonFolder(dir, files) : dir;
    if (files.length) out.push(plain(at, nameOf(at), 'folder', files));
    return;
  }
  const first = out.length;
  const direct = files.filter((f) => dirOf(f) === dir);
  const children = new Map<string, string[]>();
  for (const f of files) {
    if (dirOf(f) === dir) continue;
    const child = (dir ? dir + '/' : '') + f.slice(dir.length + (dir ? 1 : 0)).split('/')[0];
    children.set(child, [...(children.get(child) ?? []), f]);
  }
  if (direct.length && hasConflict(direct, facts)) for (const f of direct) out.push(plain(f, nameOf(f), 'file', [f]));
  else if (direct.length) out.push(plain(dir, `${nameOf(dir)} (files directly in it)`, 'folder', direct));
  for (const [child, list] of [...children].sort((x, y) => (x[0] < y[0] ? -1 : 1))) splitFolder(child, list, facts, nameOf, out);
  // One note, on the unit of the second declaration, says why the folder was split.
  const [id, a, b] = conflict;
  const [, kind, ns, name] = id.split('/');
  out.slice(first).find((u) => u.files.has(b))?.notes.push({
    uri: b,
    message: `\`${nameOf(a)}\` and \`${nameOf(b)}\` both declare ${kind} \`${ns ? `${ns}/` : ''}${name}\`, so \`${nameOf(dir)}\` is read as alternatives (separate apply units), not one cluster. If they are applied together, declare the unit in .ksi.yaml (\`units: [${nameOf(dir)}]\`).`,
  });
}
