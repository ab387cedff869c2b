// `npm run eval:answers`: the assistant's answers, judged as an employee reads them. Ingests the demo
// knowledge base (and, as distractors, the sample man pages in ../shared/kb-sample when they are there),
// files each question of eval/answer-questions.tsv as a ticket and asks the assistant for its answer
// (POST /llm/resolve_ticket: retrieval and composition, as the workflow does), then reports:
//   - right document cited first, precision of the cited sources (and, for a question that spans two
//     documents, both cited), steps taken from the right section;
//   - answers with Markdown marks or a repeated step;
//   - padded answers (steps or sources) to questions the knowledge base cannot answer.
// An answer is right and clean when all of these hold and it has neither marks nor a repeated step. Exits 1 below the floors (right and clean
// ≥ 90 %, no padded answer), so that CI fails. EVAL_DEBUG=1 also shows what retrieval gave each question and
// every answer's confidence (on stderr).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainText, sectionsOf } from '../src/models/passage-sections';
import { startLocalServer } from './local-server';

const RIGHT_AND_CLEAN_FLOOR = 0.9;
const MARKDOWN_MARKS = /(^|\s)#{1,6}\s|\*\*|__|`|\[[^\]]*\]\(|^\s*[-*+]\s/m;

interface Question {
  question: string;
  /** Documents (file names without .md) and, for one section, its heading; empty when unanswerable. */
  expected: Array<{ document: string; heading: string | null }>;
}

interface Answer {
  summary: string;
  steps: string[];
  citations: Array<{ document_id: string; title: string }>;
  confidence: number;
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const knowledgeDir = join(root, 'demo', 'knowledge-base');
  const distractorDir = resolve(process.env.KB_SAMPLE_DIR ?? join(root, '..', 'shared', 'kb-sample'), 'docs');
  const questions = readQuestions(join(root, 'eval', 'answer-questions.tsv'));
  const server = await startLocalServer({ WORKFLOW_ENABLED: 'false' });
  const auth = { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' };
  try {
    const documentOf = new Map<string, string>();
    const files = readdirSync(knowledgeDir).map((file) => join(knowledgeDir, file));
    const distractors = process.env.EVAL_DISTRACTORS !== '0' && existsSync(distractorDir) ? readdirSync(distractorDir).map((file) => join(distractorDir, file)) : [];
    for (const path of [...files, ...distractors]) {
      const form = new FormData();
      form.append('file', new Blob([readFileSync(path)]), path.split('/').pop()!);
      const response = await fetch(`${server.url}/api/v1/llm/ingest_doc`, { method: 'POST', headers: { Authorization: auth.Authorization }, body: form });
      const body = (await response.json()) as { document_id: string; detail?: string };
      if (!response.ok) throw new Error(`ingesting ${path}: ${response.status} ${body.detail}`);
      documentOf.set(body.document_id, path.split('/').pop()!.replace(/\.(md|pdf)$/, ''));
    }
    process.stdout.write(
      `Knowledge base: ${files.length} demo how-tos${distractors.length ? ` and ${distractors.length} man pages as distractors` : ''}; ` +
        `${questions.length} questions (${questions.filter((q) => q.expected.length === 0).length} it cannot answer)\n\n`,
    );

    const tally = { answerable: 0, rightFirst: 0, precision: 0, rightSection: 0, marked: 0, repeated: 0, rightAndClean: 0, unanswerable: 0, padded: 0 };
    const failures: string[] = [];
    for (const { question, expected } of questions) {
      const filed = await fetch(`${server.url}/api/v1/tickets`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ title: question.slice(0, 200), description: question, request_type: 'other' }),
      });
      const ticket = (await filed.json()) as { id?: string; ticket_id?: string; detail?: string };
      if (!filed.ok) throw new Error(`filing "${question}": ${filed.status} ${ticket.detail}`);
      const resolved = await fetch(`${server.url}/api/v1/llm/resolve_ticket/${ticket.id ?? ticket.ticket_id}`, { method: 'POST', headers: auth });
      const answer = (await resolved.json()) as Answer;
      if (!resolved.ok) throw new Error(`answering "${question}": ${resolved.status} ${JSON.stringify(answer)}`);
      const cited = answer.citations.map((citation) => documentOf.get(citation.document_id) ?? '?');
      const retrieved = process.env.EVAL_DEBUG ? await retrievedFor(server.url, auth.Authorization, `${question.slice(0, 200)}\n${question}`, documentOf) : '';
      const shown = `${question}${retrieved}\n      → ${answer.summary}\n      ${answer.steps.map((step, index) => `${index + 1}. ${step}`).join('\n      ')}\n      sources: ${cited.join(', ') || 'none'}`;

