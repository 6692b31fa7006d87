// Bundles the CLI, the language server and the VS Code extension. `node esbuild.mjs [--production]`.
import * as esbuild from 'esbuild';
import { chmodSync } from 'fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

await esbuild.build({
  ...common,
  entryPoints: ['server/src/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync('dist/cli.js', 0o755);

await esbuild.build({
  ...common,
  entryPoints: ['server/src/server.ts'],
  outfile: 'dist/server.js',
});

await esbuild.build({
  ...common,
  entryPoints: ['client/src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
});
