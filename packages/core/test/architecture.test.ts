import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const coreSource = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('packages/core stays pure', () => {
  const files = sourceFiles(coreSource);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((file) => [file.slice(coreSource.length + 1), file]))('%s does no I/O and reads no clock', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/from ['"](node:|fs|http|net|timers|child_process|os|path)/);
    expect(text).not.toMatch(/\b(Date\.now|new Date|performance\.now|setTimeout|setInterval|setImmediate|process\.|Math\.random)\b/);
    expect(text).not.toMatch(/from ['"]@shortline\//);
  });
});
