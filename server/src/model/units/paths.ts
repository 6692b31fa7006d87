// Paths inside URIs (`file:///repo/k8s/app.yaml`) or relative paths (`k8s/app.yaml`), as
// plain strings: the model sees no file system. Separators are always `/`.

export function dirOf(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i < 0 ? '' : uri.slice(0, i);
}

export function baseName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** `dir` joined with a relative path (`..` and `.` resolved; `..` never climbs above the
 *  scheme or the start of a relative path). */
export function joinPath(dir: string, rel: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(dir)?.[0] ?? '';
  const parts = (dir.slice(scheme.length) + '/' + encodeSegments(rel, scheme !== '')).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') {
      if (out.length === 0 && p === '' && (scheme || dir.startsWith('/'))) out.push('');
      continue;
    }
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(p);
  }
  return scheme + out.join('/');
}

/** In a file URI, the characters Node's pathToFileURL encodes (the server's URI spelling). */
function encodeSegments(rel: string, inUri: boolean): string {
  return inUri ? rel.replace(/[%#? \t\n\r]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) : rel;
}

/** True when `uri` is `dir` or lies below it. */
export function isUnder(uri: string, dir: string): boolean {
  return dir === '' || uri === dir || uri.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** `uri` relative to `root` (`.` for the root itself), decoded for display. */
export function relativeTo(root: string, uri: string): string {
  if (!isUnder(uri, root)) return decode(uri);
  const rel = uri.slice(root.length).replace(/^\//, '');
  return rel === '' ? '.' : decode(rel);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
