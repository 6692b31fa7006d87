// Typed calls to the language server's custom requests (server/src/protocol.ts).
import type { LanguageClient } from 'vscode-languageclient/node';
import type { NotificationType, RequestType } from '../../server/src/protocol';

export function request<P, R>(client: LanguageClient, type: RequestType<P, R>, params: P): Promise<R> {
  return client.sendRequest<R>(type.method, params);
}

export function onNotification<P>(client: LanguageClient, type: NotificationType<P>, handler: (params: P) => void): void {
  client.onNotification(type.method, handler);
}
