// The end-to-end suites as part of `npm test`: the extension-host suite in code-server and the
// UI suite against the packaged .vsix. Without the tools they are skipped locally (with how to
// get them); under CI a missing tool fails the run. A real workbench in a browser can flake
// under load, so a failed suite is run once more; the first failure is printed, not hidden.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT, toolsMissing } from './codeServer';
import { runExtensionTests } from './runExtensionTests';
import { runUiSuite, UI_RENDERS } from './ui';

const missing = toolsMissing();
if (missing && process.env.CI) throw new Error(`end-to-end tools missing in CI: ${missing}`);
const skip = missing ? `${missing}; then npm run test:e2e and npm run test:ui` : false;

async function withOneRetry<T extends { failed: number }>(name: string, run: () => Promise<T>, describe: (r: T) => string): Promise<T> {
  const first = await run();
  if (first.failed === 0) return first;
  console.log(`${name}: first attempt failed, running it once more:\n${describe(first)}`);
  return run();
}

test('extension-host suite in code-server (npm run test:e2e)', { skip, timeout: 600_000 }, async () => {
  const r = await withOneRetry('extension-host suite', runExtensionTests, (x) => x.lines.filter((l) => /FAIL|Error/.test(l)).join('\n'));
  assert.equal(r.failed, 0, r.lines.join('\n'));
  assert.ok(r.passed >= 8, `${r.passed} tests ran`);
});

test('UI suite: the packaged .vsix in code-server, used through the workbench (npm run test:ui)', { skip, timeout: 800_000 }, async () => {
  const pack = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stdout + pack.stderr);
  try {
    const r = await withOneRetry('UI suite', () => runUiSuite(path.join(ROOT, 'out/kube-service-insight.vsix')),
      (x) => x.results.filter((s) => !s.ok).map((s) => `✘ ${s.step}: ${s.info}`).join('\n'));
    assert.deepEqual(r.results.filter((x) => !x.ok), []);
    assert.equal(r.passed, UI_RENDERS ? 10 : 8);
  } finally {
    // `npm run package` minified dist/; rebuild the development bundles for whatever runs next.
    assert.equal(spawnSync('node', ['esbuild.mjs'], { cwd: ROOT }).status, 0);
  }
});
