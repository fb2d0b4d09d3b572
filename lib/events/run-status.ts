/** Where a run is: `running`, then exactly one of the three terminal states. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** A status a run ends in. */
export type TerminalRunStatus = Exclude<RunStatus, 'running'>;
