// `ksi`: the analyser on the command line (terminals and CI).
import { parseArgs } from 'util';
import { allowedText, buildTopology, CallVerdict, callsReport, ClusterModel, connectionsOf, ConnectionReport, listServices, outsideText, reachOf, ServiceView, Settings, simulate, SimulationResult, topologyToDot, topologyToMermaid, UnitInfo, WorkspaceModel } from '../model';
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE, readConfig } from '../model/config';
import { RULES, ruleOf } from '../model/rules';
import { scopeOf } from '../model/rules/rule';
import { closest } from '../model/suggest';
import { formatJson, formatSarif, formatText, summarize } from './format';
import { loadWorkspace as loadPaths, UsageError } from './load';
import { DEFAULT_RENDER, RenderRun, RenderSettings } from '../workspace/render/driver';
import { growHeapInSmallSteps } from '../workspace/heap';

growHeapInSmallSteps();

/** How this invocation renders (set from the flags before the command runs). */
let rendering: RenderSettings | false = DEFAULT_RENDER;
let lastRender: RenderRun | undefined;

function loadWorkspace(paths: string[], settings: Partial<Settings>): Promise<WorkspaceModel> {
  lastRender = undefined;
  return loadPaths(paths, settings, { render: rendering, onRender: (r) => { lastRender = r; } });
}

const VERSION = '0.1.0';

