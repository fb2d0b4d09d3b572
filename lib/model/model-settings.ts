/** Which tool the model may or must call. */
export type ToolChoice = 'auto' | 'required' | 'none' | { readonly name: string };

/** Tuning passed to the model on every call an agent makes. Unset fields use the provider's defaults. */
export interface ModelSettings {
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxOutputTokens?: number;
  readonly toolChoice?: ToolChoice;
  readonly parallelToolCalls?: boolean;
  readonly reasoning?: {
    readonly effort?: 'minimal' | 'low' | 'medium' | 'high';
    readonly summary?: 'auto' | 'concise' | 'detailed';
  };
  /** Extra provider-specific request fields, merged into the request body as they are. */
  readonly extraBody?: Readonly<Record<string, unknown>>;
}
