import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, EMBEDDED_CONFIG_PATH, loadConfigFile, resolveConfigPath } from '../src/config/index.js';

describe('resolveConfigPath', () => {
  test('--config wins over SHORTLINE_CONFIG, which wins over the embedded default', () => {
    expect(resolveConfigPath('a.yaml', { SHORTLINE_CONFIG: '/etc/b.yaml' })).toBe(resolve('a.yaml'));
    expect(resolveConfigPath(undefined, { SHORTLINE_CONFIG: '/etc/b.yaml' })).toBe('/etc/b.yaml');
    expect(resolveConfigPath(undefined, {})).toBe(EMBEDDED_CONFIG_PATH);
    expect(resolveConfigPath('', { SHORTLINE_CONFIG: '' })).toBe(EMBEDDED_CONFIG_PATH);
  });

  test('the embedded default is config/shortline.yaml at the repository root', () => {
    expect(EMBEDDED_CONFIG_PATH).toBe(resolve('config/shortline.yaml'));
    expect(existsSync(EMBEDDED_CONFIG_PATH)).toBe(true);
  });
});

describe('loadConfigFile', () => {
  test('reads and validates the embedded default', async () => {
    const config = await loadConfigFile(EMBEDDED_CONFIG_PATH);
    expect(config.functions.length).toBeGreaterThan(0);
  });

  test('a missing file is a ConfigError naming the path', async () => {
    const missing = join(tmpdir(), 'shortline-no-such-dir', 'shortline.yaml');
    const error = await loadConfigFile(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('SHORTLINE_CONFIG_UNREADABLE');
    expect((error as ConfigError).message).toContain(`${missing}: (file): cannot be read: ENOENT`);
  });

  test('an invalid file is a ConfigError whose problems are prefixed with the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortline-load-'));
    try {
      const path = join(dir, 'bad.yaml');
      writeFileSync(path, 'scheduler: { maxInFlight: -1 }\n');
      const error = await loadConfigFile(path).catch((caught: unknown) => caught);
      expect((error as ConfigError).code).toBe('SHORTLINE_CONFIG_INVALID');
      expect((error as ConfigError).message).toContain(`${path}: scheduler.maxInFlight: must be an integer from 0 to`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