const USAGE = `Usage: ksi <command> [PATH...] [options]

Commands:
  check [PATH...]      Report networking problems in the manifests (default PATH: .)
  services [PATH...]   List every Service with its ports, endpoints and DNS names
  simulate [PATH...] --from SOURCE --to TARGET
                       Play a request through DNS, Ingress, Service, endpoints and policies
  graph [PATH...]      Print the service topology
  connections [PATH...]
                       Who may talk to whom under the NetworkPolicies: every ordered pair of
                       workloads, and the outside address ranges ipBlocks name, with the ports
  calls [PATH...]      The service calls the manifests declare (env values, args, commands,
                       ConfigMaps), each played from the caller's pods: works, or why not
  units [PATH...]      List the apply units found (what is applied together)
  rules [PATH]         List every rule with the severity in effect (.ksi.yaml at PATH, flags)

PATH may be - for standard input (e.g. \`kubectl kustomize overlays/prod | ksi check -\`).
Kustomize roots and Helm charts are rendered by the real tools when they are found
(\`kubectl kustomize\`, \`helm template\`), in a clean environment: no cluster, no network.

Options:
  --namespace NS       Namespace for objects that name none (default: default); connections:
                       also list only connections from or to a workload in NS; calls: only
                       calls from workloads in NS
  --format FORMAT      check: text | json | sarif; services, simulate, calls: text | json;
                       graph: json | dot | mermaid; connections: text | json | dot
                       (default: text, graph: json)
  --fail-on LEVEL      check: exit 1 on findings at or above error | warning, or never (default: error)
  --disable CODE       check, rules: turn a rule off (repeatable; over .ksi.yaml's rules:)
  --enable CODE        check, rules: turn a rule on at its default severity (repeatable)
  --from SOURCE        simulate: external | node/<name> | <namespace>/<kind>/<name> (kind: pod,
                       deployment, statefulset, daemonset, replicaset, job, cronjob)
  --to TARGET          simulate: URL or host[:port][/path] (Service name, pod DNS name,
                       cluster/pod/node IP, Ingress host, load-balancer address, outside name)
  --requests N         simulate: how many requests to balance (default 1)
  --client-ip IP       simulate: the external client's address
  --seed S             simulate: seed of kube-proxy's random choice (default 1)
  --proxy-mode MODE    simulate: iptables (random, default) | ipvs (round robin)
  --unit UNIT          services, simulate, graph, connections: the apply unit to use (see \`ksi units\`;
                       default: every unit for services, the largest unit otherwise)
  --no-render          Read Kustomize trees and Helm charts raw instead of rendering them
  --kubectl PATH       kubectl used for \`kubectl kustomize\` (default: kubectl on PATH)
  --kustomize PATH     a kustomize binary to use instead of kubectl
  --helm PATH          helm used for \`helm template\` (default: helm on PATH)
  --render-timeout S   Seconds one unit may take to render (default: 10)
  --cluster-domain D   Cluster DNS domain (default: cluster.local)
  --exclude GLOB       Skip matching files (repeatable; node_modules and .git are always skipped)
  -h, --help           Show this help
  -v, --version        Show the version

Exit status: 0 clean (simulate: the request succeeds), 1 findings at or above --fail-on
(simulate: the request fails), 2 usage or unreadable input (simulate: unknown source/target).`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    return await runOrThrow(argv, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`ksi: ${(e as Error).message}\n${(e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? `\n${USAGE}\n` : ''}`);
      return 2;
    }
    io.err(`ksi: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

async function runOrThrow(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      namespace: { type: 'string' },
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      'cluster-domain': { type: 'string' },
      exclude: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      requests: { type: 'string' },
      'client-ip': { type: 'string' },
      seed: { type: 'string' },
      'proxy-mode': { type: 'string' },
      unit: { type: 'string' },
      'no-render': { type: 'boolean' },
      kubectl: { type: 'string' },
      kustomize: { type: 'string' },
      helm: { type: 'string' },
      'render-timeout': { type: 'string' },
      disable: { type: 'string', multiple: true },
      enable: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const settings: Partial<Settings> = {};
  if (values.namespace !== undefined) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(values.namespace)) throw new UsageError(`--namespace ${values.namespace} is not a valid namespace name`);
    settings.defaultNamespace = values.namespace;
  }
  if (values['cluster-domain'] !== undefined) settings.clusterDomain = values['cluster-domain'];
  if (values.exclude) settings.exclude = values.exclude;
  if (values.disable || values.enable) settings.rules = ruleFlags(values.disable ?? [], values.enable ?? []);
  rendering = values['no-render'] ? false : {
    ...DEFAULT_RENDER, kubectlPath: values.kubectl, kustomizePath: values.kustomize, helmPath: values.helm,
    timeoutMs: positiveInt('render-timeout', values['render-timeout'], DEFAULT_RENDER.timeoutMs / 1000, 3600) * 1000,
  };
  switch (command) {
    case 'check': return check(paths, settings, values.format ?? 'text', values['fail-on'] ?? 'error', io);
    case 'services': return services(paths, settings, values.format ?? 'text', values.unit, io);
    case 'simulate': return simulateCommand(paths, settings, values, io);
    case 'graph': return graph(paths, settings, values.format ?? 'json', values.unit, io);
    case 'connections': return connections(paths, settings, values.format ?? 'text', values.unit, values.namespace, io);
    case 'calls': return calls(paths, settings, values.format ?? 'text', values.unit, values.namespace, io);
    case 'units': return units(paths, settings, values.format ?? 'text', io);
    case 'rules': return rules(paths, settings, values.format ?? 'text', io);
    default: throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
  }
}

async function check(paths: string[], settings: Partial<Settings>, format: string, failOn: string, io: Io): Promise<number> {
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  if (!['error', 'warning', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or never, not '${failOn}'`);
  const workspace = await loadWorkspace(paths, settings);
  // By file, in path order: files are read in no fixed order (a worker thread shares the reading).
  const all = workspace.allDiagnostics();
  const diags = workspace.uris().flatMap((uri) => all.get(uri) ?? []);
  const found = workspace.units();
  const summary = summarize(diags, workspace.uris().length, workspace.objectCount(), found.length, workspace.chartCount(), workspace.suppressedCount());
  for (const p of lastRender?.tools.problems ?? []) io.err(`ksi: ${p}\n`);
  if (format === 'json') io.out(formatJson(diags, summary));
  else if (format === 'sarif') io.out(formatSarif(diags, VERSION));
  else io.out(formatText(diags, summary, io.isTTY));
  const failing = failOn !== 'never' && diags.some((d) => d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning'));
  return failing ? 1 : 0;
}

