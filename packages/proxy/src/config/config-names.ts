const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,252}$/;

/**
 * Pool and function names become metric labels, log fields and /debug keys, and in gateway mode may
 * be `namespace/revision`; anything outside this small alphabet is more likely a mistake than a name.
 * Returns why a name is bad, or undefined.
 */
export function checkName(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
  return 'must be 1 to 253 letters, digits or . _ : / - and start with a letter or digit';
}
