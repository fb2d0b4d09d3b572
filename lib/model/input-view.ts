import type { InputItem } from '../items/input-item.js';
import type { ModelRequest } from './model.js';

/** What a model may read of a request's input without the whole of it: its length, one item, the items from an index on. */
export interface InputView {
  readonly length: number;
  at(index: number): InputItem | undefined;
  slice(start: number): readonly InputItem[];
}

/** The views behind run-made requests, by the getter of their `input`. */
const views = new WeakMap<() => unknown, InputView>();

/**
 * Records `view` as what the getter of `request.input` joins (see `modelRequest`): a
 * run continuing a long stored conversation hands its model the history without copying it.
 * @internal
 */
export function withInputView(request: ModelRequest, view: InputView): ModelRequest {
  const get = Object.getOwnPropertyDescriptor(request, 'input')?.get;
  if (get) views.set(get, view);
  return request;
}

/**
 * The request's input as a view: the run's own while `input` is still the getter the
 * run made (a copy of the request, an assigned or redefined `input` is read as it is),
 * else the `input` array, which is one. A model that needs only the end of a long
 * history (one continuing a stored response) reads it through this.
 * @internal
 */
export function inputView(request: ModelRequest): InputView {
  const get = Object.getOwnPropertyDescriptor(request, 'input')?.get;
  return (get && views.get(get)) || request.input;
}