/** `--disable` / `--enable` as rule settings (a code named by both is an error). */
function ruleFlags(disable: string[], enable: string[]): Settings['rules'] {
  const rules: Settings['rules'] = {};
  for (const [flag, codes] of [['disable', disable], ['enable', enable]] as const) {
    for (const code of codes.flatMap((c) => c.split(',')).filter(Boolean)) {
      const rule = ruleOf(code);
      if (!rule) {
        const guess = closest(code, RULES.map((r) => r.code));
        throw new UsageError(`--${flag} ${code}: no such rule${guess ? `; did you mean ${guess}?` : ' (see `ksi rules`)'}`);
      }
      if (rules[code] !== undefined && (rules[code] === 'off') !== (flag === 'disable')) throw new UsageError(`${code} is both disabled and enabled`);
      rules[code] = flag === 'disable' ? 'off' : rule.severity;
    }
  }
  return rules;
}

async function rules(paths: string[], settings: Partial<Settings>, format: string, io: Io): Promise<number> {
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not '${format}'`);
  if (paths.length > 1) throw new UsageError('rules takes at most one PATH (the folder whose .ksi.yaml applies)');
  const dir = paths[0] ?? '.';
  const file = path.join(fs.existsSync(dir) && fs.statSync(dir).isFile() ? path.dirname(dir) : dir, CONFIG_FILE);
  const config = fs.existsSync(file) ? readConfig(file, fs.readFileSync(file, 'utf8')) : undefined;
  for (const p of config?.problems ?? []) io.err(`${file}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code} ${p.message}\n`);
  const list = RULES.map((r) => {
    const flag = settings.rules?.[r.code];
    const fromFile = config?.rules[r.code];
    const setting = flag ?? fromFile ?? r.severity;
    return {
      code: r.code, title: r.title, defaultSeverity: r.severity, enabled: setting !== 'off',
      severity: setting === 'off' ? null : setting,
      source: flag !== undefined ? 'command line' : fromFile !== undefined ? CONFIG_FILE : 'default',
      scope: scopeOf(r), docs: `docs/rules/${r.code}.md`,
    };
  });
  if (format === 'json') {
    io.out(JSON.stringify({ version: 1, rules: list }, null, 2) + '\n');
    return config?.problems.length ? 2 : 0;
  }
  const width = Math.max(...list.map((r) => r.code.length));
  const lines = [`${'RULE'.padEnd(width)}  SEVERITY     SET BY        WHAT IT MEANS`];
  for (const r of list) lines.push(`${r.code.padEnd(width)}  ${(r.severity ?? 'off').padEnd(11)}  ${r.source.padEnd(12)}  ${r.title}`);
  const off = list.filter((r) => !r.enabled).length;
  lines.push(`${list.length} rules, ${list.length - off} on${off ? `, ${off} off` : ''}`);
  io.out(lines.join('\n') + '\n');
  return config?.problems.length ? 2 : 0;
}

/** The units a command works on: the one named by --unit, or every analysed unit. */
function chooseUnits(workspace: WorkspaceModel, unit: string | undefined): { info: UnitInfo; model: ClusterModel }[] {
  const analysed = workspace.units().filter((u) => u.kind !== 'helm' || u.renderer);
  if (unit === undefined) return analysed.map((info) => ({ info, model: workspace.unitModel(info.id)! }));
  const info = analysed.find((u) => u.name === unit || u.id === unit);
  if (!info) throw new UsageError(`no apply unit '${unit}'; the units are: ${analysed.map((u) => u.name).join(', ') || 'none'}`);
  return [{ info, model: workspace.unitModel(info.id)! }];
}

/** The largest unit, with a note on stderr when there are others to choose from. */
function mainUnit(workspace: WorkspaceModel, unit: string | undefined, io: Io, pick?: (m: ClusterModel) => boolean): ClusterModel {
  const all = chooseUnits(workspace, unit);
  if (all.length <= 1) return all[0]?.model ?? new ClusterModel(workspace.settings);
  const ranked = [...all].sort((a, b) => b.info.objects - a.info.objects);
  const chosen = (pick && ranked.find((u) => pick(u.model))) || ranked[0];
  io.err(`ksi: ${all.length} apply units; using ${chosen.info.name} (choose with --unit; see \`ksi units\`)\n`);
  return chosen.model;
}

