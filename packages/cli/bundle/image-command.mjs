// How the image runs `shortline`: the Dockerfile's ENTRYPOINT (`["node", FLAGS..., SCRIPT]`), read
// rather than restated, so that the bundle's test and bench:footprint run the bundle under the same
// Node flags as the image, whatever they become.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the Dockerfile puts the checkout. */
const IMAGE_ROOT = '/app/';

/**
 * The Node flags and the script (a path in the checkout at `root`) of `root`/Dockerfile's ENTRYPOINT.
 * @param {string} root
 * @returns {{ nodeFlags: string[]; script: string }}
 */
export function imageCommand(root) {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const match = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (match === null) throw new Error('the Dockerfile has no ENTRYPOINT ["node", ...] line');
  const command = JSON.parse(match[1]);
  const script = command.at(-1) ?? '';
  if (command[0] !== 'node' || !script.startsWith(IMAGE_ROOT)) throw new Error(`unexpected ENTRYPOINT ${match[1]}`);
  return { nodeFlags: command.slice(1, -1), script: join(root, script.slice(IMAGE_ROOT.length)) };
}
