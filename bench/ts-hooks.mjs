// Module hooks (registered by ts-loader.mjs) that load TypeScript the way the published
// package runs: transpiled, type annotations stripped, nothing added. tsx, the obvious
// choice, compiles with esbuild's `keepNames`, which wraps every function the library
// creates in `__name(fn, …)`; that gives each closure a property store (≈ 256 bytes)
// and costs a call, which would be charged to the library in the memory and speed
// columns. tsc's output (dist/) has no such wrapper, and neither does this.
import { readFile } from 'node:fs/promises';
import { transform } from 'esbuild';

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    // TypeScript sources import each other as './x.js'.
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { code } = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    sourcefile: url,
    // As the repository's tsconfig.json compiles (target ES2022: class fields are defined).
    tsconfigRaw: { compilerOptions: { target: 'ES2022', useDefineForClassFields: true, verbatimModuleSyntax: false } },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