async function services(paths: string[], settings: Partial<Settings>, format: string, unit: string | undefined, io: Io): Promise<number> {
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not '${format}'`);
  const chosen = chooseUnits(await loadWorkspace(paths, settings), unit);
  const many = chosen.length > 1;
  const lists = chosen.map(({ info, model }) => ({ unit: info.name, services: listServices(model) }));
  const count = lists.reduce((n, l) => n + l.services.length, 0);
  if (format === 'json') {
    const services = lists.flatMap((l) => l.services.map((s) => (many ? { ...s, unit: l.unit } : s)));
    io.out(JSON.stringify({ version: 1, services }, null, 2) + '\n');
  } else {
    const text = lists.filter((l) => l.services.length).map((l) => (many ? `== ${l.unit}\n` : '') + l.services.map(serviceText).join('\n')).join('\n');
    io.out(text + `${count} Service${count === 1 ? '' : 's'}${many ? ` in ${chosen.length} apply units` : ''}; values marked * are simulated.\n`);
  }
  return 0;
}

async function units(paths: string[], settings: Partial<Settings>, format: string, io: Io): Promise<number> {
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not '${format}'`);
  const found = (await loadWorkspace(paths, settings)).units();
  const tools = lastRender?.tools;
  const renderers = rendering === false ? 'off (--no-render)' : `${tools?.kustomize?.version ?? 'no kubectl or kustomize found'}; ${tools?.helm?.version ?? 'no helm found'}`;
  if (format === 'json') {
    io.out(JSON.stringify({ version: 1, renderers: rendering === false ? null : { kustomize: tools?.kustomize?.version ?? null, helm: tools?.helm?.version ?? null }, units: found.map(({ id: _id, ...u }) => u) }, null, 2) + '\n');
    return 0;
  }
  const width = Math.max(4, ...found.map((u) => u.name.length));
  const lines = [`${'UNIT'.padEnd(width)}  ${'READ AS'.padEnd(48)}  FILES  OBJECTS  FINDINGS`];
  for (const u of found) {
    const objects = `${u.objects}${u.customObjects ? ` (${u.customObjects} custom)` : ''}`;
    lines.push(`${u.name.padEnd(width)}  ${u.readAs.padEnd(48)}  ${String(u.files.length).padStart(5)}  ${objects.padStart(7)}  ${u.errors} errors, ${u.warnings} warnings, ${u.information} information`);
  }
  for (const u of found) if (u.valuesFiles && u.valuesFiles.length > 1) lines.push(`${u.name}: values files found: ${u.valuesFiles.map((v) => path.basename(v)).join(', ')} (choose with \`charts:\` in .ksi.yaml)`);
  lines.push(`${found.length} apply unit${found.length === 1 ? '' : 's'}; renderers: ${renderers}`);
  io.out(lines.join('\n') + '\n');
  return 0;
}

function positiveInt(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}, not '${raw}'`);
  return Number(raw);
}

async function simulateCommand(paths: string[], settings: Partial<Settings>, values: Record<string, string | boolean | string[] | undefined>, io: Io): Promise<number> {
  const format = (values.format as string | undefined) ?? 'text';
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not '${format}'`);
  if (!values.from || !values.to) throw new UsageError('simulate needs --from SOURCE and --to TARGET');
  const proxyMode = (values['proxy-mode'] as string | undefined) ?? 'iptables';
  if (proxyMode !== 'iptables' && proxyMode !== 'ipvs') throw new UsageError(`--proxy-mode must be iptables or ipvs, not '${proxyMode}'`);
  const requests = positiveInt('requests', values.requests as string | undefined, 1, 100_000);
  const seed = positiveInt('seed', values.seed as string | undefined, 1, 2 ** 31);
  const workspace = await loadWorkspace(paths, settings);
  const from = values.from as string;
  const model = mainUnit(workspace, values.unit as string | undefined, io, (m) => !['invalid-source'].includes(simulate(m, from, values.to as string, { requests: 1 }).error?.code ?? ''));
  const result = simulate(model, values.from as string, values.to as string, {
    requests, seed, proxyMode, clientIP: values['client-ip'] as string | undefined,
  });
  if (result.error && (result.error.code === 'invalid-source' || result.error.code === 'invalid-target')) {
    io.err(`ksi: ${result.error.message}${result.error.hint ? `\n${result.error.hint}` : ''}\n`);
    return 2;
  }
  io.out(format === 'json' ? JSON.stringify({ version: 1, ...result }, null, 2) + '\n' : simulationText(result, io.isTTY));
  return result.ok ? 0 : 1;
}

