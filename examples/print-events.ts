import type { StreamEvent } from '../lib/index.js';

/** Prints run events readably: streamed text inline, everything else on its own line. */
export function printEvent(event: StreamEvent<unknown>): void {
  const line = (text: string) => {
    process.stdout.write(`${atLineStart ? '' : '\n'}${text}\n`);
    atLineStart = true;
  };
  switch (event.type) {
    case 'run.updated':
      line(`● run ${event.status}${event.reason ? ` (${event.reason})` : ''}${event.error ? `: ${event.error.message}` : ''}`);
      break;
    case 'agent.updated':
      line(`● agent ${event.agent}`);
      break;
    case 'text.delta':
      if (atLineStart) process.stdout.write('  ');
      process.stdout.write(event.delta);
      atLineStart = false;
      break;
    case 'item.created': {
      const item = event.item;
      if (item.type === 'tool_call') line(`  → ${item.rawItem.name}(${item.rawItem.arguments})`);
      if (item.type === 'tool_output') line(`  ← ${item.toolName}: ${item.rawItem.output}`);
      if (item.type === 'handoff') line(`  ⇢ handoff from ${item.agentName} to ${item.targetAgent}`);
      if (item.type === 'injected_input') line(`  + injected: ${JSON.stringify('content' in item.rawItem ? item.rawItem.content : item.rawItem)}`);
      break;
    }
    case 'tool.progress':
      line(`    … ${event.toolName}: ${typeof event.value === 'string' ? event.value : JSON.stringify(event.value)}`);
      break;
    case 'guardrail.result':
      line(`  ◆ ${event.result.kind} guardrail ${event.result.name}: ${event.result.output.tripwireTriggered ? 'TRIPPED' : 'passed'}`);
      break;
    case 'tool.approval_requested':
      line(`  ? ${event.toolName}(${JSON.stringify(event.arguments)}) waits for approval`);
      break;
    case 'turn.interrupted':
      line(`  ✂ interrupted, discarded: "${event.partialText}"`);
      break;
  }
}

let atLineStart = true;
