// `ksi`: the analyser on the command line (terminals and CI).
import { parseArgs } from 'util';
import { listServices, ServiceView, Settings } from '../model';
import { formatJson, formatSarif, formatText, summarize } from './format';
import { loadModel, UsageError } from './load';

const VERSION = '0.1.0';

const USAGE = `Usage: ksi <command> [PATH...] [options]

Commands:
  check [PATH...]      Report networking problems in the manifests (default PATH: .)
  services [PATH...]   List every Service with its ports, endpoints and DNS names

Options:
  --namespace NS       Namespace for objects that name none (default: default)
  --format FORMAT      check: text | json | sarif; services: text | json (default: text)
  --fail-on LEVEL      check: exit 1 on findings at or above error | warning (default: error)
  --cluster-domain D   Cluster DNS domain (default: cluster.local)
  --exclude GLOB       Skip matching files (repeatable; node_modules and .git are always skipped)
  -h, --help           Show this help
  -v, --version        Show the version

Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or unreadable input.`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export function run(argv: string[], io: Io): number {
  try {
    return runOrThrow(argv, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`ksi: ${(e as Error).message}\n${(e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? `\n${USAGE}\n` : ''}`);
      return 2;
    }
    io.err(`ksi: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

function runOrThrow(argv: string[], io: Io): number {
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
  switch (command) {
    case 'check': return check(paths, settings, values.format ?? 'text', values['fail-on'] ?? 'error', io);
    case 'services': return services(paths, settings, values.format ?? 'text', io);
    default: throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
  }
}

function check(paths: string[], settings: Partial<Settings>, format: string, failOn: string, io: Io): number {
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  if (!['error', 'warning'].includes(failOn)) throw new UsageError(`--fail-on must be error or warning, not '${failOn}'`);
  const model = loadModel(paths, settings);
  const diags = [...model.allDiagnostics().values()].flat();
  const summary = summarize(diags, model.uris().length, model.objects().length);
  if (format === 'json') io.out(formatJson(diags, summary));
  else if (format === 'sarif') io.out(formatSarif(diags, VERSION));
  else io.out(formatText(diags, summary, io.isTTY));
  const failing = diags.some((d) => d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning'));
  return failing ? 1 : 0;
}

function services(paths: string[], settings: Partial<Settings>, format: string, io: Io): number {
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not '${format}'`);
  const model = loadModel(paths, settings);
  const list = listServices(model);
  if (format === 'json') {
    io.out(JSON.stringify({ version: 1, services: list }, null, 2) + '\n');
  } else {
    io.out(list.map(serviceText).join('\n') + `${list.length} Service${list.length === 1 ? '' : 's'}; values marked * are simulated.\n`);
  }
  return 0;
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
    lines.push(`  endpoints: ${s.endpoints.map((e) => `${e.pod ?? e.source} ${e.ip ?? '?'}${star(e.simulated)}${e.node ? ` @${e.node}${star(e.simulated)}` : ''}`).join(', ')}`);
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
  const code = run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: !!process.stdout.isTTY && !process.env.NO_COLOR,
  });
  process.exitCode = code;
}
