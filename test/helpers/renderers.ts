// The real renderers the rendering tests run: kubectl 1.35 (Kustomize 5.7.1) and helm 4.1,
// installed by test/render/install-renderers.sh into a cache outside the repo.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const RENDER_BIN = path.join(process.env.KSI_RENDER_TOOLS ?? path.join(os.homedir(), '.cache/ksi-render'), 'bin');
export const KUBECTL = path.join(RENDER_BIN, 'kubectl');
export const HELM = path.join(RENDER_BIN, 'helm');

/** The `skip` option of a test that runs the renderers: skipped with one line outside CI
 *  when they are not installed, run (and failing) in CI, which installs them. */
export function needsRenderers(): false | string {
  const present = fs.existsSync(KUBECTL) && fs.existsSync(HELM);
  return !present && !process.env.CI && 'needs kubectl and helm from `bash test/render/install-renderers.sh` (installed in CI)';
}
