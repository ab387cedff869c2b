// The Standard security handler with the empty user password, as pdf.js opens a PDF when no password is given
// (one that only restricts printing or copying): the stream data must be decrypted before it can be measured.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { DocumentError } from '../document-error';
import { PdfObjectId, PdfObjects, resolveAll } from './pdf-objects';
import { PdfDict, PdfName, PdfString, PdfValue } from './pdf-syntax';

/** Decrypts one stream's data with its object's key; null where the handler leaves streams as they are. */
export type StreamDecryption = (id: PdfObjectId | null, data: Uint8Array) => Uint8Array | null;

const PASSWORD_PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
export const PASSWORD_PROTECTED = 'The PDF is password-protected; remove the password and upload it again';

type CryptMethod = 'rc4' | 'aes128' | 'aes256' | 'none';

const MAX_HANDLERS = 8;

/**
 * One decryption per encryption dictionary the trailers name (a crafted file may name several, and pdf.js uses the
 * one its cross-reference table leads to). Refuses as encrypted when the empty password opens none of them.
 */
export function streamDecryptions(objects: PdfObjects): StreamDecryption[] {
  const named = objects.trailers.flatMap((trailer) =>
    resolveAll(objects, trailer.get('Encrypt'))
      .filter((value): value is PdfDict => value instanceof PdfDict)
      .map((dict) => ({ dict, fileId: firstString(resolveAll(objects, trailer.get('ID')).at(-1)) })),
  );
  // Every incremental update's trailer names the same one again.
  const dictIds = new Map<PdfDict, number>();
  const unique = new Map<string, (typeof named)[number]>();
  for (const handler of named) {
    if (!dictIds.has(handler.dict)) dictIds.set(handler.dict, dictIds.size);
    unique.set(`${dictIds.get(handler.dict)}:${handler.fileId.toString('hex')}`, handler);
  }
  const handlers = [...unique.values()];
  if (handlers.length === 0) return [];
  // A file that names more than a few different ones is made to be slow: each costs a key derivation.
  if (handlers.length > MAX_HANDLERS) throw new DocumentError('too_complex', 'The PDF names too many encryption dictionaries to be read safely');
  const decryptions = handlers.map(({ dict, fileId }) => openWithEmptyPassword(objects, dict, fileId)).filter((decryption) => decryption !== null);
  if (decryptions.length === 0) throw new DocumentError('encrypted', PASSWORD_PROTECTED);
  return decryptions;
}

function openWithEmptyPassword(objects: PdfObjects, dict: PdfDict, fileId: Buffer): StreamDecryption | null {
  const get = (key: string) => resolveAll(objects, dict.get(key)).at(-1);
  const filter = get('Filter');
  const version = get('V');
  if (!(filter instanceof PdfName) || filter.name !== 'Standard' || ![1, 2, 4, 5].includes(version as number)) return null;
  const revision = get('R') as number;
  const owner = bytesOf(get('O'));
  const user = bytesOf(get('U'));
  const method = streamMethod(objects, dict, version as number);
  const keyBits = keyLength(objects, dict, version as number);
  if (keyBits === null) return null;
  let fileKey: Buffer | null;
  if (version === 5) {
    fileKey = revision === 6 ? revision6Key(user, bytesOf(get('UE'))) : revision5Key(user, bytesOf(get('UE')));
  } else {
    const encryptMetadata = !(version === 4 && get('EncryptMetadata') === false);
    fileKey = revision4Key(owner.subarray(0, 32), user.subarray(0, 32), get('P') as number, revision, keyBits, fileId, encryptMetadata);
    if (fileKey && version === 4 && fileKey.length < 16) fileKey = Buffer.concat([fileKey, Buffer.alloc(16 - fileKey.length)]);
  }
  if (!fileKey) return null;
  const key = fileKey;
  // AESV3 uses the file key itself; RC4 and AESV2 a key per object.
  return (id, data) => (method === 'aes256' ? decrypt(method, key, data) : id ? decrypt(method, objectKey(key, id, method === 'aes128'), data) : null);
}

function streamMethod(objects: PdfObjects, dict: PdfDict, version: number): CryptMethod {
  if (version < 4) return 'rc4';
  const name = resolveAll(objects, dict.get('StmF')).at(-1);
  if (!(name instanceof PdfName) || name.name === 'Identity') return 'none';
  const filters = resolveAll(objects, dict.get('CF')).at(-1);
  const method = filters instanceof PdfDict ? resolveAll(objects, filters.get(name.name)).at(-1) : undefined;
  const cfm = method instanceof PdfDict ? method.get('CFM') : undefined;
  const methods: Record<string, CryptMethod> = { V2: 'rc4', AESV2: 'aes128', AESV3: 'aes256' };
  return cfm instanceof PdfName ? (methods[cfm.name] ?? 'none') : 'none';
}

/** In bits, as pdf.js reads it: /Length, else 40 before V4, else the stream crypt filter's /Length (bytes or bits) or 128. */
function keyLength(objects: PdfObjects, dict: PdfDict, version: number): number | null {
  let bits = resolveAll(objects, dict.get('Length')).at(-1);
  if (!bits && version <= 3) bits = 40;
  if (!bits) {
    const filters = resolveAll(objects, dict.get('CF')).at(-1);
    const name = resolveAll(objects, dict.get('StmF')).at(-1);
    const handler = filters instanceof PdfDict && name instanceof PdfName ? filters.get(name.name) : undefined;
    const length = handler instanceof PdfDict ? handler.get('Length') : undefined;
    bits = typeof length === 'number' && length ? (length < 40 ? length * 8 : length) : 128;
  }
  return typeof bits === 'number' && Number.isInteger(bits) && bits >= 40 && bits % 8 === 0 ? bits : null;
}

