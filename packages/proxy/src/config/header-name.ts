const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Why a configured header name cannot be one (not an HTTP token), or undefined. */
export function headerNameProblem(name: string): string | undefined {
  return HTTP_TOKEN.test(name) ? undefined : `must be an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-), got ${JSON.stringify(name)}`;
}
