// Builds the extension-host suite to JavaScript (the extension host loads plain JS).
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './codeServer';

export const SUITE_OUT = path.join(ROOT, 'out/e2e/suite');

export async function buildSuite(): Promise<string> {
  const dir = path.join(ROOT, 'test/e2e/suite');
  fs.rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)),
    outdir: SUITE_OUT, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'], logLevel: 'warning',
  });
  return path.join(SUITE_OUT, 'index.js');
}
