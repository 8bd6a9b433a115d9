/** Longer than this, a path segment or a value is data (a token, an encoded blob), never a name. */
export const MAX_NAME_LENGTH = 64;

const HYPHEN = 45;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexLetter(c: number): boolean {
  return (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Characters of base64, base64url and URL-encoded tokens besides letters, digits and the hyphen. */
function isTokenPunctuation(c: number): boolean {
  return c === 95 || c === 43 || c === 61 || c === 126 || c === 46 || c === 37; // _ + = ~ . %
}

function isUuid(segment: string): boolean {
  for (let i = 0; i < 36; i++) {
    const c = segment.charCodeAt(i);
    const dash = i === 8 || i === 13 || i === 18 || i === 23;
    if (dash ? c !== HYPHEN : !(isDigit(c) || isHexLetter(c))) return false;
  }
  return true;
}

/**
 * The placeholder a path segment collapses to at once because its shape says it is an identifier, or
 * undefined when it may be a route name: `{n}` for a number, `{uuid}`, `{hex}` for 16 or more hex
 * digits, `{token}` for a base64-ish run of 20 or more with letters and digits, `{long}` beyond
 * MAX_NAME_LENGTH. Names that only look like names (`alice`, `v2`) are left to distinct-value counting.
 */
export function identifierShape(segment: string): string | undefined {
  const length = segment.length;
  if (length === 0) return undefined;
  if (length > MAX_NAME_LENGTH) return '{long}';
  let digits = 0;
  let hexLetters = 0;
  let letters = 0;
  for (let i = 0; i < length; i++) {
    const c = segment.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isLetter(c)) {
      letters++;
      if (isHexLetter(c)) hexLetters++;
    } else if (c !== HYPHEN && !isTokenPunctuation(c)) return undefined;
  }
  if (digits === length) return '{n}';
  if (length === 36 && isUuid(segment)) return '{uuid}';
  if (length >= 16 && digits > 0 && digits + hexLetters === length) return '{hex}';
  if (length >= 20 && digits > 0 && letters > 0) return '{token}';
  return undefined;
}