      if (process.env.EVAL_DEBUG) process.stderr.write(`confidence ${answer.confidence.toFixed(2)} ${expected.length === 0 ? 'unanswerable' : cited[0] === expected[0].document ? 'right' : 'wrong'}: ${question}\n`);
      if (expected.length === 0) {
        tally.unanswerable += 1;
        const padded = answer.steps.length > 0 || answer.citations.length > 0;
        if (padded) {
          tally.padded += 1;
          failures.push(`  padded (unanswerable): ${shown}`);
        }
        continue;
      }
      tally.answerable += 1;
      const documents = expected.map((entry) => entry.document);
      const rightFirst = cited[0] === documents[0];
      const precision = cited.length === 0 ? 0 : cited.filter((document) => documents.includes(document)).length / cited.length;
      // A question that spans two documents is answered from both, and says so.
      const allCited = documents.every((document) => cited.includes(document));
      const sectionText = expected.map((entry) => expectedText(knowledgeDir, entry)).join('\n');
      const rightSection = answer.steps.length > 0 && answer.steps.every((step) => sectionText.includes(step.replace(/…$/, '')));
      const marked = [answer.summary, ...answer.steps].some((text) => MARKDOWN_MARKS.test(text));
      const normalised = answer.steps.map((step) => step.toLowerCase().replace(/\W+/g, ' ').trim());
      const repeated = new Set(normalised).size < normalised.length;
      const rightAndClean = rightFirst && precision === 1 && allCited && rightSection && !marked && !repeated;
      tally.rightFirst += Number(rightFirst);
      tally.precision += precision;
      tally.rightSection += Number(rightSection);
      tally.marked += Number(marked);
      tally.repeated += Number(repeated);
      tally.rightAndClean += Number(rightAndClean);
      if (!rightAndClean) {
        const why = [!rightFirst && 'wrong first source', precision < 1 && 'unrelated source', !allCited && 'a source left out', !rightSection && 'steps not from the right section', marked && 'Markdown marks', repeated && 'repeated step']
          .filter(Boolean)
          .join(', ');
        failures.push(`  ${why} (expected ${expected.map((entry) => entry.document + (entry.heading ? `#${entry.heading}` : '')).join(' + ')}): ${shown}`);
      }
    }

    const share = (count: number, of: number) => `${((count / Math.max(of, 1)) * 100).toFixed(1)} %`;
    const rightAndCleanShare = tally.rightAndClean / Math.max(tally.answerable, 1);
    process.stdout.write(
      `answerable questions                 ${tally.answerable}\n` +
        `  right document cited first         ${share(tally.rightFirst, tally.answerable)}\n` +
        `  precision of the cited sources     ${share(tally.precision, tally.answerable)}\n` +
        `  steps from the right section       ${share(tally.rightSection, tally.answerable)}\n` +
        `  answers with Markdown marks        ${tally.marked}\n` +
        `  answers with a repeated step       ${tally.repeated}\n` +
        `  right and clean                    ${share(tally.rightAndClean, tally.answerable)}   (floor ${share(RIGHT_AND_CLEAN_FLOOR, 1)})\n` +
        `unanswerable questions               ${tally.unanswerable}\n` +
        `  wrong or padded answers            ${tally.padded}   (floor 0)\n`,
    );
    if (failures.length > 0) process.stdout.write(`\nNot right and clean:\n${failures.join('\n')}\n`);
    if (rightAndCleanShare < RIGHT_AND_CLEAN_FLOOR || tally.padded > 0) {
      process.stdout.write('\nBelow the floor.\n');
      process.exitCode = 1;
    }
  } finally {
    await server.close();
  }
}

/** EVAL_DEBUG: the documents retrieval put before the composer, best first. */
async function retrievedFor(url: string, authorization: string, query: string, documentOf: Map<string, string>): Promise<string> {
  const response = await fetch(`${url}/api/v1/llm/search?${new URLSearchParams({ q: query, k: '5' })}`, { headers: { Authorization: authorization } });
  const body = (await response.json()) as { results: Array<{ document_id: string; heading: string | null }> };
  return `\n      retrieved: ${body.results.map((hit) => `${documentOf.get(hit.document_id)}${hit.heading ? `#${hit.heading}` : ''}`).join(', ')}`;
}

function readQuestions(path: string): Question[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [question, answeredBy] = line.split('\t').map((field) => field.trim());
      const expected =
        answeredBy === '-'
          ? []
          : answeredBy.split('+').map((entry) => {
              const [document, heading] = entry.split('#');
              return { document, heading: heading ?? null };
            });
      return { question, expected };
    });
}

/** The plain text of the document, or of its section under `heading`, as the composer reads it. */
function expectedText(knowledgeDir: string, entry: { document: string; heading: string | null }): string {
  const sections = sectionsOf(readFileSync(join(knowledgeDir, `${entry.document}.md`), 'utf8'), null);
  const chosen = entry.heading === null ? sections : sections.filter((section) => section.heading === plainText(entry.heading!));
  if (chosen.length === 0) throw new Error(`No section "${entry.heading}" in ${entry.document}.md`);
  return chosen.flatMap((section) => section.blocks.map((block) => block.text)).join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
