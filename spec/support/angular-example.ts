import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The Angular example app. */
export const exampleDir = resolve('examples/angular');

/**
 * Its two production builds: the default, zoneless (`ng build`), and the same app with zone.js
 * (`ng build -c production,zone`: `src/main.zone.ts`, zone.js as a polyfill).
 */
export const exampleBuilds = {
  zoneless: { dir: join(exampleDir, 'dist/browser'), configuration: 'production' },
  zone: { dir: join(exampleDir, 'dist-zone/browser'), configuration: 'production,zone' },
} as const;

export type ExampleVariant = keyof typeof exampleBuilds;

/**
 * Builds a variant of the example app unless a build newer than every source (the app's and
 * the library's) is there: `.ci/run` builds both before the tests, so in CI this only checks;
 * locally it saves a stale build from being tested. A failed build fails the test.
 */
export async function ensureExampleBuilt(variant: ExampleVariant = 'zoneless'): Promise<string> {
  const { dir, configuration } = exampleBuilds[variant];
  const index = join(dir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs > newestSource()) return dir;
  await promisify(execFile)('npx', ['ng', 'build', '-c', configuration], { cwd: exampleDir, maxBuffer: 16 * 1024 * 1024 });
  return dir;
}

function newestSource(): number {
  const roots = [resolve('lib'), join(exampleDir, 'src'), join(exampleDir, 'angular.json'), join(exampleDir, 'tsconfig.json')];
  let newest = 0;
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  roots.forEach(visit);
  return newest;
}
