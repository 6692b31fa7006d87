// Loading paths from the command line into a model.
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, Settings } from '../model';
import { findManifestFiles, makeFilter, readManifest } from '../workspace/files';

export class UsageError extends Error {}

export function loadModel(paths: string[], settings: Partial<Settings>): ClusterModel {
  const model = new ClusterModel(settings);
  const filter = makeFilter(model.settings);
  for (const p of paths.length ? paths : ['.']) {
    if (!fs.existsSync(p)) throw new UsageError(`cannot read ${p}: no such file or directory`);
    let files: string[];
    try {
      files = findManifestFiles(p, filter);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${(e as Error).message}`);
    }
    for (const f of files) {
      const uri = path.relative(process.cwd(), f) || f;
      try {
        const r = readManifest(f, model.settings.maxFileSize);
        if ('text' in r) model.update(uri, r.text);
        else model.markSkipped(uri, r.skipped);
      } catch (e) {
        throw new UsageError(`cannot read ${f}: ${(e as Error).message}`);
      }
    }
  }
  return model;
}
