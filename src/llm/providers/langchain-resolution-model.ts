// Gemini or Ollama through LangChain: a prompt with the ticket and the retrieved passages, answered as
// JSON that LangChain's StructuredOutputParser validates against a zod schema.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { StructuredOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { z } from 'zod';
import { ResolutionDraft, ResolutionModel, ResolutionRequest, toModelUnavailable } from './resolution-model';

const suggestionSchema = z.object({
  summary: z.string().min(1).max(2000).describe('One or two sentences: what to do about the ticket'),
  steps: z.array(z.string().min(1).max(1000)).max(12).describe('Concrete steps for the support engineer, in order'),
  citations: z.array(z.string()).max(12).describe('The ids of the passages the steps rely on, e.g. "chunk:…"'),
  confidence: z.number().min(0).max(1).describe('0 to 1: how well the passages answer the ticket'),
});

const prompt = ChatPromptTemplate.fromMessages([
  [
    'system',
    'You are an IT support engineer. Suggest how to resolve the ticket using ONLY the knowledge-base passages ' +
      'and past tickets given. Cite the ids of the passages you used. If they do not answer the ticket, say so, ' +
      'give no steps and a confidence below 0.3.\n{format_instructions}',
  ],
  ['human', 'Ticket ({request_type}, {category}): {title}\n{description}\n\nPassages:\n{passages}\n\nSimilar resolved tickets:\n{similar}'],
]);

export class LangChainResolutionModel implements ResolutionModel {
  private readonly parser = StructuredOutputParser.fromZodSchema(suggestionSchema);

  constructor(
    readonly name: string,
    private readonly model: BaseChatModel,
    private readonly timeoutMs: number,
  ) {}

  async suggest(request: ResolutionRequest): Promise<ResolutionDraft> {
    const chain = prompt.pipe(this.model).pipe(this.parser);
    try {
      const answer = await chain.invoke(
        {
          format_instructions: this.parser.getFormatInstructions(),
          title: request.ticket.title,
          description: request.ticket.description,
          request_type: request.ticket.requestType,
          category: request.ticket.category,
          passages: request.passages.map((p) => `[chunk:${p.chunkId}] ${p.title}${p.heading ? ` › ${p.heading}` : ''}\n${p.text}`).join('\n\n') || '(none)',
          similar: request.similarTickets.map((t) => `- ${t.title}: ${t.resolution ?? 'no resolution recorded'}`).join('\n') || '(none)',
        },
        { timeout: this.timeoutMs },
      );
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
