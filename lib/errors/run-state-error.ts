import { AgentsError } from './agents-error.js';

/** A suspended run's state cannot be resumed: wrong version, malformed, or naming an agent or tool that is not there. */
export class RunStateError extends AgentsError {}
