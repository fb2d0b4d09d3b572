import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the library bundles for browsers', () => {
  it('lib/index.ts bundles with platform "browser" and pulls in no Node built-in', async () => {
    const result = await build({
      entryPoints: ['lib/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith('lib/run/'))).toBe(true);
    expect(inputs.filter((path) => path.startsWith('node:') || /(^|\/)node_modules\/@types\/node\//.test(path))).toEqual([]);
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
  }, 30_000);
});
