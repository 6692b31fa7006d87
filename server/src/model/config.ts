// `.ksi.yaml`, the workspace file: apply units (`units: [globs]`) and rule settings
// (`rules: {code: off|information|warning|error}`). Problems are located findings.
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { finding, isRuleCode, RULES } from './rules';
import { closest } from './suggest';
import { ChartSetting, Diagnostic, Range, RULE_SETTINGS, RuleSetting } from './types';

export const CONFIG_FILE = '.ksi.yaml';

export interface WorkspaceConfig {
  units: string[];
  rules: Record<string, RuleSetting>;
  /** How each Helm chart is rendered, by chart folder relative to this folder. */
  charts: Record<string, ChartSetting>;
  problems: Diagnostic[];
}

export function readConfig(uri: string, text: string): WorkspaceConfig {
  const config: WorkspaceConfig = { units: [], rules: {}, charts: {}, problems: [] };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (o: number) => { const { line, col } = lines.linePos(o); return { line: line - 1, character: col - 1 }; };
  const span = (a: number, b: number): Range => ({ start: at(a), end: at(Math.max(a, b)) });
  const rangeOf = (node: Node | null | undefined): Range => span(node?.range?.[0] ?? 0, node?.range?.[1] ?? 0);
  const problem = (node: Node | null | undefined, message: string, fixes?: Diagnostic['fixes']) => config.problems.push(finding('config-invalid', uri, rangeOf(node), message, fixes ? { fixes } : {}));
  if (doc.errors.length) {
    const [a] = doc.errors[0].pos;
    config.problems.push(finding('config-invalid', uri, span(a, a + 1), `${CONFIG_FILE} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`));
    return config;
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return config;
  if (!isMap(root)) {
    problem(root, `${CONFIG_FILE} must be a map with \`units:\`, \`rules:\` and/or \`charts:\`.`);
    return config;
  }
  const units = root.get('units', true) as Node | undefined;
  if (units !== undefined) {
    if (!isSeq(units) || units.items.some((u) => !isScalar(u) || typeof u.value !== 'string')) {
      problem(units, `\`units\` in ${CONFIG_FILE} must be a list of globs (folders or files relative to this folder), e.g. \`units: [apps/*, install.yaml]\`.`);
    } else config.units = units.items.map((u) => String((u as { value: unknown }).value));
  }
  const rules = root.get('rules', true) as Node | undefined;
  if (rules !== undefined && !(isScalar(rules) && rules.value === null)) {
    if (!isMap(rules)) problem(rules, `\`rules\` in ${CONFIG_FILE} must map rule codes to off, information, warning or error, e.g. \`rules: {target-port-not-exposed: off}\`.`);
    else for (const pair of rules.items) {
      const key = pair.key as Node;
      const code = isScalar(key) ? String(key.value) : '';
      const value = pair.value as Node | null;
      const level = isScalar(value) ? String(value.value) : '';
      if (!isRuleCode(code)) {
        const guess = closest(code, RULES.map((r) => r.code));
        problem(key, `\`${code}\` is not a rule${guess ? `; did you mean \`${guess}\`?` : '. `ksi rules` lists them.'}`,
          guess ? [{ title: `Change to \`${guess}\``, edits: [{ uri, range: rangeOf(key), newText: guess }] }] : undefined);
      } else if (!(RULE_SETTINGS as readonly string[]).includes(level)) {
        problem(value ?? key, `The setting of \`${code}\` must be off, information, warning or error, not \`${level}\`.`);
      } else config.rules[code] = level as RuleSetting;
    }
  }
  const charts = root.get('charts', true) as Node | undefined;
  if (charts !== undefined && !(isScalar(charts) && charts.value === null)) {
    const shape = `\`charts\` in ${CONFIG_FILE} maps chart folders to how they are rendered, e.g. \`charts: {charts/web: {release: web, namespace: prod, values: [values-prod.yaml]}}\`.`;
    if (!isMap(charts)) problem(charts, shape);
    else for (const pair of charts.items) {
      const folder = isScalar(pair.key) ? String(pair.key.value).replace(/\/$/, '') : '';
      const value = pair.value as Node | null;
      if (!folder || !isMap(value)) {
        problem((value ?? pair.key) as Node, shape);
        continue;
      }
      const setting: ChartSetting = {};
      for (const field of value.items) {
        const key = isScalar(field.key) ? String(field.key.value) : '';
        const v = field.value as Node | null;
        if ((key === 'release' || key === 'namespace') && isScalar(v) && typeof v.value === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v.value)) setting[key] = v.value;
        else if (key === 'values' && isSeq(v) && v.items.every((i) => isScalar(i) && typeof i.value === 'string')) setting.values = v.items.map((i) => String((i as { value: unknown }).value));
        else if (key === 'release' || key === 'namespace') problem(v ?? (field.key as Node), `\`${key}\` of chart ${folder} must be a DNS label (lower-case letters, digits and \`-\`).`);
        else if (key === 'values') problem(v ?? (field.key as Node), `\`values\` of chart ${folder} must be a list of values files relative to the chart, e.g. \`values: [values-prod.yaml]\`.`);
        else problem(field.key as Node, `\`${key}\` is not a chart setting; use release, namespace or values.`);
      }
      config.charts[folder] = setting;
    }
  }
  return config;
}
