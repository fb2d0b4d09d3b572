// What the scaling curves feed every contender: a conversation history of N items and
// a set of T tools, the same for all, in the shapes each library stores.

/**
 * N history items in the Responses API's shape (which is rxjs-agents' history shape
 * too), in blocks of four: a user message, a function call, its output, the assistant's answer.
 */
export function makeHistory(n) {
  const items = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = i >> 2;
    switch (i & 3) {
      case 0:
        items[i] = { role: 'user', content: `Question number ${k}: what is stored under k${k}?` };
        break;
      case 1:
        items[i] = { type: 'function_call', id: `fc_${k}`, call_id: `call_${k}`, name: 'lookup', arguments: `{"key":"k${k}"}`, status: 'completed' };
        break;
      case 2:
        items[i] = { type: 'function_call_output', call_id: `call_${k}`, output: `{"value":"v${k}"}` };
        break;
      default:
        items[i] = {
          type: 'message',
          role: 'assistant',
          id: `msg_${k}`,
          status: 'completed',
          content: [{ type: 'output_text', text: `Under k${k} the value is v${k}.`, annotations: [] }],
        };
    }
  }
  return items;
}

/**
 * T tools: `lookup` ({ key }) first, the tool the bench server calls, then T − 1 others
 * with three required fields each and their own names and descriptions.
 */
export function toolSpecs(count) {
  const specs = [{ name: 'lookup', description: 'Looks a key up.', fields: { key: 'The key to look up.' } }];
  for (let i = 1; i < count; i++) {
    specs.push({
      name: `tool_${i}`,
      description: `Tool number ${i}: searches collection ${i} and returns the matching records.`,
      fields: { query: `What to search for in collection ${i}.`, limit: 'How many records at most.', mode: 'fast or exact.' },
    });
  }
  return specs;
}

/** The strict JSON schema of a tool spec, as a hand-written raw-client application would write it. */
export function jsonSchemaOf(spec) {
  const properties = {};
  for (const [field, description] of Object.entries(spec.fields)) {
    properties[field] =
      field === 'limit' ? { type: 'integer', description } : field === 'mode' ? { type: 'string', enum: ['fast', 'exact'], description } : { type: 'string', description };
  }
  return { type: 'object', properties, required: Object.keys(spec.fields), additionalProperties: false };
}

/** The zod schema of a tool spec (for the libraries that take zod). */
export function zodSchemaOf(z, spec) {
  const shape = {};
  for (const [field, description] of Object.entries(spec.fields)) {
    shape[field] =
      field === 'limit' ? z.number().int().describe(description) : field === 'mode' ? z.enum(['fast', 'exact']).describe(description) : z.string().describe(description);
  }
  return z.object(shape);
}
