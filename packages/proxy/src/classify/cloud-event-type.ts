import type { IncomingHttpHeaders } from 'node:http';
import { errorMessage } from '../config/error-message.js';

type CloudEventsSdk = typeof import('cloudevents');
let sdk: Promise<CloudEventsSdk> | undefined;

/** The SDK loads on the first structured CloudEvent, so proxies that never see one never pay for it. */
function loadSdk(): Promise<CloudEventsSdk> {
  sdk ??= import('cloudevents');
  return sdk;
}

function describeFailure(error: unknown): string {
  const details = (error as { errors?: unknown } | null | undefined)?.errors;
  if (Array.isArray(details) && details.length > 0) {
    return details
      .map((detail: unknown) => {
        if (typeof detail !== 'object' || detail === null) return String(detail);
        const { instancePath, message } = detail as { instancePath?: unknown; message?: unknown };
        const where = typeof instancePath === 'string' && instancePath !== '' ? `${instancePath.slice(1)} ` : '';
        return `${where}${String(message)}`;
      })
      .join('; ');
  }
  return errorMessage(error).split('\n')[0] ?? 'unreadable';
}

/**
 * The `type` of a structured-mode CloudEvent, parsed and validated by the CloudEvents SDK, or why the
 * body is not one.
 */
export async function cloudEventType(headers: IncomingHttpHeaders, body: Buffer): Promise<{ type: string } | { problem: string }> {
  const { CloudEvent, HTTP } = await loadSdk();
  try {
    // The SDK looks its body parser up by the exact content-type, so parameters such as
    // `;charset=utf-8` written without a space would make it refuse a valid event.
    const event = HTTP.toEvent({
      headers: { ...headers, 'content-type': 'application/cloudevents+json' },
      body: body.toString('utf8'),
    });
    if (!(event instanceof CloudEvent)) return { problem: 'expected one CloudEvent' };
    // The SDK builds structured events without checking them; validate() applies the spec's schema.
    event.validate();
    // validate() checks only spec 1.0 events; a routing decision needs a real type whatever the version.
    const type: unknown = event.type;
    if (typeof type !== 'string' || type.trim() === '') return { problem: 'type must be a non-empty string' };
    return { type };
  } catch (error) {
    return { problem: describeFailure(error) };
  }
}
