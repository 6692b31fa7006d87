// extensionTestsPath entry (the @vscode/test-electron convention): runs the mocha suite inside
// the extension host and writes a JSON report for the outside runner.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const report: { tests: { title: string; state: string; error?: string }[]; passed?: number; failed?: number } = { tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      report.passed = report.tests.filter((t) => t.state === 'passed').length;
      report.failed = failures;
      const file = process.env.KSI_E2E_REPORT;
      if (file) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(report, null, 2));
      }
      console.log(`${report.passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
    runner.on('pass', (t) => report.tests.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err) => report.tests.push({ title: t.fullTitle(), state: 'failed', error: String((err as Error)?.stack ?? err) }));
  });
}
