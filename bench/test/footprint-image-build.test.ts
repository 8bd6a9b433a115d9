import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { imageBuild } from '../footprint/image-build.js';
import { repositoryRoot } from '../lib/repository-root.js';

// bench:footprint measures what the image runs: the Dockerfile's ENTRYPOINT, read, not restated.

describe('the footprint benchmark', () => {
  test("runs the bundle of the Dockerfile's ENTRYPOINT, under its Node flags, from this checkout", () => {
    const root = repositoryRoot();
    const build = imageBuild(root);
    expect(build.entry).toBe(join(root, 'packages/cli/dist/bundle/shortline.mjs'));
    expect(build.nodeFlags.every((flag) => flag.startsWith('--'))).toBe(true);
  });
});
