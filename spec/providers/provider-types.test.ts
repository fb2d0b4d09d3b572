import { describe, expectTypeOf, it } from 'vitest';
import { Agent, type HostedTool, type InputItem, type ProviderItem, type ReasoningDeltaEvent, type RunItem, type StreamEvent } from '../../lib/index.js';
import { fileSearchTool, hostedMcpTool, type OpenAIResponsesModelOptions, webSearchTool } from '../../lib/openai/index.js';

describe('public types of reasoning, provider items and hosted tools', () => {
  it('reasoning.delta is a stream event; provider items are history items and run items', () => {
    expectTypeOf<ReasoningDeltaEvent>().toExtend<StreamEvent>();
    expectTypeOf<Extract<StreamEvent, { type: 'reasoning.delta' }>>().toEqualTypeOf<ReasoningDeltaEvent>();
    expectTypeOf<ProviderItem>().toExtend<InputItem>();
    expectTypeOf<Extract<RunItem, { type: 'provider_item' }>['rawItem']>().toEqualTypeOf<ProviderItem>();
    expectTypeOf<Extract<RunItem, { type: 'provider_item' }>['itemType']>().toEqualTypeOf<string>();
  });

  it('hosted tools take the API options, typed', () => {
    expectTypeOf(webSearchTool).parameter(0).exclude<undefined>().toHaveProperty('search_context_size');
    expectTypeOf(webSearchTool()).toEqualTypeOf<HostedTool>();
    // @ts-expect-error vector_store_ids is required
    fileSearchTool({});
    // @ts-expect-error a web search has no such option
    webSearchTool({ nonsense: true });
    // @ts-expect-error an MCP server needs a label
    hostedMcpTool({ server_url: 'https://example.org/mcp' });
    new Agent({ name: 'A', hostedTools: [webSearchTool(), fileSearchTool({ vector_store_ids: ['vs_1'] })] });
  });

  it('continuation is one of three forms', () => {
    expectTypeOf<NonNullable<OpenAIResponsesModelOptions['continuation']>>().toEqualTypeOf<
      'client' | 'previous_response_id' | { readonly conversation: string }
    >();
  });
});
