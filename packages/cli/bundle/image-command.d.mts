/** The Node flags and the script (a path in the checkout at `root`) of `root`/Dockerfile's ENTRYPOINT. */
export function imageCommand(root: string): { nodeFlags: string[]; script: string };
