// Model data → LSP types (the only place that knows both).
import {
  CodeAction, CodeActionKind, CompletionItemKind, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation,
  DiagnosticSeverity, MarkupKind, SymbolKind, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver';
import type { CompletionItem, Diagnostic, SymbolInfo, TextEditFix } from '../model';
import { RULE_DOCS_URL } from '../model/rules';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SOURCE = 'kube-service-insight';

/** A finding's text for the Problems panel and the light bulb, which show it as plain text:
 *  the model's Markdown code spans (`name`) become quoted, as VS Code's own messages quote. */
export function plainText(message: string): string {
  return message.replace(/`([^`\n]+)`/g, "'$1'");
}

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: `${RULE_DOCS_URL}/${d.code}.md` },
    source: SOURCE,
    message: plainText(d.message),
    relatedInformation: d.related?.map((r) => DiagnosticRelatedInformation.create({ uri: r.uri, range: r.range }, plainText(r.message))),
  };
}

export function toWorkspaceEdit(fix: TextEditFix): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) (changes[e.uri] ??= []).push(TextEdit.replace(e.range, e.newText));
  return { changes };
}

export function toCodeAction(fix: TextEditFix, diag: Diagnostic, preferred: boolean): CodeAction {
  return {
    title: plainText(fix.title),
    kind: CodeActionKind.QuickFix,
    diagnostics: [toLspDiagnostic(diag)],
    isPreferred: preferred,
    edit: toWorkspaceEdit(fix),
  };
}

const COMPLETION_KIND: Record<CompletionItem['kind'], CompletionItemKind> = {
  'label-key': CompletionItemKind.Property,
  'label-value': CompletionItemKind.Value,
  port: CompletionItemKind.Value,
  service: CompletionItemKind.Reference,
  enum: CompletionItemKind.EnumMember,
  namespace: CompletionItemKind.Module,
};

export function toLspCompletion(i: CompletionItem): lsp.CompletionItem {
  return {
    label: i.label,
    kind: COMPLETION_KIND[i.kind],
    detail: i.detail,
    documentation: i.documentation ? { kind: MarkupKind.Markdown, value: i.documentation } : undefined,
    sortText: i.sortText,
    filterText: i.label,
    textEdit: TextEdit.replace(i.range, i.insertText),
    // Keys complete to `key: `; reopen the list for the value.
    command: i.kind === 'label-key' ? { title: 'Suggest value', command: 'editor.action.triggerSuggest' } : undefined,
  };
}

const SYMBOL_KIND: Record<string, SymbolKind> = {
  Service: SymbolKind.Interface, Ingress: SymbolKind.Event, NetworkPolicy: SymbolKind.Key, Namespace: SymbolKind.Namespace,
  Endpoints: SymbolKind.Constant, EndpointSlice: SymbolKind.Constant,
};

export function toDocumentSymbol(s: SymbolInfo): lsp.DocumentSymbol {
  return { name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind] ?? SymbolKind.Class, range: s.range, selectionRange: s.selectionRange };
}

export function rangesOverlap(a: lsp.Range, b: lsp.Range): boolean {
  const before = (p: lsp.Position, q: lsp.Position) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
