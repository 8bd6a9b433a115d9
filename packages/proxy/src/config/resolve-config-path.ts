import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `config/shortline.yaml` at the root of the repository. This file sits at the same depth in src/ and
 * in dist/ (packages/proxy/{src,dist}/config/), so one relative URL serves both.
 */
export const EMBEDDED_CONFIG_PATH = fileURLToPath(new URL('../../../../config/shortline.yaml', import.meta.url));

/** Which configuration file to use: `--config PATH`, else SHORTLINE_CONFIG, else the embedded default. */
export function resolveConfigPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return resolve(flag);
  const fromEnv = env['SHORTLINE_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return EMBEDDED_CONFIG_PATH;
}
