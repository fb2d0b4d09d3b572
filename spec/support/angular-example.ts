import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The Angular example app and where its production build goes. */
export const exampleDir = resolve('examples/angular');
export const exampleBuild = join(exampleDir, 'dist/browser');

/**
 * Builds the example app unless a build newer than every source (the app's and
 * the library's) is there: `.ci/run` builds it before the tests, so in CI this
 * only checks; locally it saves a stale build from being tested. A failed build fails the test.
 */
export async function ensureExampleBuilt(): Promise<void> {
  const index = join(exampleBuild, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs > newestSource()) return;
  await promisify(execFile)('npx', ['ng', 'build'], { cwd: exampleDir, maxBuffer: 16 * 1024 * 1024 });
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
