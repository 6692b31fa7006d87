// `.ksi.yaml`, the workspace file: apply units (`units: [globs]`) and rule settings
// (`rules: {code: off|information|warning|error}`). Problems are located findings.
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { finding, isRuleCode, RULES } from './rules';
import { closest } from './suggest';
import { Diagnostic, Range, RULE_SETTINGS, RuleSetting } from './types';

export const CONFIG_FILE = '.ksi.yaml';

export interface WorkspaceConfig {
  units: string[];
  rules: Record<string, RuleSetting>;
  problems: Diagnostic[];
}

export function readConfig(uri: string, text: string): WorkspaceConfig {
  const config: WorkspaceConfig = { units: [], rules: {}, problems: [] };
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
    problem(root, `${CONFIG_FILE} must be a map with \`units:\` and/or \`rules:\`.`);
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
  return config;
}
