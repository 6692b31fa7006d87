// Bundles the CLI, the language server, the VS Code extension and the webview. `node esbuild.mjs [--production]`.
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
  // yaml's ES-module build (published for browsers; the same code) links directly into the
  // bundle. Its CommonJS build for Node is reached through re-export getters on every call
  // and reads process.env (its debug switches) for every token: 12-15% of parsing time.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
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

// Shares parsing with the server and the CLI when they read many files (workspace/loadFiles).
await esbuild.build({
  ...common,
  entryPoints: ['server/src/workspace/parseWorker.ts'],
  outfile: 'dist/parseWorker.js',
});

// The webview runs in a browser sandbox: one IIFE, with the layout worker inlined as text
// (the CSP allows workers only from blob: URLs).
const worker = await esbuild.build({
  ...common,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: false,
  entryPoints: ['webview/src/layoutWorker.ts'],
  write: false,
});
await esbuild.build({
  ...common,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  entryPoints: ['webview/src/main.ts'],
  outfile: 'dist/webview.js',
  define: { __LAYOUT_WORKER__: JSON.stringify(worker.outputFiles[0].text) },
});
await esbuild.build({ ...common, platform: 'browser', sourcemap: false, entryPoints: ['webview/src/style.css'], outfile: 'dist/webview.css' });

await esbuild.build({
  ...common,
  entryPoints: ['client/src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
});
