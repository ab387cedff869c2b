// PDFs encrypted with the Standard security handler and an empty user password (they open without asking, and
// only restrict printing or copying), the way Acrobat writes them: RC4 128-bit (V2 R3), AES-128 (V4 R4) and
// AES-256 (V5 R6).
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { serializePdf } from './fixtures';

const PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const PERMISSIONS = -3904;

/** A one-page PDF whose content stream (`content`, /FlateDecode when given as zlib data) is encrypted. */
export function makeEncryptedPdfOpenWithoutPassword(method: 'rc4' | 'aes128' | 'aes256', content: { zlib: Buffer } | { text: string }): Buffer {
  const fileId = randomBytes(16);
  const security = method === 'aes256' ? aes256Security() : revision3Or4Security(fileId, method === 'aes128');
  const data = 'zlib' in content ? content.zlib : Buffer.from(content.text, 'latin1');
  const encrypted = security.encrypt(4, data);
  const filter = 'zlib' in content ? ' /Filter /FlateDecode' : '';
  return serializePdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [5 0 R] /Count 1 >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
      `<< /Length ${encrypted.length}${filter} >>\nstream\n${encrypted.toString('latin1')}\nendstream`,
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>',
      security.dictionary,
    ],
    `/Root 1 0 R /Encrypt 6 0 R /ID [<${fileId.toString('hex')}> <${fileId.toString('hex')}>]`,
  );
}

interface Security {
  dictionary: string;
  encrypt(objectNumber: number, data: Buffer): Buffer;
}

/** Algorithms 2, 3 and 5 of ISO 32000-1 with the empty user password; any owner entry will do for opening. */
function revision3Or4Security(fileId: Buffer, aes: boolean): Security {
  const owner = createHash('sha256').update('owner').digest();
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(PERMISSIONS);
  let key = md5(Buffer.concat([PADDING, owner, permissions, fileId]));
  for (let round = 0; round < 50; round++) key = md5(key);
  let user = rc4(key, md5(Buffer.concat([PADDING, fileId])));
  for (let round = 1; round <= 19; round++) user = rc4(Buffer.from(key.map((byte) => byte ^ round)), user);
  const entries = `/P ${PERMISSIONS} /O <${owner.toString('hex')}> /U <${Buffer.concat([user, Buffer.alloc(16)]).toString('hex')}>`;
  const objectKey = (objectNumber: number) => md5(Buffer.concat([key, Buffer.from([objectNumber, 0, 0, 0, 0]), Buffer.from(aes ? 'sAlT' : '')]));
  if (!aes) return { dictionary: `<< /Filter /Standard /V 2 /R 3 /Length 128 ${entries} >>`, encrypt: (objectNumber, data) => rc4(objectKey(objectNumber), data) };
  return {
    dictionary: `<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF ${entries} >>`,
    encrypt: (objectNumber, data) => {
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-128-cbc', objectKey(objectNumber), iv);
      return Buffer.concat([iv, cipher.update(data), cipher.final()]);
    },
  };
}

/** ISO 32000-2 R6: /U holds the hash of a validation salt and the key salt that, hashed, wraps the file key in /UE. */
function aes256Security(): Security {
  const fileKey = randomBytes(32);
  const validationSalt = randomBytes(8);
  const keySalt = randomBytes(8);
  const user = Buffer.concat([hash2B(validationSalt), validationSalt, keySalt]);
  const wrap = createCipheriv('aes-256-cbc', hash2B(keySalt), Buffer.alloc(16)).setAutoPadding(false);
  const userKey = Buffer.concat([wrap.update(fileKey), wrap.final()]);
  const hex = (bytes: Buffer) => `<${bytes.toString('hex')}>`;
  return {
    dictionary:
      `<< /Filter /Standard /V 5 /R 6 /Length 256 /P ${PERMISSIONS} /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF` +
      ` /O ${hex(randomBytes(48))} /OE ${hex(randomBytes(32))} /U ${hex(user)} /UE ${hex(userKey)} /Perms ${hex(randomBytes(16))} >>`,
    encrypt: (_objectNumber, data) => {
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', fileKey, iv);
      return Buffer.concat([iv, cipher.update(data), cipher.final()]);
    },
  };
}

/** Algorithm 2.B of ISO 32000-2 for the empty password. */
function hash2B(salt: Buffer): Buffer {
  let key = createHash('sha256').update(salt).digest();
  let encrypted = Buffer.alloc(1);
  for (let round = 0; round < 64 || encrypted[encrypted.length - 1] > round - 32; round++) {
    const cipher = createCipheriv('aes-128-cbc', key.subarray(0, 16), key.subarray(16, 32)).setAutoPadding(false);
    encrypted = Buffer.concat([cipher.update(Buffer.concat(Array<Buffer>(64).fill(key))), cipher.final()]);
    const sum = encrypted.subarray(0, 16).reduce((total, byte) => total + byte, 0);
    key = createHash(['sha256', 'sha384', 'sha512'][sum % 3]).update(encrypted).digest();
  }
  return key.subarray(0, 32);
}

function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest();
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const state = Array.from({ length: 256 }, (_, index) => index);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + state[i] + key[i % key.length]) & 0xff;
    [state[i], state[j]] = [state[j], state[i]];
  }
  const output = Buffer.alloc(data.length);
  for (let index = 0, i = 0, j = 0; index < data.length; index++) {
    i = (i + 1) & 0xff;
    j = (j + state[i]) & 0xff;
    [state[i], state[j]] = [state[j], state[i]];
    output[index] = data[index] ^ state[(state[i] + state[j]) & 0xff];
  }
  return output;
}
