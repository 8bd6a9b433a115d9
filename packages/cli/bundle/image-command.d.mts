/**
 * The Node flags, the script (a path in the checkout at `root`) and the environment the image runs
 * `root`/Dockerfile's ENTRYPOINT with.
 */
export function imageCommand(root: string): { nodeFlags: string[]; script: string; env: Record<string, string> };
