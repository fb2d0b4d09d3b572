import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { ModelError } from '../../errors/agents-error.js';
import type { AssistantMessageItem, FunctionCallItem, OutputPart } from './chat-output.js';
import type { ModelEvent } from '../../model/model.js';
import type { Usage } from '../../model/usage.js';
import type { StreamTranslator } from './openai-stream.js';
