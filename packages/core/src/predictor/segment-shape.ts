/** Longer than this, a path segment or a value is data (a token, an encoded blob), never a name. */
export const MAX_NAME_LENGTH = 64;

const HYPHEN = 45;
/** Shorter segments can only be numbers (`{hex}` starts at 16 characters, `{token}` at 20, a UUID is 36). */
const MIN_CODE_LENGTH = 16;

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

/** Whether the text from `start` up to `end` is all digits: a short name is told apart at its first letter. */
function isNumber(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

function isUuid(text: string, start: number): boolean {
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(start + i);
    const dash = i === 8 || i === 13 || i === 18 || i === 23;
    if (dash ? c !== HYPHEN : !(isDigit(c) || isHexLetter(c))) return false;
  }
  return true;
}

/**
 * The placeholder a path segment (`text` from `start` up to `end`, read in place so that nothing is
 * sliced out to classify it) collapses to at once because its shape says it is an identifier, or
 * undefined when it may be a route name: `{n}` for a number, `{uuid}`, `{hex}` for 16 or more hex
 * digits, `{token}` for a base64-ish run of 20 or more with letters and digits, `{long}` beyond
 * MAX_NAME_LENGTH. Names that only look like names (`alice`, `v2`) are left to distinct-value counting.
 */
export function identifierShape(text: string, start = 0, end = text.length): string | undefined {
  const length = end - start;
  if (length <= 0) return undefined;
  if (length > MAX_NAME_LENGTH) return '{long}';
  if (length < MIN_CODE_LENGTH) return isNumber(text, start, end) ? '{n}' : undefined;
  let digits = 0;
  let hexLetters = 0;
  let letters = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isLetter(c)) {
      letters++;
      if (isHexLetter(c)) hexLetters++;
    } else if (c !== HYPHEN && !isTokenPunctuation(c)) return undefined;
  }
  if (digits === length) return '{n}';
  if (length === 36 && isUuid(text, start)) return '{uuid}';
  if (length >= 16 && digits > 0 && digits + hexLetters === length) return '{hex}';
  if (length >= 20 && digits > 0 && letters > 0) return '{token}';
  return undefined;
}
