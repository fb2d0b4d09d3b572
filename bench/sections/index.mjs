// The report's sections, in the order they run and appear. To add one, write
// sections/<name>.mjs (see bench/README.md, "Adding a section") and list its file here.
export const sectionFiles = [
  // A side-by-side summary of the headline metrics (reads the sections below; measures nothing).
  'summary.mjs',
  // Headline metrics, every contender, several rounds.
  'throughput.mjs',
  'cancel.mjs',
  'tool-loop.mjs',
  'memory.mjs',
  'tool-abort.mjs',
  'leaks.mjs',
  // Scaling curves, drawn into bench/plots/.
  'history.mjs',
  'tools.mjs',
  'concurrency.mjs',
  'stream-length.mjs',
  // Durable conversations on a real Redis (rxjs-agents only).
  'durable.mjs',
  // Remote runs over HTTP: serveRuns and remoteRun in two processes (rxjs-agents only).
  'remote.mjs',
  // Many nodes: the RedisRunRegistry's event log and cross-node cancel (rxjs-agents only).
  'nodes.mjs',
];
