// Source files as the maps read them: their texts (positions known) per mapping, and their
// parsed documents kept across renders (an edit re-renders with the same bases and values).
import { Node, parseAllDocuments } from 'yaml';
import { SourceText } from '../yamlNodes';

const parsed = new Map<string, { text: string; docs: Node[] }>();
const PARSED_KEPT = 500;

/** The documents of a source file (YAML 1.1, as kubectl and helm read them), cached by text. */
export function parsedDocuments(uri: string, text: string): Node[] {
  const hit = parsed.get(uri);
  if (hit && hit.text === text) return hit.docs;
  let docs: Node[];
  try {
    docs = parseAllDocuments(text, { version: '1.1' }).map((d) => d.contents as Node).filter((n) => !!n);
  } catch {
    docs = [];
  }
  parsed.delete(uri);
  parsed.set(uri, { text, docs });
  if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  return docs;
}

/** A reader of source texts for one mapping: each file read (and its lines counted) once. */
export function sourceReader(read: (uri: string) => string | undefined): (uri: string) => SourceText | undefined {
  const texts = new Map<string, SourceText | undefined>();
  return (uri) => {
    if (!texts.has(uri)) {
      const t = read(uri);
      texts.set(uri, t === undefined ? undefined : SourceText.of(uri, t));
    }
    return texts.get(uri);
  };
}
