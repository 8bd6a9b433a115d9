import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageCommand } from '../../packages/cli/bundle/image-command.mjs';
import { imageBuild } from '../footprint/image-build.js';
import { repositoryRoot } from '../lib/repository-root.js';

// bench:footprint measures what the image runs: the Dockerfile's ENTRYPOINT and ENV, read, not restated.

describe('the footprint benchmark', () => {
  test("runs the bundle of the Dockerfile's ENTRYPOINT, under its Node flags and its final stage's ENV, from this checkout", async () => {
    const root = repositoryRoot();
    const build = await imageBuild(root);
    expect(build.entry).toBe(join(root, 'packages/cli/dist/bundle/shortline.mjs'));
    expect(build.nodeFlags.every((flag) => flag.startsWith('--'))).toBe(true);
    expect(build.env['NODE_ENV']).toBe('production');
    // The sidecar's memory after traffic relies on it (bench/RESULTS.md, "Footprint").
    expect(build.env['MALLOC_MMAP_THRESHOLD_']).toBe('131072');
  });

  test("takes the ENV of the image's own stage, not of the build stage, and refuses an ENV it cannot read", () => {
    const root = mkdtempSync(join(tmpdir(), 'shortline-dockerfile-'));
    try {
      const write = (env: string): void =>
        writeFileSync(join(root, 'Dockerfile'), `FROM node AS build\nENV STAGE=build\nFROM node\n${env}\nENTRYPOINT ["node", "--a-flag", "/app/x.mjs"]\n`);
      write('ENV A=1 B=two\nENV C=3');
      expect(imageCommand(root)).toEqual({ nodeFlags: ['--a-flag'], script: join(root, 'x.mjs'), env: { A: '1', B: 'two', C: '3' } });
      write('ENV A 1');
      expect(() => imageCommand(root)).toThrow('ENV A 1: expected NAME=VALUE');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
