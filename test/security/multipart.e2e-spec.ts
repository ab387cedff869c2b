// The upload form is bounded before anything is validated: a few short text fields without brackets, one file
// in the field "file", parts and headers counted. Each refusal is a 400 or 413 in the common error body that
// names the limit and the field, so that a client can tell what to change.
import request from 'supertest';
import { signInAdmin, signUpAs, SignedIn } from '../support/http';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from '../support/test-app';

const MANUAL = Buffer.from('# Badge readers\n\nHold the badge flat against the reader for two seconds.\n');

describe('Upload form limits (e2e)', () => {
  let testApp: TestApp;
  let support: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, MAX_UPLOAD_MB: '1' });
    const admin = await signInAdmin(testApp.url);
    support = await signUpAs(testApp.url, admin.token, 'support');
  });
  afterAll(() => testApp.close());

  const form = () => request(testApp.url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' });
  const documents = async () => Number((await testApp.sql(`SELECT count(*) AS n FROM documents`))[0].n);

  function expectRefusal(response: request.Response, status: 400 | 413, message: string): void {
    expect({ status: response.status, body: response.body }).toEqual({
      status,
      body: { statusCode: status, error: status === 400 ? 'Bad Request' : 'Payload Too Large', message, detail: message },
    });
  }

  it('refuses a text field longer than 1 KB with 413 naming the field', async () => {
    const response = await form().field('note', 'x'.repeat(900 * 1024)).attach('file', MANUAL, 'badges.md');
    expectRefusal(response, 413, 'The form field "note" is longer than 1 KB; the upload takes only the document, in the field "file"');
  });

  it('refuses field names with brackets, which would build nested objects, with 400 naming the field', async () => {
    expectRefusal(await form().field('note[a][b]', 'x').attach('file', MANUAL, 'badges.md'), 400, 'The form field "note[a][b]" has brackets; the upload takes no nested fields');
    expectRefusal(await form().field('tags[99999999]', 'x').attach('file', MANUAL, 'badges.md'), 400, 'The form field "tags[99999999]" has brackets; the upload takes no nested fields');
  });

  it('refuses a field name longer than 100 bytes', async () => {
    expectRefusal(await form().field('n'.repeat(200), 'x').attach('file', MANUAL, 'badges.md'), 400, 'A form field name is longer than 100 bytes');
  });

  it('refuses more than five text fields, more than one file, and a file under another name', async () => {
    const sixFields = form();
    for (let index = 0; index < 6; index++) sixFields.field(`field${index}`, 'x');
    expectRefusal(await sixFields.attach('file', MANUAL, 'badges.md'), 400, 'The form has more than 5 text fields; the upload takes only the document, in the field "file"');
    expectRefusal(await form().attach('file', MANUAL, 'badges.md').attach('file', MANUAL, 'again.md'), 400, 'Send one document per upload, in the field "file"');
    expectRefusal(await form().attach('document', MANUAL, 'badges.md'), 400, 'Send the document in the field "file", not "document"');
  });

  it('refuses a file larger than MAX_UPLOAD_MB with 413 naming the limit', async () => {
    expectRefusal(await form().attach('file', Buffer.alloc(1024 * 1024 + 1, 0x61), 'huge.md'), 413, 'The document is larger than 1 MB (MAX_UPLOAD_MB)');
  });

  it('stores nothing from a refused form, and still takes the document alone', async () => {
    expect(await documents()).toBe(0);
    await form().attach('file', MANUAL, 'badges.md').expect(201);
    expect(await documents()).toBe(1);
  });
});
