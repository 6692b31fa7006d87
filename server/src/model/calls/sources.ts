// The strings a container is configured with, where a call to another service may be written:
// env values (with `$(VAR)` expanded as the kubelet does), args, command, and the ConfigMap
// keys it reads (`valueFrom.configMapKeyRef`, `envFrom.configMapRef`). Read once per object,
// like the other extracts, so the YAML nodes may be dropped.
import type { K8sObject } from '../parse';
import { memo, WORKLOAD_KINDS } from '../objects';
import { asMap, get, getIn, pairsOf, keyString, scalarText, seqItems, spanOf, str, type Span } from '../yamlNodes';
import { expandVariables } from './addresses';

export interface ConfigString {
  container: string;
  /** `env NAME`, `args`, `command` (`args[2]` and the like are one string each). */
  where: string;
  /** The env name or option the string is the value of (an address-like key makes a bare
   *  host count as keyed). */
  key?: string;
  /** After `$(VAR)` expansion. */
  text: string;
  /** Where the scalar is. */
  span?: Span;
  /** The file offset of `text`'s first character, when the file holds `text` as written
   *  (plain or quoted without escapes, nothing expanded): findings can then point at the
   *  host inside it. */
  textStart?: number;
  /** An env value other strings of the container use as `$(NAME)`: the address is counted
   *  where it is used, not here. */
  expandedElsewhere?: true;
}

/** A ConfigMap key (or every key: `key` undefined, from `envFrom`) a container reads. */
export interface ConfigMapUse {
  container: string;
  configMap: string;
  key?: string;
  /** The env name it becomes (`valueFrom`); `envFrom` uses each key as the name. */
  env?: string;
  optional: boolean;
  span?: Span;
}

export interface ContainerSources {
  strings: ConfigString[];
  configMaps: ConfigMapUse[];
}

function podSpecOf(obj: K8sObject) {
  const spec = asMap(get(obj.node, 'spec'));
  if (obj.kind === 'Pod') return spec;
  if (obj.kind === 'CronJob') return asMap(getIn(asMap(getIn(spec, 'jobTemplate', 'spec')), 'template', 'spec'));
  return asMap(getIn(spec, 'template', 'spec'));
}

export const readContainerSources = memo((obj: K8sObject): ContainerSources | undefined => {
  if (!WORKLOAD_KINDS.has(obj.kind)) return undefined;
  const ps = podSpecOf(obj);
  const strings: ConfigString[] = [];
  const configMaps: ConfigMapUse[] = [];
  for (const c of [...seqItems(get(ps, 'initContainers')), ...seqItems(get(ps, 'containers'))]) {
    const cm = asMap(c);
    const container = str(get(cm, 'name')) ?? '?';
    const env = new Map<string, string>();
    const used = new Set<string>();
    const first = strings.length;
    const add = (where: string, node: unknown, key?: string) => {
      const raw = scalarText(node);
      if (raw === undefined || raw === '') return;
      for (const m of raw.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g)) used.add(m[1]);
      const text = expandVariables(raw, env);
      const span = spanOf(node);
      strings.push({ container, where, key, text, span, textStart: text === raw ? textStartOf(node) : undefined });
    };
    for (const from of seqItems(get(cm, 'envFrom'))) {
      const ref = asMap(get(asMap(from), 'configMapRef'));
      const name = str(get(ref, 'name'));
      if (name) configMaps.push({ container, configMap: name, optional: scalarText(get(ref, 'optional')) === 'true', span: spanOf(get(ref, 'name')) });
    }
    for (const e of seqItems(get(cm, 'env'))) {
      const em = asMap(e);
      const name = str(get(em, 'name'));
      if (!name) continue;
      const ref = asMap(getIn(asMap(get(em, 'valueFrom')), 'configMapKeyRef'));
      if (ref) {
        const map = str(get(ref, 'name'));
        const key = str(get(ref, 'key'));
        if (map && key) configMaps.push({ container, configMap: map, key, env: name, optional: scalarText(get(ref, 'optional')) === 'true', span: spanOf(get(ref, 'key')) });
        continue;
      }
      const value = get(em, 'value');
      add(`env ${name}`, value, name);
      const text = scalarText(value);
      if (text !== undefined) env.set(name, expandVariables(text, env));
    }
    for (const field of ['command', 'args'] as const) {
      for (const item of seqItems(get(cm, field))) add(field, item);
    }
    for (const st of strings.slice(first)) if (st.key !== undefined && st.where === `env ${st.key}` && used.has(st.key)) st.expandedElsewhere = true;
  }
  return strings.length || configMaps.length ? { strings, configMaps } : undefined;
});

/** Plain and single-line quoted scalars without escapes: the value's characters are the
 *  file's, from the first (after the quote). */
function textStartOf(node: unknown): number | undefined {
  const n = node as { type?: string; value?: unknown; range?: [number, number, number] };
  if (!n.range) return undefined;
  const length = String(n.value).length;
  // Same length in the file as the value: no escapes, no folded lines.
  if (n.type === 'PLAIN' && n.range[1] - n.range[0] === length) return n.range[0];
  if ((n.type === 'QUOTE_SINGLE' || n.type === 'QUOTE_DOUBLE') && n.range[1] - n.range[0] === length + 2) return n.range[0] + 1;
  return undefined;
}

/** A ConfigMap's `data`: key → value, with where each value is. */
export const readConfigMapData = memo((obj: K8sObject): Map<string, { text: string; span?: Span; textStart?: number }> => {
  const out = new Map<string, { text: string; span?: Span; textStart?: number }>();
  if (obj.kind !== 'ConfigMap') return out;
  for (const pair of pairsOf(asMap(get(obj.node, 'data')))) {
    const key = keyString(pair);
    const text = scalarText(pair.value);
    if (key && text !== undefined) out.set(key, { text, span: spanOf(pair.value), textStart: textStartOf(pair.value) });
  }
  return out;
});
