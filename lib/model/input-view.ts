import type { InputItem } from '../items/input-item.js';
import type { ModelRequest } from './model.js';

/** What a model may read of a request's input without the whole of it: its length, one item, the items from an index on. */
export interface InputView {
  readonly length: number;
  at(index: number): InputItem | undefined;
  slice(start: number): readonly InputItem[];
}

const views = new WeakMap<ModelRequest, InputView>();

/**
 * Records `view` as the input of `request`, whose `input` joins it when read: a run
 * continuing a long stored conversation hands its model the history without copying it.
 * @internal
 */
export function withInputView(request: ModelRequest, view: InputView): ModelRequest {
  views.set(request, view);
  return request;
}

/**
 * The request's input as a view: the run's own, when it made the request, else the
 * `input` array (which is one). A model that needs only the end of a long history
 * (one continuing a stored response) reads it through this.
 * @internal
 */
export function inputView(request: ModelRequest): InputView {
  return views.get(request) ?? request.input;
}
