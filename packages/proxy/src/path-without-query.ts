/** The path of a request target without its query, which may carry secrets (tokens, signatures). */
export function pathWithoutQuery(url: string | undefined): string {
  const target = url ?? '/';
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
