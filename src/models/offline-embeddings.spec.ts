import { embedText, OFFLINE_EMBEDDING_DIMENSIONS, OfflineEmbeddings } from './offline-embeddings';

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, value, i) => sum + value * b[i], 0);
}

function norm(vector: number[]): number {
  return Math.sqrt(cosine(vector, vector));
}

describe(OfflineEmbeddings.name, () => {
  const sut = new OfflineEmbeddings();

  it('embeds every text as a unit vector of 768 dimensions', async () => {
    const vectors = await sut.embedDocuments(['Reset a forgotten VPN password', 'x'.repeat(5000), 'Drucker 2. Stock: Papierstau']);

    expect(OFFLINE_EMBEDDING_DIMENSIONS).toBe(768);
    for (const vector of vectors) {
      expect(vector).toHaveLength(768);
      expect(norm(vector)).toBeCloseTo(1, 10);
    }
  });

  it("embeds a few tickets' text on the event loop and an upload's chunks in a thread, to the same vectors", async () => {
    const threads: string[][] = [];
    const threaded = new OfflineEmbeddings(async (texts) => (threads.push(texts), texts.map(embedText)));
    const tickets = ['VPN down', 'The VPN is down, I cannot connect to the VPN since 9am.'];
    const chunks = Array.from({ length: 64 }, (_, index) => `Chunk ${index} of the VPN manual. `.repeat(20));

    await expect(threaded.embedDocuments(tickets)).resolves.toEqual(tickets.map(embedText));
    expect(threads).toEqual([]);
    await expect(threaded.embedDocuments(chunks)).resolves.toEqual(chunks.map(embedText));
    expect(threads).toEqual([chunks]);
  });

  it('gives the same text the same vector, for documents and queries alike', async () => {
    const text = 'The VPN client needs a valid certificate.';
    const [asDocument] = await sut.embedDocuments([text]);

    await expect(sut.embedQuery(text)).resolves.toEqual(asDocument);
    expect(embedText(text)).toEqual(asDocument);
  });

  it('does not depend on the process: the hashed features land on fixed dimensions', () => {
    // A change here changes every stored vector: rename the model (offline:hashed-ngrams-vN) and re-embed.
    const vector = embedText('printer');
    const used = vector.flatMap((value, index) => (value === 0 ? [] : [index]));

    expect(used).toEqual(PRINTER_DIMENSIONS);
  });

  it('puts texts about the same thing closer than unrelated ones', () => {
    const question = embedText('My VPN connection keeps dropping every hour');
    const related = embedText('When the VPN certificate expires, the VPN connection drops every hour. Renew the certificate.');
    const unrelated = embedText('To clear a paper jam, open the front tray of the printer and remove the stuck sheet.');

    expect(cosine(question, related)).toBeGreaterThan(cosine(question, unrelated) + 0.2);
  });

  it('lets other forms of a word meet: plurals, -ing forms and compounds', () => {
    const query = embedText('restarting the printers');
    const sameWords = embedText('How to restart a printer');
    const otherWords = embedText('How to renew a certificate');

    expect(cosine(query, sameWords)).toBeGreaterThan(0.5);
    expect(cosine(query, otherWords)).toBeLessThan(0.2);
    expect(cosine(embedText('filesystem check'), embedText('check the file system'))).toBeGreaterThan(0.4);
  });

  it('re-joins a word hyphenated across a line break before embedding it', () => {
    expect(embedText('a stream edi\u2010\n       tor')).toEqual(embedText('a stream editor'));
  });

  it('gives a text without words a fixed unit vector instead of zeros, so cosine distance stays defined', async () => {
    const vectors = await sut.embedDocuments(['', '   ', 'the of and', '!!! ---']);

    for (const vector of vectors) {
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(vector[0]).toBe(1);
      expect(norm(vector)).toBe(1);
    }
  });

  it('embeds thousands of chunk-sized texts per second', async () => {
    const chunk = 'Mount the filesystem read-only, run fsck on the device, then remount it. '.repeat(14);
    const started = performance.now();
    await sut.embedDocuments(Array.from({ length: 500 }, (_, i) => `${chunk} ${i}`));
    const perSecond = 500 / ((performance.now() - started) / 1000);

    expect(perSecond).toBeGreaterThan(500); // about 2,000-3,000 on an idle machine; lenient for busy CI
  });
});

const PRINTER_DIMENSIONS = [20, 108, 127, 282, 363, 373, 476];
