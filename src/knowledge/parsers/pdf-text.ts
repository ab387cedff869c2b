// PDF text and title through pdf-parse (pdf.js), run in a worker thread for two reasons:
// - pdf.js loads its own worker module with a dynamic import(), which Jest's module sandbox refuses unless
//   node runs with --experimental-vm-modules; a worker thread loads modules with Node's own loader;
// - parsing a large or hostile PDF is CPU-bound, and a thread keeps it off the API's event loop.
import { Worker } from 'node:worker_threads';
import { DocumentError } from './document-error';

export interface PdfContent {
  /** The document information dictionary's /Title, if it has one. */
  title: string | null;
  /** Text of each page, in order. */
  pages: string[];
}

type WorkerReply = { ok: true; title: unknown; pages: string[] } | { ok: false; name: string; message: string };

// Plain JavaScript: it runs as-is in the thread, where neither ts-jest nor the Nest build reaches.
// VerbosityLevel.ERRORS, pdf-parse's default, said out loud: pdf.js warnings about odd PDFs must not reach stdout.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PDFParse, VerbosityLevel } = require(workerData.pdfParsePath);
(async () => {
  const parser = new PDFParse({ data: workerData.data, verbosity: VerbosityLevel.ERRORS });
  let reply;
  try {
    const { info } = await parser.getInfo();
    const { pages } = await parser.getText();
    reply = { ok: true, title: info && info.Title, pages: pages.map((page) => page.text) };
  } catch (error) {
    reply = { ok: false, name: String(error && error.name), message: String(error && error.message) };
  }
  await parser.destroy().catch(() => undefined);
  parentPort.postMessage(reply);
})();
`;

/** A PDF that takes longer than this to read is given up on (a hostile file must not hold a thread). */
export const PDF_READ_TIMEOUT_MS = 60_000;

export function readPdf(buffer: Buffer, timeoutMs = PDF_READ_TIMEOUT_MS): Promise<PdfContent> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // A copy, so the thread gets exactly the file and not the rest of a pooled Buffer's memory.
      workerData: { pdfParsePath: require.resolve('pdf-parse'), data: new Uint8Array(buffer) },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    const timer = setTimeout(() => {
      reject(new DocumentError('corrupt', `The PDF could not be read within ${Math.round(timeoutMs / 1000)} s; it may be damaged or too complex`));
      void worker.terminate();
    }, timeoutMs);
    const settle = <T>(finish: (value: T) => void) => (value: T) => {
      clearTimeout(timer);
      finish(value);
    };
    worker.once(
      'message',
      settle((reply: WorkerReply) => {
        if (reply.ok) resolve({ title: typeof reply.title === 'string' && reply.title.trim() ? reply.title.trim() : null, pages: reply.pages });
        else reject(toDocumentError(reply));
      }),
    );
    worker.once('error', settle(reject));
    worker.once('exit', settle((code: number) => reject(new Error(`The PDF parser thread exited (code ${code}) without an answer`))));
  });
}

function toDocumentError(reply: { name: string; message: string }): DocumentError {
  const cause = new Error(`${reply.name}: ${reply.message}`);
  if (reply.name === 'PasswordException') {
    return new DocumentError('encrypted', 'The PDF is password-protected; remove the password and upload it again', { cause });
  }
  // Past the %PDF- header every failure is the file's: pdf.js reports bad structure as InvalidPDFException,
  // FormatError or UnknownErrorException.
  return new DocumentError('corrupt', 'The PDF is damaged and its text cannot be read', { cause });
}
