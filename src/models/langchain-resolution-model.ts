// Gemini or Ollama through LangChain: a prompt with the ticket, the retrieved passages and past
// resolutions — all quoted as data — answered as JSON that LangChain's StructuredOutputParser validates
// against a zod schema. The system message is written for whoever reads the answer.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { StructuredOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { z } from 'zod';
import type { TicketAudience } from '../tickets/ticket-audience';
import { QUOTED_DATA_RULE, quoted, quotedAll } from './quoted-data';
import { ResolutionDraft, ResolutionModel, ResolutionRequest, toModelUnavailable } from './resolution-model';
import { callWithLimits, ModelCallLimits } from './model-call-limits';

const suggestionSchema = z.object({
  summary: z.string().min(1).max(2000).describe('One or two sentences: what to do about the ticket'),
  steps: z.array(z.string().min(1).max(1000)).max(12).describe('Concrete steps, in order, for the reader the instructions name'),
  citations: z.array(z.string()).max(12).describe('The ids of the passages the steps rely on, e.g. "chunk:…"'),
  confidence: z.number().min(0).max(1).describe('0 to 1: how well the passages answer the ticket'),
});

const GROUNDING =
  'Use ONLY the knowledge-base passages and past resolutions given. Cite the ids of the passages you used. ' +
  'If they do not answer the ticket, say so, give no steps and a confidence below 0.3.';

/** Who the answer is for decides how it is written; nothing else differs. */
const ROLE: Record<TicketAudience, string> = {
  staff:
    'You assist an IT support engineer. Suggest how support should resolve the ticket: steps for the support engineer, ' +
    'who may use admin consoles and internal tools.',
  requester:
    'You write to the employee who filed this IT ticket. Tell them, in plain words, what they can do themselves: ' +
    'steps they can follow on their own device or account. Never mention other tickets, other people or internal tools; ' +
    'if the passages do not answer it, say that the support team will take it up.',
};

const prompt = ChatPromptTemplate.fromMessages([
  ['system', '{role}\n{grounding}\n{quoted_data_rule}\n{format_instructions}'],
  ['human', 'The ticket ({request_type}, {category}):\n{ticket}\n\nKnowledge-base passages:\n{passages}\n\nHow similar past tickets were resolved:\n{resolutions}'],
]);

export class LangChainResolutionModel implements ResolutionModel {
  private readonly parser = StructuredOutputParser.fromZodSchema(suggestionSchema);

  constructor(
    readonly name: string,
    private readonly model: BaseChatModel,
    private readonly limits: ModelCallLimits,
  ) {}

  async suggest(request: ResolutionRequest): Promise<ResolutionDraft> {
    const chain = prompt.pipe(this.model).pipe(this.parser);
    try {
      const answer = await callWithLimits(this.limits, (signal) => chain.invoke(
        {
          role: ROLE[request.audience],
          grounding: GROUNDING,
          quoted_data_rule: QUOTED_DATA_RULE,
          format_instructions: this.parser.getFormatInstructions(),
          request_type: request.ticket.requestType,
          category: request.ticket.category,
          ticket: quoted('ticket', `${request.ticket.title}\n${request.ticket.description}`),
          passages: quotedAll(
            'kb-passage',
            request.passages.map((p) => ({ id: `chunk:${p.chunkId}`, text: `${p.title}${p.heading ? ` › ${p.heading}` : ''}\n${p.text}` })),
          ),
          resolutions: quotedAll('past-resolution', request.pastResolutions.map((text) => ({ text }))),
        },
        { signal },
      ));
      return {
        summary: answer.summary,
        steps: answer.steps,
        citedChunkIds: answer.citations.map((citation) => citation.replace(/^chunk:/, '').trim()),
        confidence: answer.confidence,
      };
    } catch (error) {
      throw toModelUnavailable(this.name, error);
    }
  }
}
