import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every part of the Knative adapters that reads time or waits takes the proxy's Timers (or core's
// Clock), so that a test can drive all of it by hand. Sockets' and requests' own idle timeouts (their
// own `setTimeout` method) are allowed.

const knativeSource = fileURLToPath(new URL('../src', import.meta.url));

describe('packages/knative keeps one clock', () => {
  const files = readdirSync(knativeSource, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files)('%s reads time and waits only on the injected timers', (file) => {
    const code = readFileSync(join(knativeSource, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/from ['"](node:)?timers(\/promises)?['"]|from ['"](node:)?perf_hooks['"]/);
    expect(code).not.toMatch(/\b(performance\.now|Date\.now|new Date|setInterval|setImmediate)\b/);
    expect(code).not.toMatch(/(?<![.\w])(setTimeout|clearTimeout)\s*\(/);
  });
});
