import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { defaultEnv } from './default-env.js';
import { spawnGroup, stopGroup } from './process-group.js';

/** How to start an MCP server that speaks over its stdin and stdout. */
export interface McpStdioServerOptions {
  readonly command: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** The server's whole environment. Default: only `PATH`, `HOME`, `LANG`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the server's stderr goes. Default `inherit`. */
  readonly stderr?: 'inherit' | 'ignore';
  /** On close: time to exit on its own after stdin closes, then between SIGTERM and SIGKILL; default 2000 ms each. */
  readonly killGraceMs?: number;
}

/**
 * An MCP client transport that runs the server as a child process in its own
 * process group. `close()` shuts it down as the MCP spec asks, without waiting:
 * stdin is closed, then the whole group gets SIGTERM and at last SIGKILL, so
 * nothing the server started is left behind. The server dying (its exit also
 * stops what it left running) is reported through `onclose`, like any transport.
 *
 * @example
 * const files = mcpServer({ name: 'files', transport: () => new McpStdioTransport({ command: 'node', args: ['server.js'] }) });
 */
export class McpStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child: ChildProcess | undefined;
  private serialize: ((message: JSONRPCMessage) => string) | undefined;
  private closed = false;
  private exited = false;
  private version: string | undefined;

  constructor(private readonly options: McpStdioServerOptions) {}

  /** The server process's pid (also its process group's id), once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The protocol version agreed at initialization. */
  get protocolVersion(): string | undefined {
    return this.version;
  }

  setProtocolVersion(version: string): void {
    this.version = version;
  }

  async start(): Promise<void> {
    // Loaded here, so `rxjs-agents/node` works without the optional MCP SDK until this is used.
    const { ReadBuffer, serializeMessage } = await import('@modelcontextprotocol/sdk/shared/stdio.js');
    this.serialize = serializeMessage;
    const options = this.options;
    const stdio: StdioOptions = ['pipe', 'pipe', options.stderr ?? 'inherit'];
    const child = spawnGroup(options.command, options.args ?? [], { cwd: options.cwd, env: options.env ?? defaultEnv(), stdio });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const buffer = new ReadBuffer();
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = buffer.readMessage();
        } catch (error) {
          this.onerror?.(error as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    child.stdin!.on('error', (error) => this.onerror?.(error));
    child.once('exit', () => {
      this.exited = true;
      this.end();
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || !this.serialize) return Promise.reject(new Error('Not connected'));
    const line = this.serialize(message);
    return new Promise((resolve) => (stdin.write(line) ? resolve() : stdin.once('drain', resolve)));
  }

  close(): Promise<void> {
    this.end();
    return Promise.resolve();
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    const child = this.child;
    if (child) {
      child.stdin?.end();
      child.stdout?.destroy();
      const grace = this.options.killGraceMs ?? 2000;
      // A server that exited is not waited for: what it left running is stopped at once.
      if (child.pid !== undefined) stopGroup(child.pid, grace, this.exited ? 0 : grace);
    }
    this.onclose?.();
  }
}
