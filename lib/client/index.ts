/**
 * rxjs-agents/client: runs on a server (`serveRuns` from `rxjs-agents/server`) as
 * cold Observables in the browser. Browser-safe: rxjs, web standards and an SSE parser.
 * @packageDocumentation
 */
export type { FetchLike } from './event-stream.js';
export {
  remoteRun,
  type AttachRemoteRunOptions,
  type LateControl,
  type ReconnectOptions,
  type RemoteRunCommonOptions,
  type RemoteRunOptions,
  type StartRemoteRunOptions,
} from './remote-run.js';
export { RemoteRunError } from './remote-run-error.js';
