// The end-to-end suites as part of `npm test`: the extension-host suite in code-server and the
// UI suite against the packaged .vsix. Without the tools they are skipped locally (with how to
// get them); under CI a missing tool fails the run.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT, toolsMissing } from './codeServer';
import { runExtensionTests } from './runExtensionTests';
import { runUiSuite } from './ui';

const missing = toolsMissing();
if (missing && process.env.CI) throw new Error(`end-to-end tools missing in CI: ${missing}`);
const skip = missing ? `${missing}; then npm run test:e2e and npm run test:ui` : false;

test('extension-host suite in code-server (npm run test:e2e)', { skip, timeout: 300_000 }, async () => {
  const r = await runExtensionTests();
  assert.equal(r.failed, 0, r.lines.join('\n'));
  assert.ok(r.passed >= 7, `${r.passed} tests ran`);
});

test('UI suite: the packaged .vsix in code-server, used through the workbench (npm run test:ui)', { skip, timeout: 400_000 }, async () => {
  const pack = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stdout + pack.stderr);
  const r = await runUiSuite(path.join(ROOT, 'out/kube-service-insight.vsix'));
  assert.deepEqual(r.results.filter((x) => !x.ok), []);
  assert.equal(r.passed, 6);
  // `npm run package` minified dist/; rebuild the development bundles for whatever runs next.
  assert.equal(spawnSync('node', ['esbuild.mjs'], { cwd: ROOT }).status, 0);
});
