import { AgentsError } from './agents-error.js';

/**
 * The server process that executed a remote run stopped (it crashed, was killed, or
 * lost its store) before the run ended: another node saw its ownership lapse and
 * ended the run `failed` with this error. The conversation's history holds every
 * turn the run completed, so it can be continued.
 */
export class RunOwnerLostError extends AgentsError {}
