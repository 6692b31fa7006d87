// Loading paths from the command line into a model.
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, Settings } from '../model';
import { findManifestFiles, makeFilter } from '../workspace/files';
import { loadFiles } from '../workspace/loadFiles';

export class UsageError extends Error {}

export async function loadModel(paths: string[], settings: Partial<Settings>): Promise<ClusterModel> {
  const model = new ClusterModel(settings);
  const filter = makeFilter(model.settings);
  const files: string[] = [];
  for (const p of paths.length ? paths : ['.']) {
    if (!fs.existsSync(p)) throw new UsageError(`cannot read ${p}: no such file or directory`);
    try {
      files.push(...findManifestFiles(p, filter));
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${(e as Error).message}`);
    }
  }
  await loadFiles(files, model.settings.maxFileSize, (f, r, documents) => {
    const uri = path.relative(process.cwd(), f) || f;
    if ('error' in r) throw new UsageError(`cannot read ${f}: ${r.error.message}`);
    if ('text' in r) model.update(uri, r.text, documents);
    else model.markSkipped(uri, r.skipped);
  });
  return model;
}
