import "server-only";

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

export interface DecodeStep {
  /** Message bytes, dot-unstuffed, in order (views into the input, not copies). */
  out: Buffer[];
  /** Bytes of the input used; the rest is either after the terminator or not decidable yet. */
  consumed: number;
  /** The terminating line was read: the multi-line response is complete. */
  done: boolean;
}

/**
 * Decodes a POP3 multi-line response body on the fly (RFC 1939 §3): each line that begins with
 * "." had one "." prepended by the server ("byte-stuffing"), which is removed here; a line that is
 * only "." ends the response. Works chunk by chunk, so a message is never held whole in memory;
 * only the one to three bytes of a line start that may be the terminator are left for the next
 * chunk. Lines end in CRLF; a bare LF is accepted too, as many clients do.
 */
export class DotDecoder {
  private atLineStart = true;

  decode(input: Buffer): DecodeStep {
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < input.length) {
      if (this.atLineStart) {
        if (input[pos] === DOT) {
          const next = pos + 1 < input.length ? input[pos + 1] : undefined;
          if (next === undefined) break; // "." at the end of the chunk: undecided until more arrives
          if (next === LF) return { out, consumed: pos + 2, done: true };
          if (next === CR) {
            const after = pos + 2 < input.length ? input[pos + 2] : undefined;
            if (after === undefined) break;
            if (after === LF) return { out, consumed: pos + 3, done: true };
          }
          pos += 1; // the stuffed dot
        }
        this.atLineStart = false;
      }
      const lf = input.indexOf(LF, pos);
      const end = lf < 0 ? input.length : lf + 1;
      if (end > pos) out.push(input.subarray(pos, end));
      pos = end;
      this.atLineStart = lf >= 0;
    }
    return { out, consumed: pos, done: false };
  }
}
