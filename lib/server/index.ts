/**
 * rxjs-agents/server: serve runs to browsers and other processes over HTTP
 * (Server-Sent Events), with cancel, inject and approvals across the wire.
 * Web-standard `Request`/`Response`, so it mounts in Node's `http`, Express, Hono, Fastify…
 * @packageDocumentation
 */
export { HttpError, type HttpErrorCode } from './http-error.js';
export { MemoryRunRegistry, type MemoryRunRegistryOptions } from './memory-run-registry.js';
export type { ControlOutcome, ControlReceiver, LoggedEvent, OwnedRun, RunControl, RunRecord, RunRegistry } from './run-registry.js';
export { serveRuns, withoutRawModelEvents, type RunRequestInfo, type RunsHandler, type ServeRunsOptions, type ServerRunOptions } from './serve-runs.js';
