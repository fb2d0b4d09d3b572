/**
 * A triage agent that hands off to specialists. Offline on ScriptedModel.
 *
 *   npx tsx examples/handoffs.ts
 */
import { lastValueFrom, tap } from 'rxjs';
import * as z from 'zod';
import { Agent, handoff, removeToolCalls, run, ScriptedModel, tool } from '../lib/index.js';
import { printEvent } from './print-events.js';

const lookupInvoice = tool({
  name: 'lookup_invoice',
  description: 'Finds an invoice by number',
  parameters: z.object({ number: z.string() }),
  execute: ({ number }) => ({ number, amount: '42.00 EUR', status: 'paid on 3 November' }),
});

const billing = new Agent({
  name: 'Billing',
  handoffDescription: 'Invoices, payments and receipts',
  instructions: 'You answer billing questions.',
  tools: [lookupInvoice],
  model: new ScriptedModel({
    delayMs: 20,
    turns: [
      { toolCalls: [{ name: 'lookup_invoice', arguments: { number: 'INV-1042' } }] },
      { text: 'Invoice INV-1042 (42.00 EUR) was paid on 3 November.' },
    ],
  }),
});

const refunds = new Agent({
  name: 'Refunds',
  handoffDescription: 'Refund requests',
  model: new ScriptedModel({ turns: [{ text: 'I can help with that refund.' }] }),
});

const triage = new Agent({
  name: 'Triage',
  instructions: 'Route the customer to the right specialist.',
  // The refunds specialist only sees the conversation, not earlier tool traffic.
  handoffs: [billing, handoff(refunds, { inputFilter: removeToolCalls, onHandoff: ({ toAgent }) => console.log(`  (routing to ${toAgent})`) })],
  model: new ScriptedModel({ turns: [{ text: 'Let me get you to billing.', toolCalls: [{ name: 'transfer_to_billing' }] }], delayMs: 20 }),
});

const result = await lastValueFrom(run(triage, 'Was invoice INV-1042 paid?').pipe(tap(printEvent)));
if (result.type === 'run.updated') console.log(`\nlast agent: ${result.result?.lastAgent}`);