const STATUS_MARK: Record<string, string> = { ok: '✔', fail: '✘', info: '•', skip: '–' };

export function simulationText(r: SimulationResult, tty: boolean): string {
  const c = (code: string, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = [`Request from ${r.source.label} to ${r.target.input}`, ''];
  r.steps.forEach((s, i) => {
    const mark = STATUS_MARK[s.status];
    lines.push(`${String(i + 1).padStart(2)}. ${s.status === 'fail' ? c('31', mark) : s.status === 'ok' ? c('32', mark) : mark} ${s.title}`);
    for (const d of s.details) lines.push(`      ${d}`);
  });
  lines.push('');
  if (r.ok) {
    lines.push(c('32', `Result: OK${r.service ? ` — Service ${r.service}` : ''}${r.fqdn ? ` (${r.fqdn})` : ''}, ${r.endpoints.length} endpoint${r.endpoints.length === 1 ? '' : 's'}`));
    const max = Math.max(...r.distribution.map((d) => d.count), 1);
    const width = Math.max(...r.distribution.map((d) => d.endpoint.length));
    lines.push('', `Distribution over ${r.requests} request${r.requests === 1 ? '' : 's'}:`);
    for (const d of r.distribution) lines.push(`  ${d.endpoint.padEnd(width)}  ${'█'.repeat(Math.round((d.count / max) * 30)).padEnd(30)}  ${d.count}`);
  } else {
    lines.push(c('31', `Result: FAILED (${r.error!.code}) — ${r.error!.message}`));
    if (r.error!.hint) lines.push(`Hint: ${r.error!.hint}`);
  }
  lines.push('', r.note);
  return lines.join('\n') + '\n';
}

async function graph(paths: string[], settings: Partial<Settings>, format: string, unit: string | undefined, io: Io): Promise<number> {
  if (!['json', 'dot', 'mermaid'].includes(format)) throw new UsageError(`--format must be json, dot or mermaid, not '${format}'`);
  const topo = buildTopology(mainUnit(await loadWorkspace(paths, settings), unit, io));
  io.out(format === 'dot' ? topologyToDot(topo) : format === 'mermaid' ? topologyToMermaid(topo) : JSON.stringify({ version: 1, ...topo }, null, 2) + '\n');
  return 0;
}

async function connections(paths: string[], settings: Partial<Settings>, format: string, unit: string | undefined, namespace: string | undefined, io: Io): Promise<number> {
  if (!['text', 'json', 'dot'].includes(format)) throw new UsageError(`--format must be text, json or dot, not '${format}'`);
  const report = connectionsOf(mainUnit(await loadWorkspace(paths, settings), unit, io), { namespace });
  io.out(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : format === 'dot' ? connectionsDot(report) : connectionsText(report));
  return 0;
}

async function calls(paths: string[], settings: Partial<Settings>, format: string, unit: string | undefined, namespace: string | undefined, io: Io): Promise<number> {
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not '${format}'`);
  const chosen = chooseUnits(await loadWorkspace(paths, settings), unit);
  const many = chosen.length > 1;
  const lists = chosen.map(({ info, model }) => ({ unit: info.name, calls: callsReport(model, { namespace }).calls }));
  if (format === 'json') {
    io.out(JSON.stringify({ version: 1, calls: lists.flatMap((l) => l.calls.map((c) => (many ? { ...c, unit: l.unit } : c))) }, null, 2) + '\n');
    return 0;
  }
  const all = lists.flatMap((l) => l.calls);
  const text = lists.filter((l) => l.calls.length).map((l) => (many ? `== ${l.unit}\n` : '') + l.calls.map(callText).join('\n')).join('\n');
  const failing = all.filter((c) => !c.ok).length;
  io.out((text ? `${text}\n` : '') + `${all.length} call${all.length === 1 ? '' : 's'} found in the manifests, ${failing} that would fail` +
    `${many ? ` (${chosen.length} apply units)` : ''}. Simulated from the callers' pods; an address not written in the manifests (an image's default) is not seen.\n`);
  return 0;
}

function callText(c: CallVerdict): string {
  const target = `${c.host}${c.port !== null ? `:${c.port}` : ''}`;
  const head = `${c.ok ? '✔' : '✘'} ${c.from} → ${target}${c.service ? ` (Service ${c.service})` : ''}   [${c.container}: ${c.where}]`;
  return c.error ? `${head}\n    ${c.error.code}: ${c.error.message}` : head;
}

export function connectionsText(report: ConnectionReport): string {
  const fromWidth = Math.max(4, ...report.connections.map((c) => c.from.length));
  const toWidth = Math.max(2, ...report.connections.map((c) => c.to.length));
  const lines = [`${'FROM'.padEnd(fromWidth)}  ${'TO'.padEnd(toWidth)}  ALLOWED`];
  for (const c of report.connections) lines.push(`${c.from.padEnd(fromWidth)}  ${c.to.padEnd(toWidth)}  ${allowedText(c.allowed)}`);
  const reach = reachOf(report);
  lines.push('', 'Per workload:');
  for (const r of reach) {
    lines.push(`  ${r.id}: reaches ${r.reaches.length} workload${r.reaches.length === 1 ? '' : 's'}, reachable from ${r.reachedBy.length}; ${outsideText(r.fromOutside, 'from')}; ${outsideText(r.toOutside, 'to')}`);
  }
  lines.push('', `${report.connections.length} allowed connection${report.connections.length === 1 ? '' : 's'}; a pair not listed is denied. ` +
    'Computed from the NetworkPolicies alone (ipBlocks match outside addresses, not pods).');
  return lines.join('\n') + '\n';
}

function connectionsDot(report: ConnectionReport): string {
  const q = (s: string) => JSON.stringify(s);
  const nodes = [...new Set(report.connections.flatMap((c) => [c.from, c.to]))];
  return ['digraph connections {', '  rankdir=LR;',
    ...nodes.map((n) => `  ${q(n)} [shape=${/^\d/.test(n) ? 'note' : 'box'}];`),
    ...report.connections.map((c) => `  ${q(c.from)} -> ${q(c.to)} [label=${q(allowedText(c.allowed))}];`), '}', ''].join('\n');
}

function serviceText(s: ServiceView): string {
  const star = (b: boolean) => (b ? '*' : '');
  const lines = [`${s.namespace}/${s.name}  ${s.type}  ${s.headless ? 'headless' : s.clusterIP ? `${s.clusterIP}${star(s.clusterIPSimulated)}` : ''}  ${s.fqdn}`];
  if (s.externalName) lines.push(`  externalName: ${s.externalName}`);
  for (const p of s.ports) {
    const targets = p.targets.map((t) => `${t.workload}:${t.containerPort ?? 'unresolved'}${t.container ? ` (${t.container})` : ''}`).join(', ');
    lines.push(`  port ${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol} → ${p.targetPort}${p.nodePort ? `  nodePort ${p.nodePort}${star(p.nodePortSimulated)}` : ''}${targets ? `  [${targets}]` : ''}`);
  }
  if (s.selector) lines.push(`  selector: ${Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',')}  →  ${s.workloads.join(', ') || 'no workloads'}`);
  if (s.endpoints.length) {
    lines.push(`  endpoints: ${s.endpoints.map((e) => `${e.pod ?? e.source} ${e.ip ?? '?'}${star(e.simulated)}${e.hostNetwork ? ' (hostNetwork: node address)' : ''}${e.node ? ` @${e.node}${star(e.simulated)}` : ''}`).join(', ')}`);
  } else if (s.type !== 'ExternalName') lines.push('  endpoints: none');
  for (const d of s.dns) lines.push(`  dns: ${d.type} ${d.name} → ${d.value}${star(d.simulated)}`);
  if (s.loadBalancer) lines.push(`  load balancer: ${s.loadBalancer.pending ? '<pending> (no address in status)' : s.loadBalancer.addresses.join(', ')}`);
  if (s.sessionAffinity !== 'None') lines.push(`  sessionAffinity: ${s.sessionAffinity}`);
  if (s.externalTrafficPolicy !== 'Cluster' || s.internalTrafficPolicy !== 'Cluster') {
    lines.push(`  traffic policy: external ${s.externalTrafficPolicy}, internal ${s.internalTrafficPolicy}`);
  }
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  void run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: !!process.stdout.isTTY && !process.env.NO_COLOR,
  }).then((code) => { process.exitCode = code; });
}
