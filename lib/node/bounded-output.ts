/** What {@link boundedOutput} kept of a stream. */
export interface KeptOutput {
  readonly text: string;
  /** Whether bytes were dropped from the middle. */
  readonly truncated: boolean;
  /** Every byte written, kept or not. */
  readonly totalBytes: number;
}

/**
 * Keeps at most `limit` bytes of an output of any size: its first half and its
 * last half (where errors usually are). Memory stays bounded by `limit` plus one chunk.
 */
export function boundedOutput(limit: number): { write(chunk: Buffer): void; result(): KeptOutput } {
  const headLimit = Math.ceil(limit / 2);
  const tailLimit = limit - headLimit;
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let totalBytes = 0;
  return {
    write(chunk) {
      totalBytes += chunk.length;
      if (headBytes < headLimit) {
        const taken = chunk.subarray(0, headLimit - headBytes);
        head.push(taken);
        headBytes += taken.length;
        chunk = chunk.subarray(taken.length);
      }
      if (chunk.length === 0 || tailLimit === 0) return;
      tail.push(chunk.length > tailLimit ? chunk.subarray(chunk.length - tailLimit) : chunk);
      tailBytes += tail[tail.length - 1]!.length;
      // Drop whole chunks from the front while the rest still covers the tail.
      while (tail.length > 1 && tailBytes - tail[0]!.length >= tailLimit) tailBytes -= tail.shift()!.length;
      // Copy what stays, so a small slice does not pin a large chunk in memory.
      if (tail.length > 64) tail = [Buffer.concat(tail)];
    },
    result() {
      const headText = Buffer.concat(head).toString('utf8');
      const kept = headBytes + Math.min(tailBytes, tailLimit);
      const tailBuffer = Buffer.concat(tail);
      const tailText = tailBuffer.subarray(Math.max(0, tailBuffer.length - tailLimit)).toString('utf8');
      const dropped = totalBytes - kept;
      if (dropped <= 0) return { text: headText + tailText, truncated: false, totalBytes };
      return {
        text: `${headText}\n[… ${dropped} bytes of output truncated …]\n${tailText}`,
        truncated: true,
        totalBytes,
      };
    },
  };
}
