// Triage by Gemini or Ollama through LangChain, answered as JSON validated by a zod schema. The policy's
// rules still decide what happens next; the model only reads the request, quoted as data.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { StructuredOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { z } from 'zod';
import { TicketCategory, TicketPriority } from '../tickets/ticket.enums';
import { QUOTED_DATA_RULE, quoted } from './quoted-data';
import { toModelUnavailable } from './resolution-model';
import { hasPrivilegedWording, higherPriority, TriageModel, TriageRequest, TriageResult } from './triage-model';
import { callWithLimits, ModelCallLimits } from './model-call-limits';

const triageSchema = z.object({
  category: z.enum(Object.values(TicketCategory) as [string, ...string[]]).describe('The best category for the request'),
  priority: z.enum(Object.values(TicketPriority) as [string, ...string[]]).describe('How urgent the request really is'),
  missing_information: z.array(z.string().max(300)).max(5).describe('What the requester must still tell support; empty if nothing'),
  privileged_access: z.boolean().describe('True if the request asks for admin, root or other elevated rights'),
  reasons: z.array(z.string().max(300)).max(8).describe('One short line per finding'),
});

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You triage IT support requests. Read the request and answer only with the JSON asked for.\n{quoted_data_rule}\n{format_instructions}'],
  ['human', 'Request type: {request_type}\nCategory chosen: {category}\nPriority chosen: {priority} (urgency {urgency})\nThe request:\n{request}'],
]);

export class LangChainTriageModel implements TriageModel {
  private readonly parser = StructuredOutputParser.fromZodSchema(triageSchema);

  constructor(
    readonly name: string,
    private readonly model: BaseChatModel,
    private readonly limits: ModelCallLimits,
  ) {}

  async triage(request: TriageRequest): Promise<TriageResult> {
    const chain = prompt.pipe(this.model).pipe(this.parser);
    try {
      const answer = await callWithLimits(this.limits, (signal) => chain.invoke(
        {
          format_instructions: this.parser.getFormatInstructions(),
          request_type: request.requestType,
          category: request.category,
          priority: request.priority,
          urgency: request.urgency,
          quoted_data_rule: QUOTED_DATA_RULE,
          // What the requester wrote: read as data, never obeyed.
          request: quoted(
            'ticket',
            `Title: ${request.title}\nDescription: ${request.description}\nBusiness justification: ${request.businessJustification ?? '(none given)'}`,
          ),
        },
        { signal },
      ));
      return {
        category: answer.category,
        // A model may raise the priority, never lower what the requester chose.
        priority: higherPriority(answer.priority, request.priority),
        missing: answer.missing_information,
        privileged: answer.privileged_access || hasPrivilegedWording(`${request.title}\n${request.description}`),
        reasons: answer.reasons,
      };
    } catch (error) {
      throw toModelUnavailable(this.name, error);
    }
  }
}
