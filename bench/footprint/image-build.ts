import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShortlineBuild } from './launch.js';

/** Where the Dockerfile puts the checkout. */
const IMAGE_ROOT = '/app/';

/**
 * What the image runs, read from the Dockerfile's ENTRYPOINT (`["node", FLAGS..., SCRIPT]`), with
 * the script found in this checkout: so the benchmark measures the bundle under the image's Node
 * flags, whatever they become.
 */
export function imageBuild(root: string): ShortlineBuild {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const match = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (match === null) throw new Error('the Dockerfile has no ENTRYPOINT ["node", ...] line');
  const command = JSON.parse(match[1] as string) as string[];
  const script = command.at(-1) ?? '';
  if (command[0] !== 'node' || !script.startsWith(IMAGE_ROOT)) throw new Error(`unexpected ENTRYPOINT ${match[1] as string}`);
  return { label: 'image (bundle)', entry: join(root, script.slice(IMAGE_ROOT.length)), nodeFlags: command.slice(1, -1) };
}
