const BACKEND_URL = /^http:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})\/?$/;

/**
 * A backend is an address, `http://host:port`: plain http (in a pod the backend is at 127.0.0.1, and
 * TLS ends before Shortline), an explicit port, and no path, because the request's own path is
 * forwarded. Returns the normalized URL (lowercase host, no trailing slash) or why the text is not one.
 */
export function parseBackendUrl(text: string): { url: string } | { problem: string } {
  const match = BACKEND_URL.exec(text);
  if (match !== null) {
    const port = Number(match[2]);
    if (port < 1 || port > 65535) return { problem: `port must be from 1 to 65535, got ${port}` };
    return { url: `http://${(match[1] as string).toLowerCase()}:${port}` };
  }
  if (/^https:\/\//i.test(text)) return { problem: 'https is not supported: backends are reached over plain http' };
  if (!/^http:\/\//.test(text)) return { problem: `must be an http URL such as http://127.0.0.1:8080, got ${JSON.stringify(text)}` };
  const afterScheme = text.slice('http://'.length);
  if (/[/?#]./.test(afterScheme) || /[?#]$/.test(afterScheme)) {
    return { problem: `must not have a path, query or fragment (the request's own path is forwarded), got ${JSON.stringify(text)}` };
  }
  if (!/:\d+\/?$/.test(afterScheme)) return { problem: `must name a port, as in http://127.0.0.1:8080, got ${JSON.stringify(text)}` };
  return { problem: `is not a valid http://host:port address, got ${JSON.stringify(text)}` };
}
