// The page of each rule (docs/rules/<code>.md) and their index, made from the registry and
// the rule's fixtures: what it means, how to configure it, and its fixtures as examples.
import { scopeOf } from '../../server/src/model/rules/rule';
import type { RuleDefinition } from '../../server/src/model/rules/rule';
import { RULES } from '../../server/src/model/rules';
import { analyseFixture, Fixture, fixturesOf } from './ruleFixtures';

function fence(name: string, text: string): string {
  const lang = name.endsWith('.json') ? 'json' : 'yaml';
  return `\`${name}\`\n\n\`\`\`${lang}\n${text.replace(/\n+$/, '')}\n\`\`\``;
}

function example(rule: RuleDefinition, f: Fixture): string {
  const { diagnostics } = analyseFixture(f);
  const title = f.kind === 'fires'
    ? `Reported${f.case ? (rule.cases ? ` (case \`${f.case}\`)` : `: ${f.case.replace(/-/g, ' ')}`) : ''}`
    : `Not reported (near miss${f.name === 'quiet' ? '' : `: ${f.name.slice('quiet-'.length).replace(/-/g, ' ')}`})`;
  const files = [...f.files].map(([name, text]) => fence(name, text));
  for (const name of f.raw.keys()) files.push(`\`${name}\` (not text)`);
  const at = (uri: string, r: { start: { line: number; character: number } }) => `${uri}:${r.start.line + 1}:${r.start.character + 1}`;
  const findings = diagnostics.map((d) => [
    `- \`${at(d.uri, d.range)}\` ${d.severity} \`${d.code}\`: ${d.message}`,
    ...(d.related ?? []).map((r) => `  - related \`${at(r.uri, r.range)}\`: ${r.message}`),
    ...(d.fixes ?? []).map((x) => `  - quick fix: ${x.title}`),
  ].join('\n'));
  const parts = [`### ${title}`, ...files, findings.length ? `Findings:\n\n${findings.join('\n')}` : 'No findings.'];
  if (f.fixed) parts.push(`After the quick fix:\n\n${fence([...f.files.keys()][0], f.fixed)}`);
  return parts.join('\n\n');
}

export function rulePage(rule: RuleDefinition): string {
  const scopes = scopeOf(rule);
  const fixtures = fixturesOf(rule.code);
  const lines = [
    `# \`${rule.code}\``,
    '',
    `${rule.title}.`,
    '',
    `For example: ${rule.example}.`,
    '',
    `| Default severity | Scope | Reads |`,
    `|---|---|---|`,
    `| ${rule.severity} | ${scopes.join(', ')}${rule.reportedBy ? ` (reported by \`${rule.reportedBy}\`)` : ''} | ${rule.kinds.length ? rule.kinds.map((k) => (k === '*' ? 'every kind' : k)).join(', ') : '—'} |`,
    '',
    '## Why it matters',
    '',
    `${rule.why}.`,
    ...(rule.rejectedBy ? ['', `Rejected by: ${rule.rejectedBy}.`] : []),
    '',
    '## How to fix',
    '',
    `${rule.fix}.`,
    '',
  ];
  if (rule.cases) {
    lines.push('## Cases', '', 'This code covers several mistakes; each has its own example below.', '');
    for (const [id, text] of Object.entries(rule.cases)) lines.push(`- \`${id}\`: ${text}.`);
    lines.push('');
  }
  lines.push(
    '## Configuration',
    '',
    `- Turn it off or change its severity: \`rules: {${rule.code}: off}\` (or \`information\`, \`warning\`, \`error\`) in \`.ksi.yaml\` or the \`kubeServiceInsight.rules\` setting; \`ksi check --disable ${rule.code}\`.`,
    `- Ignore one finding: a \`# ksi-ignore ${rule.code}: reason\` comment on its line or the line above, or the annotation \`kube-service-insight.io/ignore: ${rule.code}\` on the object.`,
    '',
    '## Examples',
    '',
    ...(rule.rendered
      ? ['Reported only about units rendered by the real Kustomize or Helm: the trees in `test/render/fixtures` plant it (`# seeded: ' + rule.code + '`), and `test/render/render.test.ts` renders them with kubectl and helm.\n']
      : fixtures.map((f) => `${example(rule, f)}\n`)),
  );
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

export function rulesIndex(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '# Rules',
    '',
    'Every finding Kube Service Insight reports, generated from the rule registry (`server/src/model/rules`). `ksi rules` lists them with the severities in effect.',
    '',
    '| Code | Default severity | Scope | What it means |',
    '|---|---|---|---|',
    ...(RULES as readonly RuleDefinition[]).map((r) => `| [\`${r.code}\`](${r.code}.md) | ${r.severity} | ${scopeOf(r).join(', ')} | ${esc(r.title)} |`),
    '',
  ].join('\n');
}
