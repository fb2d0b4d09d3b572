import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const lib = fileURLToPath(new URL('./lib', import.meta.url));

export default defineConfig({
  // The examples import the package by name, as users do; tests run them on the sources.
  resolve: {
    alias: [
      { find: /^rxjs-agents$/, replacement: `${lib}/index.ts` },
      { find: /^rxjs-agents\/(\w+)$/, replacement: `${lib}/$1/index.ts` },
    ],
  },
  test: {
    include: ['spec/**/*.test.ts'],
    testTimeout: 10_000,
    hookTimeout: 10_000,
  },
});
