import { addConnectionTokens, isHopByHop } from '../hop-by-hop.js';

/**
 * Header changes a layer asks for, flat as `[lowercase name, value, ...]`; an undefined value removes
 * the header. Flat arrays because they are built for every request.
 */
export type HeaderEdits = (string | undefined)[];

function namedIn(list: readonly (string | undefined)[], name: string): boolean {
  for (let i = 0; i < list.length; i += 2) {
    const listed = list[i] as string;
    // Lower-case only on a length match: most names differ in length from every edited one.
    if (listed.length === name.length && name.toLowerCase() === listed) return true;
  }
  return false;
}

function appendSet(headers: string[], list: readonly (string | undefined)[]): void {
  for (let i = 0; i < list.length; i += 2) {
    const value = list[i + 1];
    if (value !== undefined) headers.push(list[i] as string, value);
  }
}

/**
 * The headers sent upstream, flat as undici takes them: the client's in their order, less hop-by-hop
 * ones, `expect` (node:http answers 100-continue itself) and those an edit or an extra replaces; then
 * the edits and the extras.
 */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  edits: HeaderEdits | undefined,
  extra: readonly string[],
): string[] {
  const headers: string[] = [];
  let listedInConnection: string[] | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (isHopByHop(name)) {
      if (name.length === 10 && name.toLowerCase() === 'connection') listedInConnection = addConnectionTokens(rawHeaders[i + 1] as string, listedInConnection);
      continue;
    }
    if (name.length === 6 && name.toLowerCase() === 'expect') continue;
    if (edits !== undefined && namedIn(edits, name)) continue;
    if (extra.length > 0 && namedIn(extra, name)) continue;
    headers.push(name, rawHeaders[i + 1] as string);
  }
  if (listedInConnection !== undefined && listedInConnection.length > 0) {
    const tokens = listedInConnection;
    for (let i = headers.length - 2; i >= 0; i -= 2) {
      if (tokens.includes((headers[i] as string).toLowerCase())) headers.splice(i, 2);
    }
  }
  if (edits !== undefined) appendSet(headers, edits);
  appendSet(headers, extra);
  return headers;
}
