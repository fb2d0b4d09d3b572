export * from '../../lib/index.js';
export { toArray } from 'rxjs';
