import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

let built: Promise<string> | undefined;

/**
 * Compiles spec/support/mcp-stdio-server.ts to plain JavaScript once per test
 * process, so each stdio server starts with `node` alone (a fraction of tsx's startup).
 * It is written inside node_modules so its imports of the SDK resolve.
 */
export function stdioServerScript(): Promise<string> {
  return (built ??= (async () => {
    const dir = join(process.cwd(), 'node_modules', '.cache', 'rxjs-agents-spec');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `mcp-stdio-server-${process.pid}.mjs`);
    process.once('exit', () => rmSync(outfile, { force: true }));
    await build({
      entryPoints: ['spec/support/mcp-stdio-server.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'silent',
    });
    return outfile;
  })());
}
