import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The package.json fields the packaging tests read. */
export interface PackageJson {
  readonly name: string;
  readonly exports: Readonly<Record<string, unknown>>;
  readonly peerDependencies: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
}

export const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;

/**
 * The package's entry points (`.`, `./openai`, …), read from package.json `exports`:
 * adding an entry there is enough for it to be packed, imported, type-checked and bundled.
 */
export const entries: readonly string[] = Object.keys(packageJson.exports).filter((entry) => entry !== './package.json');

/** How an application imports an entry point: `rxjs-agents`, `rxjs-agents/openai`, … */
export const specifier = (entry: string): string => (entry === '.' ? packageJson.name : `${packageJson.name}/${entry.slice(2)}`);
