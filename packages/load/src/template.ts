/** A target or header template that cannot be used: refused before anything is sent. */
export class TemplateError extends Error {
  readonly code = 'SHORTLINE_LOAD_TEMPLATE';
  constructor(
    /** The option it came from, e.g. `--target`. */
    readonly option: string,
    readonly template: string,
    readonly reason: string,
  ) {
    super(`${option} ${JSON.stringify(template)}: ${reason}`);
    this.name = 'TemplateError';
  }
}

/** A text with `{name}` placeholders, split once so that rendering is a join. */
export interface Template {
  readonly text: string;
  /** The placeholders it uses, in order of appearance (repeats kept). */
  readonly placeholders: readonly string[];
  render(value: (placeholder: string) => string): string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Compiles `text`: `{name}` is a placeholder, `{{` and `}}` are literal braces. A placeholder not in
 * `known`, an unclosed brace or a lone `}` is a TemplateError that names it and what is known.
 */
export function compileTemplate(option: string, text: string, known: readonly string[]): Template {
  const literals: string[] = [];
  const placeholders: string[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if ((char === '{' || char === '}') && text[i + 1] === char) {
      literal += char;
      i++;
    } else if (char === '}') {
      throw new TemplateError(option, text, `a lone "}" at position ${i + 1} (write "}}" for a literal one)`);
    } else if (char === '{') {
      const end = text.indexOf('}', i + 1);
      if (end < 0) throw new TemplateError(option, text, `"{" at position ${i + 1} is never closed (write "{{" for a literal one)`);
      const name = text.slice(i + 1, end);
      if (!NAME.test(name) || !known.includes(name)) {
        throw new TemplateError(option, text, `unknown placeholder {${name}}; known: ${known.map((k) => `{${k}}`).join(', ')}`);
      }
      literals.push(literal);
      placeholders.push(name);
      literal = '';
      i = end;
    } else literal += char;
  }
  literals.push(literal);
  return {
    text,
    placeholders,
    render(value) {
      let out = literals[0] as string;
      for (let i = 0; i < placeholders.length; i++) out += value(placeholders[i] as string) + (literals[i + 1] as string);
      return out;
    },
  };
}
