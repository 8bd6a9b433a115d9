import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as ImageCommand from '../../packages/cli/bundle/image-command.mjs';
import type { ShortlineBuild } from './launch.js';

/**
 * What the image runs, read from the Dockerfile's ENTRYPOINT and ENV, with the script found in this
 * checkout: so the benchmark measures the bundle under the image's Node flags and environment,
 * whatever they become. The reader
 * is the bundle's own (packages/cli/bundle/image-command.mjs), loaded from the checkout at `root`,
 * as it sits at another depth below the sources than below bench/dist.
 */
export async function imageBuild(root: string): Promise<ShortlineBuild> {
  const reader = pathToFileURL(join(root, 'packages', 'cli', 'bundle', 'image-command.mjs')).href;
  const { imageCommand } = (await import(reader)) as typeof ImageCommand;
  const { nodeFlags, script, env } = imageCommand(root);
  return { label: 'image (bundle)', entry: script, nodeFlags, env };
}
