import { declaredPixels } from './image-size';

/** A RIFF/WEBP file whose first chunk is `chunk` with `payload`. */
function webp(chunk: string, payload: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP'), Buffer.from(chunk, 'latin1'), le32(payload.length), payload]);
  return Buffer.concat([Buffer.from('RIFF'), le32(body.length), body]);
}

function le32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

function le24(value: number): Buffer {
  return Buffer.from([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff]);
}

/** A GIF of `frames` images of `width` × `height` on a screen of the same size, no colour tables. */
function gif(width: number, height: number, frames: number): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt16LE(width, 0);
  size.writeUInt16LE(height, 2);
  const frame = Buffer.concat([Buffer.from([0x2c, 0, 0, 0, 0]), size, Buffer.from([0, 2, 2, 0x4c, 0x01, 0])]);
  return Buffer.concat([Buffer.from('GIF89a'), size, Buffer.from([0, 0, 0]), ...Array.from({ length: frames }, () => frame), Buffer.from([0x3b])]);
}

describe('declaredPixels', () => {
  it('reads the canvas of an extended WebP (VP8X)', () => {
    expect(declaredPixels('webp', webp('VP8X', Buffer.concat([Buffer.alloc(4), le24(1919), le24(1079)])))).toBe(1920 * 1080);
  });

  it('reads a lossless WebP (VP8L) and a lossy one (VP8)', () => {
    const bits = (640 - 1) | ((480 - 1) << 14);
    expect(declaredPixels('webp', webp('VP8L', Buffer.concat([Buffer.from([0x2f]), le32(bits)])))).toBe(640 * 480);
    const frame = Buffer.from([0, 0, 0, 0x9d, 0x01, 0x2a, 800 & 0xff, 800 >> 8, 600 & 0xff, 600 >> 8]);
    expect(declaredPixels('webp', webp('VP8 ', frame))).toBe(800 * 600);
  });

  it('refuses a WebP whose RIFF length runs past the file, or whose first chunk is unknown', () => {
    const truncated = webp('VP8X', Buffer.concat([Buffer.alloc(4), le24(9), le24(9)]));
    expect(declaredPixels('webp', truncated.subarray(0, truncated.length - 2))).toBeNull();
    expect(declaredPixels('webp', webp('ALPH', Buffer.alloc(10)))).toBeNull();
  });

  it('adds up every frame of an animated GIF, which a viewer decodes one by one', () => {
    expect(declaredPixels('gif', gif(100, 50, 1))).toBe(100 * 50 * 2);
    expect(declaredPixels('gif', gif(100, 50, 30))).toBe(100 * 50 * 31);
  });

  it('refuses a GIF cut off before its trailer', () => {
    const whole = gif(10, 10, 2);
    expect(declaredPixels('gif', whole.subarray(0, whole.length - 4))).toBeNull();
  });
});
