import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Chunks } from '../../lib/util/utf8-chunks.js';

/** `bytes` cut at `cuts` (positions, any order), decoded chunk by chunk. */
function decodeCut(bytes: Uint8Array, cuts: readonly number[]): string {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const decoder = new Utf8Chunks();
  let text = '';
  let from = 0;
  for (const to of [...at, bytes.length]) {
    text += decoder.decode(bytes.subarray(from, to));
    from = to;
  }
  return text + decoder.end();
}

describe('Utf8Chunks', () => {
  it('gives the text of the whole stream however it is cut, valid UTF-8 or not (property)', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'é', '€', '🌍', '\ufeff', '\n'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) });
    const bytes = fc.oneof(
      text.map((t) => new TextEncoder().encode(t)),
      fc.uint8Array({ maxLength: 40 }),
      // Starts of characters and continuation bytes, the cases a cut can fall between.
      fc.array(fc.constantFrom(0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x8c, 0x8d, 0xef, 0xbb, 0xbf, 0x80, 0xff), { maxLength: 30 }).map((a) => Uint8Array.from(a)),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 8 }), (b, cuts) => {
        expect(decodeCut(b, cuts)).toBe(new TextDecoder().decode(b));
      }),
      { numRuns: 1500 },
    );
  });

  it('drops a byte order mark only at the start of the stream, even cut', () => {
    const bom = [0xef, 0xbb, 0xbf];
    const bytes = Uint8Array.from([...bom, 0x41, ...bom, 0x42]);
    expect(decodeCut(bytes, [1])).toBe('A\ufeffB');
    expect(decodeCut(bytes, [4])).toBe('A\ufeffB');
    expect(decodeCut(bytes, [5])).toBe('A\ufeffB');
  });

  it('ends a stream cut inside a character with U+FFFD', () => {
    const globe = new TextEncoder().encode('🌍');
    const decoder = new Utf8Chunks();
    expect(decoder.decode(globe.subarray(0, 2))).toBe('');
    expect(decoder.end()).toBe('\ufffd');
  });
});
