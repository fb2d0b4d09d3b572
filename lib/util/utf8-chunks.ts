/**
 * The text of a UTF-8 byte stream, chunk by chunk, as `TextDecoder`'s `stream`
 * mode gives it: a character cut between chunks comes out once it is whole, a
 * byte order mark is dropped only at the start, and a stream that ends inside a
 * character ends with U+FFFD. Each chunk is decoded whole, without `stream`: Node
 * decodes a whole buffer about nine times faster than in `stream` mode (which it
 * hands to ICU), and a model's stream is mostly this.
 * @internal
 */
export class Utf8Chunks {
  /** The first chunk's decoder drops a leading byte order mark; later ones keep U+FEFF as text. */
  private decoder = new TextDecoder();
  /** The start of a character the last chunk cut. */
  private tail: Uint8Array | undefined;

  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.tail) {
      bytes = new Uint8Array(this.tail.length + chunk.length);
      bytes.set(this.tail);
      bytes.set(chunk, this.tail.length);
      this.tail = undefined;
    }
    const end = wholeEnd(bytes);
    if (end < bytes.length) {
      // Held back, unless nothing comes before it: a lone start of a character waits for more (at most 3 bytes).
      this.tail = bytes.slice(end);
      bytes = bytes.subarray(0, end);
    }
    if (bytes.length === 0) return '';
    const text = this.decoder.decode(bytes);
    this.decoder = continuing;
    return text;
  }

  /** What is left at the end of the stream: a cut character, as U+FFFD. */
  end(): string {
    const tail = this.tail;
    this.tail = undefined;
    return tail ? this.decoder.decode(tail) : '';
  }
}

/** Decodes the chunks after the first (it keeps a U+FEFF at the start of a chunk: it is text there). */
const continuing = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Where the last whole character of `bytes` ends: before the lead byte of a
 * sequence that needs more bytes than are left; the end otherwise (invalid bytes
 * are the decoder's to replace).
 */
function wholeEnd(bytes: Uint8Array): number {
  let i = bytes.length - 1;
  // Back over at most three continuation bytes (10xxxxxx) to the lead byte.
  while (i >= 0 && bytes.length - i <= 3 && (bytes[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return bytes.length;
  const lead = bytes[i]!;
  const length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 1;
  return i + length > bytes.length ? i : bytes.length;
}