/** Algorithms 2 and 6 of ISO 32000-1 with the empty password: the file key, or null when it does not check out. */
function revision4Key(owner: Buffer, user: Buffer, permissions: number, revision: number, bits: number, fileId: Buffer, encryptMetadata: boolean): Buffer | null {
  const permissionBytes = Buffer.alloc(4);
  permissionBytes.writeInt32LE(permissions | 0);
  const metadataBytes = revision >= 4 && !encryptMetadata ? Buffer.from([0xff, 0xff, 0xff, 0xff]) : Buffer.alloc(0);
  const length = bits >> 3;
  let hash = md5(Buffer.concat([PASSWORD_PADDING, owner, permissionBytes, fileId, metadataBytes]));
  if (revision >= 3) for (let round = 0; round < 50; round++) hash = md5(hash.subarray(0, length));
  const key = hash.subarray(0, length);
  let check: Buffer;
  if (revision >= 3) {
    check = rc4(key, md5(Buffer.concat([PASSWORD_PADDING, fileId])));
    for (let round = 1; round <= 19; round++) check = rc4(Buffer.from(key.map((byte) => byte ^ round)), check);
  } else {
    check = rc4(key, PASSWORD_PADDING);
  }
  return check.every((byte, index) => user[index] === byte) ? key : null;
}

/** Extension level 3 (R5): SHA-256 of the validation salt checks the empty password, of the key salt unwraps /UE. */
function revision5Key(user: Buffer, userKey: Buffer): Buffer | null {
  if (!sha('sha256', user.subarray(32, 40)).equals(user.subarray(0, 32))) return null;
  return aesUnwrap(sha('sha256', user.subarray(40, 48)), userKey);
}

/** PDF 2.0 (R6): the same with the iterated hash of algorithm 2.B. */
function revision6Key(user: Buffer, userKey: Buffer): Buffer | null {
  if (!hash2B(user.subarray(32, 40)).equals(user.subarray(0, 32))) return null;
  return aesUnwrap(hash2B(user.subarray(40, 48)), userKey);
}

/** Algorithm 2.B of ISO 32000-2 for the empty password and no owner data. */
function hash2B(salt: Buffer): Buffer {
  let key = sha('sha256', salt);
  let encrypted = Buffer.alloc(1);
  for (let round = 0; round < 64 || encrypted[encrypted.length - 1] > round - 32; round++) {
    const block = Buffer.concat(Array<Buffer>(64).fill(key));
    const cipher = createCipheriv('aes-128-cbc', key.subarray(0, 16), key.subarray(16, 32)).setAutoPadding(false);
    encrypted = Buffer.concat([cipher.update(block), cipher.final()]);
    const choice = encrypted.subarray(0, 16).reduce((sum, byte) => sum + byte, 0) % 3;
    key = sha((['sha256', 'sha384', 'sha512'] as const)[choice], encrypted);
  }
  return key.subarray(0, 32);
}

function aesUnwrap(key: Buffer, wrapped: Buffer): Buffer | null {
  if (wrapped.length < 32) return null;
  const decipher = createDecipheriv('aes-256-cbc', key, Buffer.alloc(16)).setAutoPadding(false);
  return Buffer.concat([decipher.update(wrapped.subarray(0, 32)), decipher.final()]);
}

function objectKey(fileKey: Buffer, { num, gen }: PdfObjectId, aes: boolean): Buffer {
  const suffix = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
  return md5(Buffer.concat([fileKey, suffix, aes ? Buffer.from('sAlT', 'latin1') : Buffer.alloc(0)])).subarray(0, Math.min(fileKey.length + 5, 16));
}

function decrypt(method: CryptMethod, key: Buffer, data: Uint8Array): Uint8Array | null {
  if (method === 'none') return null;
  if (method === 'rc4') return rc4(key, data);
  // AES: a 16-byte IV, then whole blocks; a last block cut short is dropped and valid padding removed, as pdf.js does.
  const blocks = Math.floor((data.length - 16) / 16);
  if (blocks <= 0) return new Uint8Array(0);
  const decipher = createDecipheriv(method === 'aes128' ? 'aes-128-cbc' : 'aes-256-cbc', key, data.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data.subarray(16, 16 + blocks * 16)), decipher.final()]);
  const padding = plain[plain.length - 1];
  return padding >= 1 && padding <= 16 ? plain.subarray(0, plain.length - padding) : plain;
}

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const state = Uint8Array.from({ length: 256 }, (_, index) => index);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + state[i] + key[i % key.length]) & 0xff;
    const swapped = state[i];
    state[i] = state[j];
    state[j] = swapped;
  }
  const output = Buffer.alloc(data.length);
  for (let index = 0, i = 0, j = 0; index < data.length; index++) {
    i = (i + 1) & 0xff;
    j = (j + state[i]) & 0xff;
    const swapped = state[i];
    state[i] = state[j];
    state[j] = swapped;
    output[index] = data[index] ^ state[(state[i] + state[j]) & 0xff];
  }
  return output;
}

function md5(data: Uint8Array): Buffer {
  return createHash('md5').update(data).digest();
}

function sha(algorithm: 'sha256' | 'sha384' | 'sha512', data: Uint8Array): Buffer {
  return createHash(algorithm).update(data).digest();
}

function bytesOf(value: PdfValue | undefined): Buffer {
  return value instanceof PdfString ? Buffer.from(value.bytes) : Buffer.alloc(0);
}

function firstString(value: PdfValue | undefined): Buffer {
  return Array.isArray(value) ? bytesOf(value[0]) : Buffer.alloc(0);
}
