/** Token usage, summed over every model call of a run. */
export interface Usage {
  /** Number of model requests that reported usage. */
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  /** Output tokens spent on reasoning. */
  readonly reasoningTokens: number;
}

/** Usage of nothing yet. */
export const emptyUsage: Usage = Object.freeze({
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
});

/** The sum of two usages. */
export function addUsage(a: Usage, b: Partial<Usage>): Usage {
  return {
    requests: a.requests + (b.requests ?? 1),
    inputTokens: a.inputTokens + (b.inputTokens ?? 0),
    outputTokens: a.outputTokens + (b.outputTokens ?? 0),
    totalTokens: a.totalTokens + (b.totalTokens ?? (b.inputTokens ?? 0) + (b.outputTokens ?? 0)),
    cachedInputTokens: a.cachedInputTokens + (b.cachedInputTokens ?? 0),
    reasoningTokens: a.reasoningTokens + (b.reasoningTokens ?? 0),
  };
}
