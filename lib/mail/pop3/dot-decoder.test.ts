import { describe, expect, it } from "vitest";
import { DotDecoder } from "./dot-decoder";

/** Feeds the wire bytes in chunks cut at the given sizes; returns the message and what followed. */
function decodeInChunks(wire: Buffer, cut: (index: number) => number): { message: Buffer; done: boolean; rest: Buffer } {
  const decoder = new DotDecoder();
  const out: Buffer[] = [];
  let pending = Buffer.alloc(0);
  let offset = 0;
  let i = 0;
  while (offset < wire.length) {
    const size = Math.max(1, cut(i++));
    pending = Buffer.concat([pending, wire.subarray(offset, offset + size)]);
    offset += size;
    const step = decoder.decode(pending);
    out.push(...step.out.map((b) => Buffer.from(b)));
    pending = pending.subarray(step.consumed);
    if (step.done) return { message: Buffer.concat(out), done: true, rest: Buffer.concat([pending, wire.subarray(offset)]) };
  }
  return { message: Buffer.concat(out), done: false, rest: pending };
}

// RFC 1939 §3: lines starting with "." are sent with one more "."; "." alone ends the response.
const message = Buffer.from(
  "From: a@example.test\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nnot the end above\r\n...\r\nlast\r\n",
);
const wire = Buffer.from(
  "From: a@example.test\r\nSubject: dots\r\n\r\n..leading dot\r\n...two dots\r\n..\r\nnot the end above\r\n....\r\nlast\r\n.\r\n+OK next",
);

describe("DotDecoder", () => {
  it("removes byte-stuffing and stops at the terminating line", () => {
    const result = decodeInChunks(wire, () => wire.length);
    expect(result.done).toBe(true);
    expect(result.message.toString()).toBe(message.toString());
    expect(result.rest.toString()).toBe("+OK next");
  });

  it("gives the same bytes however the stream is cut, down to one byte per chunk", () => {
    for (const size of [1, 2, 3, 4, 5, 7, 13]) {
      const result = decodeInChunks(wire, () => size);
      expect(result.done, `chunks of ${size}`).toBe(true);
      expect(result.message.equals(message), `chunks of ${size}`).toBe(true);
      expect(result.rest.toString()).toBe("+OK next");
    }
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) % 9;
    const result = decodeInChunks(wire, random);
    expect(result.message.equals(message)).toBe(true);
  });

  it("ends an empty message at once", () => {
    const result = decodeInChunks(Buffer.from(".\r\n"), () => 1);
    expect(result).toMatchObject({ done: true });
    expect(result.message.length).toBe(0);
  });

  it("is not fooled by a dot that is not at a line start, or by CRLF.CRLF split across chunks", () => {
    const text = Buffer.from("a.\r\nb\r\n.x\r\n.\r\n");
    const result = decodeInChunks(text, () => 1);
    expect(result.message.toString()).toBe("a.\r\nb\r\nx\r\n");
    expect(result.done).toBe(true);
  });

  it("reports not done while the terminating line has not arrived (a dropped connection)", () => {
    const cutShort = wire.subarray(0, wire.indexOf("\r\n.\r\n+OK") + 3);
    const result = decodeInChunks(cutShort, () => 5);
    expect(result.done).toBe(false);
  });

  it("passes long lines through without waiting for their end", () => {
    const decoder = new DotDecoder();
    const step = decoder.decode(Buffer.alloc(100_000, 0x61));
    expect(step.consumed).toBe(100_000);
    expect(step.out.reduce((n, b) => n + b.length, 0)).toBe(100_000);
  });
});
