// Gemini or Ollama through LangChain: a prompt with the ticket, the retrieved passages and past
// resolutions — all quoted as data — answered as JSON that LangChain's StructuredOutputParser validates
// against a zod schema. The system message is written for whoever reads the answer. The composition rules
// of the offline composer hold here too: plain text, ordered steps, no step twice, citations of passages
// given only (checked by the Llm module). An answer that does not fit the schema is refused and asked
// for again once, with the reason; a second misfit is an answer that found nothing, so the ticket goes to
// support rather than failing.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { StructuredOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { z } from 'zod';
import { distinctSteps, plainText } from './passage-sections';
import type { TicketAudience } from '../tickets/ticket-audience';
import { QUOTED_DATA_RULE, quoted, quotedAll } from './quoted-data';
import { NO_KNOWLEDGE_SUMMARY, ResolutionDraft, ResolutionModel, ResolutionRequest, toModelUnavailable } from './resolution-model';
import { callWithLimits, ModelCallLimits } from './model-call-limits';

const suggestionSchema = z.object({
  summary: z.string().min(1).max(2000).describe('One or two sentences: what to do about the ticket'),
  steps: z.array(z.string().min(1).max(1000)).max(12).describe('Concrete steps, in order, each once, as plain text (no Markdown), for the reader the instructions name'),
  citations: z.array(z.string()).max(12).describe('The ids of the passages the answer uses, e.g. "chunk:…" — only passages given'),
  confidence: z.number().min(0).max(1).describe('0 to 1: how well the passages answer the ticket'),
});

const GROUNDING =
  'Use ONLY the knowledge-base passages and past resolutions given. Answer from the one passage that answers the ticket, ' +
  'and from a second only if the ticket truly asks two things. Cite the ids of the passages you used, and only those. ' +
  'Write plain text: no Markdown marks, no headings; give each step once, in order. ' +
  'If the passages do not answer the ticket, say so, give no steps, no citations and a confidence below 0.3.';

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

const QUESTION: Array<['system' | 'human', string]> = [
  ['system', '{role}\n{grounding}\n{quoted_data_rule}\n{format_instructions}'],
  ['human', 'The ticket ({request_type}, {category}):\n{ticket}\n\nKnowledge-base passages:\n{passages}\n\nHow similar past tickets were resolved:\n{resolutions}'],
];
const prompt = ChatPromptTemplate.fromMessages(QUESTION);
/** The second chance: the answer the model gave, and why it was refused. */
const retryPrompt = ChatPromptTemplate.fromMessages([
  ...QUESTION,
  ['ai', '{previous}'],
  ['human', 'That answer was refused: {problem}. Answer again with only the JSON object in the format described, nothing else.'],
]);

export class LangChainResolutionModel implements ResolutionModel {
  private readonly parser = StructuredOutputParser.fromZodSchema(suggestionSchema);

  constructor(
    readonly name: string,
    private readonly model: BaseChatModel,
    private readonly limits: ModelCallLimits,
  ) {}

  async suggest(request: ResolutionRequest): Promise<ResolutionDraft> {
    const values = {
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
    };
    const first = await this.ask(prompt, values);
    const parsed = await this.parse(first);
    if (parsed.answer) return draftOf(parsed.answer);
    const second = await this.ask(retryPrompt, { ...values, previous: first, problem: parsed.problem });
    const again = await this.parse(second);
    // Twice out of shape: nothing usable came back, so people take the ticket.
    return again.answer ? draftOf(again.answer) : { summary: NO_KNOWLEDGE_SUMMARY, steps: [], citedChunkIds: [], confidence: 0 };
  }

  /** One call under the limits (a timeout or a provider error is a ModelUnavailableError); the model's text. */
  private async ask(template: ChatPromptTemplate, values: Record<string, string>): Promise<string> {
    try {
      const message = await callWithLimits(this.limits, (signal) => template.pipe(this.model).invoke(values, { signal }));
      return typeof message.content === 'string' ? message.content : message.content.map((part) => ('text' in part ? part.text : '')).join('');
    } catch (error) {
      throw toModelUnavailable(this.name, error);
    }
  }

  private async parse(text: string): Promise<{ answer?: z.infer<typeof suggestionSchema>; problem: string }> {
    try {
      return { answer: await this.parser.parse(text), problem: '' };
    } catch (error) {
      return { problem: (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 300) };
    }
  }
}

/** The model's answer under the composition rules: plain text, each step once, in its order. */
function draftOf(answer: z.infer<typeof suggestionSchema>): ResolutionDraft {
  return {
    summary: plainText(answer.summary),
    steps: distinctSteps(answer.steps.map((step) => plainText(step.replace(/^\s*(?:#{1,6}|[-*+•]|\d{1,3}[.)])\s+/, '')))),
    citedChunkIds: answer.citations.map((citation) => citation.replace(/^chunk:/, '').trim()),
    confidence: answer.confidence,
  };
}
