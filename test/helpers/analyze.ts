import { ClusterModel, Diagnostic, Settings } from '../../server/src/model';

/** Analyse an in-memory workspace: file name → YAML text. */
export function analyze(files: Record<string, string>, settings?: Partial<Settings>): Diagnostic[] {
  const model = new ClusterModel(settings);
  for (const [uri, text] of Object.entries(files)) model.update(uri, text);
  return [...model.allDiagnostics().values()].flat();
}

export function modelOf(files: Record<string, string>, settings?: Partial<Settings>): ClusterModel {
  const model = new ClusterModel(settings);
  for (const [uri, text] of Object.entries(files)) model.update(uri, text);
  return model;
}

/** Builds a YAML stream from documents (strings, joined with ---). */
export function docs(...parts: string[]): string {
  return parts.map((p) => p.replace(/^\n/, '')).join('---\n');
}

export const deployment = (name: string, labels: Record<string, string>, ports = '', extra = '', ns = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${ns ? `\n  namespace: ${ns}` : ''}
spec:
  replicas: 2
  selector:
    matchLabels:
${Object.entries(labels).map(([k, v]) => `      ${k}: ${v}`).join('\n')}
  template:
    metadata:
      labels:
${Object.entries(labels).map(([k, v]) => `        ${k}: ${v}`).join('\n')}
    spec:${extra}
      containers:
        - name: main
          image: example/app:1${ports ? `\n          ports:\n${ports}` : ''}
`;

export const service = (name: string, spec: string, ns = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}${ns ? `\n  namespace: ${ns}` : ''}
spec:
${spec}`;
