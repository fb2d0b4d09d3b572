/**
 * Where a run is: `running`, then exactly one terminal state. `suspended` ends a
 * run whose remaining work waits for approvals (see the `suspendOnApproval` option);
 * `resume` continues it.
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'suspended';

/** A status a run ends in. */
export type TerminalRunStatus = Exclude<RunStatus, 'running'>;
