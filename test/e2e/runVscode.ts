// `npm run test:vscode`: the same extension-host suite in desktop VS Code via
// @vscode/test-electron, for machines that can download VS Code (not this offline one).
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './build';
import { freshWorkspace, ROOT } from './codeServer';

(async () => {
  const suite = await buildSuite();
  await runTests({
    version: '1.91.0',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    launchArgs: [freshWorkspace(), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { KSI_E2E_REPORT: path.join(ROOT, 'test-output/e2e/test-electron-report.json') },
  });
})().catch((e) => {
  console.error(`test:vscode: ${(e as Error).message}`);
  process.exit(1);
});
