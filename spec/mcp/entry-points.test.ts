import { build } from 'esbuild';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Agent, type Tool, type ToolSource } from '../../lib/index.js';
import { mcpServer, type McpConnection } from '../../lib/mcp/index.js';
import { McpStdioTransport, processTool, type ProcessOutput } from '../../lib/node/index.js';

describe('entry points', () => {
  it('rxjs-agents/mcp bundles for browsers without Node built-ins (Streamable HTTP); stdio lives in rxjs-agents/node', async () => {
    const result = await build({ entryPoints: ['lib/mcp/index.ts'], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    expect(result.errors).toEqual([]);
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => path.startsWith('node:') || ['child_process', 'fs', 'stream', 'process'].includes(path))).toEqual([]);
    expect(Object.keys(result.metafile.inputs).some((path) => path.includes('client/stdio'))).toBe(false);
  }, 30_000);

  it('types: server tools and process tools go where an agent takes tools', () => {
    const server = mcpServer({ name: 'docs', url: 'http://127.0.0.1:1/mcp' });
    expectTypeOf(server.tools()).toEqualTypeOf<ToolSource<unknown>>();
    expectTypeOf(server.tools<{ user: string }>()).toEqualTypeOf<ToolSource<{ user: string }>>();
    expectTypeOf(server.connection$).toExtend<import('rxjs').Observable<McpConnection>>();
    expectTypeOf(processTool({ allow: ['ls'] })).toEqualTypeOf<Tool<unknown>>();
    expectTypeOf<ProcessOutput['exitCode']>().toEqualTypeOf<number | null>();
    expectTypeOf(mcpServer).parameter(0).toHaveProperty('transport');
    expectTypeOf(() => new McpStdioTransport({ command: 'node' })).returns.toHaveProperty('pid');
    const agent = new Agent<{ user: string }>({ name: 'A', tools: [server.tools(), processTool({ needsApproval: true })] });
    expect(agent.tools).toHaveLength(2);
  });
});
