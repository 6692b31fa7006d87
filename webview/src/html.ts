// The panel's HTML: a strict Content Security Policy with a per-load nonce; scripts and
// styles come only from the extension. Used by the extension host and by the browser tests.

export interface HtmlOptions {
  scriptUri: string;
  styleUri: string;
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  nonce: string;
}

export function makeNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => chars[b % chars.length]).join('');
}

export function webviewHtml(o: HtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    // The toolkit (FAST) probes :focus-visible with a <style> that carries this nonce.
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    // The layout of large graphs runs in a worker built from the bundled script.
    'worker-src blob:',
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${o.nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${o.styleUri}">
<title>Service topology</title>
</head>
<body>
<div id="app" aria-live="polite"></div>
<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body>
</html>`;
}
