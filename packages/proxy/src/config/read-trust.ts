import { isHopByHop } from '../hop-by-hop.js';
import { parseCidr } from './cidr.js';
import { CONFIG_DEFAULTS } from './config-defaults.js';
import { describeValue, type ConfigSection } from './config-section.js';
import { headerNameProblem } from './header-name.js';
import type { TrustConfig } from './shortline-config.js';

const TRUST_KEYS = ['trustedSources', 'hintHeaders'] as const;
const HINT_HEADER_KEYS = ['expectedDuration', 'workflowRemaining'] as const;
/** Headers the proxy or Knative already give a meaning to: a hint cannot borrow one. */
const TAKEN = new Set([
  'host',
  'content-length',
  'content-type',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-request-id',
  'ce-type',
  'k-original-host',
  'k-proxy-request',
  'k-network-probe',
  'k-network-hash',
  'k-kubelet-probe',
  'knative-serving-revision',
  'knative-serving-namespace',
  'user-agent',
]);
/** A list this long is a paste error, not a set of networks (and each entry costs every hinted request). */
const MAX_TRUSTED_SOURCES = 1000;

function checkHintHeader(name: string): string | undefined {
  const problem = headerNameProblem(name);
  if (problem !== undefined) return problem;
  const lower = name.toLowerCase();
  if (isHopByHop(lower) || TAKEN.has(lower)) return `cannot be ${lower}: that header already means something to the proxy or to Knative`;
  return undefined;
}

/** The `trust:` section: which clients' scheduling hints count, and the headers that carry them. */
export function readTrust(top: ConfigSection): TrustConfig {
  const section = top.section('trust', TRUST_KEYS);
  const defaults = CONFIG_DEFAULTS.trust;
  const trustedSources: string[] = [];
  const items = section.list('trustedSources');
  if (items.length > MAX_TRUSTED_SOURCES) section.problem('trustedSources', `lists ${items.length} ranges; at most ${MAX_TRUSTED_SOURCES}`);
  for (const item of items.slice(0, MAX_TRUSTED_SOURCES)) {
    if (typeof item.value !== 'string') {
      section.problems.add(item.path, `must be an IP address or CIDR range string such as 10.0.0.0/8, got ${describeValue(item.value)}`);
      continue;
    }
    const parsed = parseCidr(item.value);
    if ('problem' in parsed) section.problems.add(item.path, parsed.problem);
    else if (!trustedSources.includes(parsed.cidr)) trustedSources.push(parsed.cidr);
  }
  const headersSection = section.section('hintHeaders', HINT_HEADER_KEYS);
  const expectedDuration = headersSection.string('expectedDuration', defaults.hintHeaders.expectedDuration, checkHintHeader).toLowerCase();
  const workflowRemaining = headersSection.string('workflowRemaining', defaults.hintHeaders.workflowRemaining, checkHintHeader).toLowerCase();
  if (expectedDuration === workflowRemaining) {
    headersSection.problem('workflowRemaining', `must differ from expectedDuration (both are ${expectedDuration})`);
  }
  return { trustedSources, hintHeaders: { expectedDuration, workflowRemaining } };
}
