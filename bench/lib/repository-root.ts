import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shortline launcher, relative to the repository root. */
export const SHORTLINE_BIN = join('packages', 'cli', 'bin', 'shortline.js');

/**
 * The repository root: the nearest folder above this module that holds the shortline launcher. The
 * same from bench/lib (sources, under test) and bench/dist/lib (compiled).
 */
export function repositoryRoot(from: string = fileURLToPath(import.meta.url)): string {
  let directory = dirname(from);
  for (;;) {
    if (existsSync(join(directory, SHORTLINE_BIN))) return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`cannot find ${SHORTLINE_BIN} above ${from}`);
    directory = parent;
  }
}
