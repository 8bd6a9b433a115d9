import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesRoot = fileURLToPath(new URL('../..', import.meta.url));
const coreSource = join(packagesRoot, 'core', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The package's own files a file imports or re-exports (type-only imports too: they tie files together as much). */
function localImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1] as string);
  return specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

/** The first cycle found in the import graph of `files`, as the files around it, or undefined. */
function findCycle(files: readonly string[]): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'visiting') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'visiting');
    path.push(file);
    for (const imported of localImports(file)) {
      const cycle = visit(imported);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of files) {
    const cycle = visit(file);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
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

describe('every package reads one way', () => {
  const packages = readdirSync(packagesRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it.each(packages)('packages/%s has no import cycle among its files', (name) => {
    const files = sourceFiles(join(packagesRoot, name, 'src'));
    const cycle = findCycle(files);
    expect(cycle?.map((file) => relative(packagesRoot, file)).join(' → ')).toBeUndefined();
  });

  it('finds a cycle when there is one, type-only imports and multi-line import lists included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortline-cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = b;\n");
      writeFileSync(join(dir, 'b.ts'), "import {\n  type C,\n} from './c.js';\nexport const b = 1 as unknown as C;\n");
      writeFileSync(join(dir, 'c.ts'), "import type { A } from './a.js';\nexport type C = A;\n");
      expect(findCycle([join(dir, 'a.ts')])?.map((file) => relative(dir, file))).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('packages/proxy waits only through its timers module, so tests can drive every wait by hand', () => {
    const proxySource = join(packagesRoot, 'proxy', 'src');
    const waiting = sourceFiles(proxySource)
      .filter((file) => !file.startsWith(join(proxySource, 'timers')))
      .filter((file) => /\b(setTimeout|setInterval|setImmediate)\s*\(/.test(readFileSync(file, 'utf8').replace(/timers\.setTimeout\(|\.setTimeout\(/g, '')))
      .map((file) => relative(proxySource, file));
    expect(waiting).toEqual([]);
  });
});
