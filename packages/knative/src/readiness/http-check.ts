import http from 'node:http';
import https from 'node:https';
import type { ProbeAction } from './probe-spec.js';
import { CHECK_OK, checkFailed, PROBE_USER_AGENT, type CheckOutcome } from './check-outcome.js';

type HttpAction = Extract<ProbeAction, { kind: 'http' }>;

/** One HTTP GET; any status 200-399 is ready, as for the kubelet and Knative. */
export function checkHttp(action: HttpAction, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'user-agent': PROBE_USER_AGENT };
    for (const [name, value] of action.headers) headers[name.toLowerCase()] = value;
    const options = {
      host: action.host,
      port: action.port,
      path: action.path,
      method: 'GET',
      headers,
      agent: false,
      // The user container's certificate is not ours to check; the kubelet does not either.
      rejectUnauthorized: false,
    };
    const request = (action.scheme === 'https' ? https : http).request(options, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? CHECK_OK : checkFailed(`HTTP probe answered ${status}`));
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`HTTP probe timed out after ${timeoutMs} ms`)));
    request.on('error', (error) => resolve(checkFailed(error.message)));
    request.end();
  });
}
