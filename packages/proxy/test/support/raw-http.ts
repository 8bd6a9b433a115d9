import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Header names in lower case; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawConversation {
  /** Every complete response the server sent, in order. */
  readonly responses: readonly RawResponse[];
  /** Bytes after the last complete response (a cut-off one): empty when every response was whole. */
  readonly leftover: string;
  /** The server closed (or reset) the connection before `limitMs`. */
  readonly closed: boolean;
}

export interface RawSendOptions {
  /** Gives up waiting for the server to close after this long (the connection is then destroyed). Default 5 s. */
  readonly limitMs?: number;
  /** Bytes sent later, one part per `gapMs`: a slow client. */
  readonly then?: readonly string[];
  readonly gapMs?: number;
  /** Stops listening once this many complete responses have arrived, closed or not. */
  readonly responses?: number;
}

/**
 * Sends hand-written bytes on a fresh connection to 127.0.0.1:port and collects everything the server
 * answers until it closes the connection. Send `Connection: close` (or something malformed) so that it
 * does; never half-closes (node:http would take that as the client leaving).
 */
export function sendRaw(port: number, bytes: string | Buffer, options: RawSendOptions = {}): Promise<RawConversation> {
  const limitMs = options.limitMs ?? 5_000;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timers: NodeJS.Timeout[] = [];
    let closed = false;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const enough = options.responses;
      if (enough !== undefined && parseResponses(Buffer.concat(chunks).toString('latin1')).responses.length >= enough) finish();
    });
    socket.on('error', () => undefined);
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      for (const timer of timers) clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponses(Buffer.concat(chunks).toString('latin1')), closed });
    };
    socket.on('close', () => {
      closed = true;
      finish();
    });
    timers.push(setTimeout(finish, limitMs));
    socket.write(bytes);
    (options.then ?? []).forEach((part, index) => {
      timers.push(setTimeout(() => socket.write(part), (options.gapMs ?? 10) * (index + 1)));
    });
  });
}

function parseResponses(text: string): { responses: RawResponse[]; leftover: string } {
  const responses: RawResponse[] = [];
  let rest = text;
  for (;;) {
    const parsed = parseOne(rest);
    if (parsed === undefined) return { responses, leftover: rest };
    responses.push(parsed.response);
    rest = rest.slice(parsed.length);
  }
}

function parseOne(text: string): { response: RawResponse; length: number } | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, headEnd).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (match === null) return undefined;
  const status = Number(match[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyStart = headEnd + 4;
  if (status === 100 || status === 204 || status === 304) return { response: { status, headers, body: '' }, length: bodyStart };
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    let at = bodyStart;
    let body = '';
    for (;;) {
      const lineEnd = text.indexOf('\r\n', at);
      if (lineEnd === -1) return undefined;
      const size = parseInt(text.slice(at, lineEnd), 16);
      if (Number.isNaN(size) || text.length < lineEnd + 2 + size + 2) return undefined;
      body += text.slice(lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
      if (size === 0) return { response: { status, headers, body }, length: at };
    }
  }
  const declared = headers['content-length'];
  if (declared === undefined) return { response: { status, headers, body: text.slice(bodyStart) }, length: text.length };
  const end = bodyStart + Number(declared);
  if (text.length < end) return undefined;
  return { response: { status, headers, body: text.slice(bodyStart, end) }, length: end };
}
