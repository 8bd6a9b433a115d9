// How the image runs `shortline`: the Dockerfile's ENTRYPOINT (`["node", FLAGS..., SCRIPT]`) and the
// ENV of its final stage, read rather than restated, so that the bundle's test and bench:footprint
// run the bundle under the same Node flags and environment as the image, whatever they become.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the Dockerfile puts the checkout. */
const IMAGE_ROOT = '/app/';

/**
 * `ENV NAME=VALUE ...` lines after the last FROM (the stage the image runs), in order.
 * @param {string} dockerfile
 * @returns {Record<string, string>}
 */
function finalStageEnv(dockerfile) {
  const lastFrom = [...dockerfile.matchAll(/^FROM\s/gm)].at(-1)?.index ?? 0;
  const env = {};
  for (const [line, assignments] of dockerfile.slice(lastFrom).matchAll(/^ENV\s+(.*)$/gm)) {
    for (const assignment of assignments.trim().split(/\s+/)) {
      const equals = assignment.indexOf('=');
      if (equals <= 0) throw new Error(`the Dockerfile's ${line.trim()}: expected NAME=VALUE`);
      env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
    }
  }
  return env;
}

/**
 * The Node flags, the script (a path in the checkout at `root`) and the environment the image runs
 * `root`/Dockerfile's ENTRYPOINT with.
 * @param {string} root
 * @returns {{ nodeFlags: string[]; script: string; env: Record<string, string> }}
 */
export function imageCommand(root) {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const match = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (match === null) throw new Error('the Dockerfile has no ENTRYPOINT ["node", ...] line');
  const command = JSON.parse(match[1]);
  const script = command.at(-1) ?? '';
  if (command[0] !== 'node' || !script.startsWith(IMAGE_ROOT)) throw new Error(`unexpected ENTRYPOINT ${match[1]}`);
  return { nodeFlags: command.slice(1, -1), script: join(root, script.slice(IMAGE_ROOT.length)), env: finalStageEnv(dockerfile) };
}
