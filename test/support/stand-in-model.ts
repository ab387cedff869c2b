// A stand-in for a model server on a loopback port (Ollama's HTTP API paths): it records every request and,
// unless told otherwise, never answers — a model that hangs, as a real one does when it is overloaded.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

export interface StandInModel {
  url: string;
  /** The paths requested so far, in order (e.g. `/api/chat`, `/api/embed`). */
  requests: string[];
  /** How the server answers from now on: `hang` (never), or a handler. */
  answerWith(handler: 'hang' | ((request: IncomingMessage, response: ServerResponse) => void)): void;
  close(): Promise<void>;
}

export async function startStandInModel(): Promise<StandInModel> {
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  let handler: 'hang' | ((request: IncomingMessage, response: ServerResponse) => void) = 'hang';
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    request.resume();
    if (handler === 'hang') {
      open.add(response);
      response.on('close', () => open.delete(response));
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerWith: (next) => (handler = next),
    close: () =>
      new Promise((resolve) => {
        open.forEach((response) => response.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers one Ollama `/api/chat` call with `content`, as Ollama streams it (NDJSON), after `delayMs`. */
export function ollamaChatAnswer(content: (prompt: string) => string, delayMs: () => number = () => 0) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const prompt = ((JSON.parse(body || '{}') as { messages?: Array<{ content: string }> }).messages ?? []).map((message) => message.content).join('\n');
      const timer = setTimeout(() => {
        const line = (fields: Record<string, unknown>) => `${JSON.stringify({ model: 'stand-in', created_at: new Date().toISOString(), ...fields })}\n`;
        response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        response.write(line({ message: { role: 'assistant', content: content(prompt) }, done: false }));
        response.end(line({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' }));
      }, delayMs());
      response.on('close', () => clearTimeout(timer));
    });
  };
}
