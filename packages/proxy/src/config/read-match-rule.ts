import { ConfigSection, type ProblemLog } from './config-section.js';
import { headerNameProblem } from './header-name.js';
import type { MatchRule } from './shortline-config.js';

const MATCH_KEYS = ['host', 'pathPrefix', 'header', 'ceType'] as const;
const HEADER_KEYS = ['name', 'value'] as const;
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)$/i;
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f]/;
const CONTROL = /[\u0000-\u001f\u007f]/;

function checkHost(host: string): string | undefined {
  if (HOST.test(host)) return undefined;
  if (/^[^[]*:\d*$/.test(host)) return `is compared without the port: write ${JSON.stringify(host.replace(/:\d*$/, ''))}`;
  return `must be a host name or IP address such as api.example.com, got ${JSON.stringify(host)}`;
}

function checkPathPrefix(prefix: string): string | undefined {
  if (!prefix.startsWith('/')) return `must start with "/", got ${JSON.stringify(prefix)}`;
  if (prefix.includes('?') || prefix.includes('#')) return 'matches the path only: it must not contain "?" or "#"';
  if (CONTROL_OR_SPACE.test(prefix)) return 'must not contain spaces or control characters';
  return undefined;
}

function checkHeaderName(name: string): string | undefined {
  const problem = headerNameProblem(name);
  if (problem !== undefined) return problem;
  const lower = name.toLowerCase();
  if (lower === 'host' || lower === 'k-original-host') return 'use match.host to match the host';
  if (lower === 'ce-type') return 'use match.ceType to match the CloudEvents type (it also covers structured mode)';
  return undefined;
}

function checkHeaderValue(value: string): string | undefined {
  return CONTROL.test(value) ? 'must not contain control characters (an HTTP header value cannot)' : undefined;
}

function checkCeType(type: string): string | undefined {
  if (type === '') return 'must not be empty';
  return CONTROL.test(type) ? 'must not contain control characters' : undefined;
}

/**
 * A function's `match:`. Every condition given must hold; none given matches every request. Host and
 * header names are stored in lowercase, since both compare case-insensitively.
 */
export function readMatchRule(value: unknown, path: string, problems: ProblemLog): MatchRule {
  const section = ConfigSection.read(value, path, MATCH_KEYS, problems);
  const host = section.optionalString('host', checkHost)?.toLowerCase();
  const pathPrefix = section.optionalString('pathPrefix', checkPathPrefix);
  const ceType = section.optionalString('ceType', checkCeType);
  let header: MatchRule['header'];
  if (section.has('header')) {
    const headerSection = section.section('header', HEADER_KEYS);
    const name = headerSection.optionalString('name', checkHeaderName);
    const headerValue = headerSection.optionalString('value', checkHeaderValue);
    if (!headerSection.has('name')) headerSection.problem('name', 'is required: the header to look at');
    if (!headerSection.has('value')) headerSection.problem('value', 'is required: the value the header must have');
    if (name !== undefined && headerValue !== undefined) header = { name: name.toLowerCase(), value: headerValue };
  }
  return {
    ...(host === undefined ? {} : { host }),
    ...(pathPrefix === undefined ? {} : { pathPrefix }),
    ...(header === undefined ? {} : { header }),
    ...(ceType === undefined ? {} : { ceType }),
  };
}

/** A rule without conditions: it matches every request, so rules after it can never match. */
export function matchesEverything(rule: MatchRule): boolean {
  return rule.host === undefined && rule.pathPrefix === undefined && rule.header === undefined && rule.ceType === undefined;
}
