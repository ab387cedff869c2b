// Decompression bombs: an upload is read within a byte budget proportional to its size (MAX_EXPANSION_RATIO,
// capped by MAX_UNCOMPRESSED_MB), checked before any parser inflates it whole, and refused with 422 naming the
// limit. The server runs in this process, so its resident memory is measured here while the bomb is read.
import request from 'supertest';
import { makeFlateBombPdf, onePage, pdfOf } from '../support/bomb-fixtures';
import { makeDocx, makeDocxWithLongRun, makePdf, makeZipBomb } from '../support/fixtures';
import { signInAdmin, signUpAs, SignedIn } from '../support/http';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from '../support/test-app';

const MiB = 1024 * 1024;
/** What reading one bomb may add to the process's resident memory: threads starting, the upload, small buffers. */
const RSS_GROWTH_ALLOWED = 300 * MiB;

/** Runs `work` while sampling the process's resident memory; the growth is the peak over the level before. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const sampler = setInterval(sample, 10);
  try {
    const result = await work();
    sample();
    return { result, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

describe('Decompression bombs (e2e)', () => {
  let testApp: TestApp;
  let support: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    const admin = await signInAdmin(testApp.url);
    support = await signUpAs(testApp.url, admin.token, 'support');
  });
  afterAll(() => testApp.close());

  const upload = (content: Buffer, filename: string) =>
    request(testApp.url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' }).attach('file', content, filename);
  const stored = async (filename: string) => Number((await testApp.sql(`SELECT count(*) AS n FROM documents WHERE filename = $1`, [filename]))[0].n);

  // First in the file: the memory it measures is not hidden by what earlier tests left for the allocator to reuse.
  it('refuses a 1 MB PDF whose page inflates to 1 GiB with 422 naming the limit, and the server memory stays flat', async () => {
    const bomb = makeFlateBombPdf(1024 * MiB);
    expect(bomb.length).toBeLessThan(1.1 * MiB);

    const { result: response, growth } = await withPeakRss(() => upload(bomb, 'bomb.pdf'));

    console.log(`security/decompression: a ${(bomb.length / MiB).toFixed(2)} MB PDF of 1 GiB: ${response.status}, resident memory +${Math.round(growth / MiB)} MB`);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
    expect(response.body.message).toMatch(/^The PDF expands to more than [\d.]+ MB \(50 times its size, MAX_EXPANSION_RATIO\)/);
    expect(growth).toBeLessThan(RSS_GROWTH_ALLOWED);
    expect(await stored('bomb.pdf')).toBe(0);
  });

  it('refuses a 1 KB PDF whose page contents are CCITT fax data a million columns wide, and the server memory stays flat', async () => {
    // pdf.js decodes page contents whatever their filter: this kilobyte decoded to ~1.6 GB of rows before it failed.
    const fax = { dict: '/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 1000000 >>', data: Buffer.alloc(1000, 0xff) };
    const { result: response, growth } = await withPeakRss(() => upload(pdfOf(onePage(fax)), 'fax.pdf'));

    console.log(`security/decompression: a 1 KB PDF of CCITT page contents: ${response.status}, resident memory +${Math.round(growth / MiB)} MB`);
    expect(response.status).toBe(422);
    expect(response.body.message).toBe('The PDF uses the image filter CCITTFaxDecode for something other than an image; refusing to open it');
    expect(growth).toBeLessThan(RSS_GROWTH_ALLOWED);
  });

  it('refuses a DOCX that expands to more than 50 times its size, from the sizes its directory declares', async () => {
    const bomb = makeZipBomb(30 * MiB);
    const response = await upload(bomb, 'bomb.docx');
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/^The DOCX expands to more than [\d.]+ (MB|KB) \(50 times its size, MAX_EXPANSION_RATIO\)/);
    expect(await stored('bomb.docx')).toBe(0);
  });

  it('refuses a DOCX whose XML is more than its reading thread can hold, within the expansion budget, and keeps serving', async () => {
    // 30 MB of text in one run, and a 0.8 MB picture that puts it within 50 times the file's size: on the
    // 512 MB thread this used to abort the whole server process (exit 134) instead of failing the upload.
    const heavy = makeDocxWithLongRun(30 * MiB, 800 * 1024);
    expect(30 * MiB).toBeLessThan(50 * heavy.length);
    const response = await upload(heavy, 'long-run.docx');
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/^The DOCX's word\/document\.xml holds [\d.]+ MB of XML, more than the [\d.]+ MB its reading may hold \(INGEST_WORKER_MEMORY_MB \/ 32\)/);
    expect(await stored('long-run.docx')).toBe(0);
    await request(testApp.url).get('/health/live').expect(200);
  });

  it('still reads ordinary PDFs and DOCX files, compressed or not', async () => {
    await upload(makePdf(['Badge readers', 'Hold the badge flat against the reader.']), 'badges.pdf').expect(201);
    await upload(makeFlateBombPdf(8 * 1024, 'Toner for the second floor printer'), 'toner.pdf').expect(201);
    await upload(makeDocx([{ heading: 'VPN' }, 'Open the client and sign in.']), 'vpn.docx').expect(201);
  });
});
