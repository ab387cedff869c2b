import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp from 'pino-http';
import { redactUrl } from './log-redaction';
import { httpLoggerOptions } from './logger.module';

describe('HTTP request logging', () => {
  let server: Server;
  let lines: string[];
  let baseUrl: string;

  beforeAll(async () => {
    lines = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logRequest = pinoHttp(httpLoggerOptions('info'), sink);
    server = createServer((req, res) => {
      logRequest(req, res);
      res.statusCode = 200;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections(); // fetch keeps its connection alive
    await new Promise((resolve) => server.close(resolve));
  });

  it('logs the request with its id but never the bearer token, cookies or a token in the query', async () => {
    const response = await fetch(`${baseUrl}/api/v1/events/abc?access_token=secret-jwt-value&keep=1`, {
      headers: { Authorization: 'Bearer secret-bearer-value', Cookie: 'session=secret-cookie-value', 'X-Request-Id': 'req-42' },
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    await new Promise((resolve) => setImmediate(resolve));
    const log = lines.join('\n');
    expect(log).toContain('"id":"req-42"');
    expect(log).toContain('/api/v1/events/abc?access_token=[REDACTED]&keep=1');
    expect(log).not.toMatch(/secret-(jwt|bearer|cookie)-value/);
  });

  it('redacts every token parameter of a URL, whatever its position or case', () => {
    expect(redactUrl('/x?a=1&ACCESS_TOKEN=abc&refresh_token=def#frag')).toBe('/x?a=1&ACCESS_TOKEN=[REDACTED]&refresh_token=[REDACTED]#frag');
    expect(redactUrl('/x?token=abc')).toBe('/x?token=[REDACTED]');
    expect(redactUrl('/x?tokenish=abc')).toBe('/x?tokenish=abc');
  });
});
