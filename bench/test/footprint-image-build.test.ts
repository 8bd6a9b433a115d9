import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { imageBuild } from '../footprint/image-build.js';
import { repositoryRoot } from '../lib/repository-root.js';

// bench:footprint measures what the image runs: the Dockerfile's ENTRYPOINT, read, not restated.

describe('the footprint benchmark', () => {
  test("runs the bundle of the Dockerfile's ENTRYPOINT, under its Node flags, from this checkout", async () => {
    const root = repositoryRoot();
    const build = await imageBuild(root);
    expect(build.entry).toBe(join(root, 'packages/cli/dist/bundle/shortline.mjs'));
    // The sidecar's memory after traffic relies on it (bench/RESULTS.md, "Footprint").
    expect(build.nodeFlags).toContain('--liftoff-only');
    expect(build.nodeFlags.every((flag) => flag.startsWith('--'))).toBe(true);
  });
});
