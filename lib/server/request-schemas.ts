import { z } from 'zod';

const name = z.string().min(1).max(200);

/**
 * What a client may send as input: text, or user messages (text and image parts).
 * System, developer, assistant and tool items are refused: a browser could forge them.
 */
const userMessage = z.object({
  type: z.literal('message').optional(),
  role: z.literal('user'),
  content: z.union([
    z.string(),
    z.array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('input_text'), text: z.string() }),
        z.object({ type: z.literal('input_image'), image_url: z.string(), detail: z.enum(['low', 'high', 'auto']).optional() }),
      ]),
    ).min(1),
  ]),
});
const clientInput = z.union([z.string().min(1), userMessage, z.array(userMessage).min(1).max(100)], {
  error: 'expected non-empty text, a user message, or a list of user messages ({ role: "user", content }); other roles and items cannot be sent',
});

/** `POST runs` */
export const startRunBody = z.object({
  agent: name,
  input: clientInput,
  conversationId: name.optional(),
});

/** `POST runs/{id}/cancel` */
export const cancelBody = z.object({
  reason: z.string().max(1000).optional(),
  mode: z.enum(['immediate', 'after_turn']).optional(),
});

/** `POST runs/{id}/inject` */
export const injectBody = z.object({ input: clientInput });

/** `POST runs/{id}/approvals` */
export const approvalBody = z.object({
  callId: name,
  approved: z.boolean(),
  message: z.string().max(10_000).optional(),
});
