import { MemoryRunRegistry } from '../../lib/server/index.js';
import { remoteRunSuite } from './remote-runs.suite.js';

remoteRunSuite('in-memory', () => new MemoryRunRegistry());
