import "server-only";
import net from "node:net";
import { Readable } from "node:stream";
import tls from "node:tls";
import { DotDecoder } from "./dot-decoder";
import { Pop3Error, toPop3Error } from "./errors";

const LF = 0x0a;
// RFC 2449 §4: a response line is at most 512 octets including CRLF. Allow slack, but never let a
// server that sends no line end grow our buffer without bound.
const MAX_STATUS_LINE = 8192;

export interface Pop3Response {
  ok: boolean;
  /** The text after "+OK" / "-ERR", without the extended response code. */
  text: string;
  /** RFC 2449 §8 extended response code, e.g. "AUTH", "IN-USE", "SYS/TEMP" (upper case). */
  code?: string;
}

export interface ConnectOptions {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (POP3S, RFC 8314), rather than plaintext. */
  implicitTls: boolean;
  /** Accept certificates that do not verify (local development only). */
  tlsInsecure?: boolean;
  /** Socket inactivity limit; also bounds connecting. */
  timeoutMs?: number;
}

interface BodyReader {
  decoder: DotDecoder;
  stream: Readable;
}

/**
 * One POP3 connection: writes command lines, reads status lines, and hands multi-line bodies out as
 * streams that are dot-unstuffed on the way (RFC 1939 §3). One command at a time: POP3 answers in
 * order and this client does not pipeline (RFC 2449 PIPELINING is optional, and not needed here).
 * The socket is paused while a body's reader is not reading, so a slow consumer bounds memory.
 */
export class Pop3Connection {
  private socket: net.Socket;
  private pending: Buffer = Buffer.alloc(0);
  private lineWaiter: { resolve: (line: string) => void; reject: (error: Error) => void } | null = null;
  private body: BodyReader | null = null;
  private failure: Pop3Error | null = null;
  private closed = false;
  readonly host: string;
  private readonly timeoutMs: number;
  private readonly tlsInsecure: boolean;
  /** True once the connection is encrypted (POP3S or after STLS). */
  secure: boolean;

  private constructor(socket: net.Socket, options: ConnectOptions) {
    this.socket = socket;
    this.host = options.host;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.tlsInsecure = !!options.tlsInsecure;
    this.secure = options.implicitTls;
    this.attach(socket);
  }

  /** Opens the TCP (or TLS) connection; the greeting is read by the caller. */
  static open(options: ConnectOptions): Promise<Pop3Connection> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const socket = options.implicitTls
        ? tls.connect({
            host: options.host,
            port: options.port,
            servername: net.isIP(options.host) ? undefined : options.host,
            rejectUnauthorized: !options.tlsInsecure,
          })
        : net.connect({ host: options.host, port: options.port });
      const readyEvent = options.implicitTls ? "secureConnect" : "connect";
      let connected = false;
      const onError = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(toPop3Error(error, connected ? "tls" : "connect"));
      };
      const timer = setTimeout(() => onError(new Pop3Error("UNREACHABLE", { detail: `no connection within ${timeoutMs} ms` })), timeoutMs);
      socket.once("connect", () => {
        connected = true;
      });
      socket.once("error", onError);
      socket.once(readyEvent, () => {
        clearTimeout(timer);
        socket.off("error", onError);
        resolve(new Pop3Connection(socket, options));
      });
    });
  }

  private attach(socket: net.Socket): void {
    socket.setTimeout(this.timeoutMs);
    socket.setNoDelay(true);
    socket.on("data", this.onData);
    socket.on("timeout", this.onTimeout);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
  }

  private detach(socket: net.Socket): void {
    socket.off("data", this.onData);
    socket.off("timeout", this.onTimeout);
    socket.off("error", this.onError);
    socket.off("close", this.onClose);
  }

  private onData = (chunk: Buffer): void => {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.drain();
  };

  private onTimeout = (): void => {
    this.fail(new Pop3Error("TIMEOUT"));
    this.socket.destroy();
  };

  private onError = (error: Error): void => {
    this.fail(toPop3Error(error, "session"));
  };

  private onClose = (): void => {
    this.closed = true;
    this.fail(new Pop3Error("CONNECTION_LOST"));
  };

  private fail(error: Pop3Error): void {
    if (!this.failure) this.failure = error;
    const waiter = this.lineWaiter;
    this.lineWaiter = null;
    waiter?.reject(this.failure);
    const body = this.body;
    this.body = null;
    body?.stream.destroy(this.failure);
  }

  /** Hands received bytes to whoever waits: the body being streamed, or the next status line. */
  private drain(): void {
    while (this.pending.length > 0) {
      if (this.body) {
        const body = this.body;
        const step = body.decoder.decode(this.pending);
        this.pending = this.pending.subarray(step.consumed);
        // One push per socket chunk: a view when the chunk held no stuffed dot, else one copy.
        const data = step.out.length === 1 ? step.out[0]! : step.out.length ? Buffer.concat(step.out) : null;
        const wantsMore = data ? body.stream.push(data) : true;
        if (step.done) {
          this.body = null;
          body.stream.push(null);
          continue;
        }
        if (!wantsMore) this.socket.pause();
        return; // the decoder keeps at most a few undecided bytes in `pending`
      }
      if (this.lineWaiter) {
        const lf = this.pending.indexOf(LF);
        if (lf < 0) {
          if (this.pending.length > MAX_STATUS_LINE) {
            this.fail(new Pop3Error("PROTOCOL", { detail: "status line too long" }));
            this.socket.destroy();
          }
          return;
        }
        const end = lf > 0 && this.pending[lf - 1] === 0x0d ? lf - 1 : lf;
        const line = this.pending.subarray(0, end).toString("utf8");
        this.pending = this.pending.subarray(lf + 1);
        const waiter = this.lineWaiter;
        this.lineWaiter = null;
        waiter.resolve(line);
        continue;
      }
      return; // nobody asked yet: keep it for the next reader
    }
  }

  private readLine(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.lineWaiter || this.body) return Promise.reject(new Error("POP3: a response is already being read"));
    return new Promise((resolve, reject) => {
      this.lineWaiter = { resolve, reject };
      if (this.socket.isPaused()) this.socket.resume();
      this.drain();
    });
  }

  /** Reads one status line: "+OK …" or "-ERR …" (RFC 1939 §3), with its RFC 2449 code if any. */
  async readResponse(): Promise<Pop3Response> {
    const line = await this.readLine();
    return parseStatusLine(line);
  }

  /** Reads a SASL continuation ("+ base64", RFC 5034 §4) or a final status line. */
  async readAuthStep(): Promise<{ continuation: string } | Pop3Response> {
    const line = await this.readLine();
    if (line === "+" || line.startsWith("+ ")) return { continuation: line.slice(2) };
    return parseStatusLine(line);
  }

  /**
   * Sends one command line. A CR or LF inside would end the line early and smuggle a second
   * command, so such input is refused here, the one place every command passes.
   */
  send(line: string): void {
    if (this.failure) throw this.failure;
    if (/[\r\n]/.test(line)) throw new Error("POP3: a command argument contains a line break");
    this.socket.write(line + "\r\n");
  }

  /** Sends a command and reads its status line. `-ERR` is returned, not thrown: callers decide. */
  async command(line: string): Promise<Pop3Response> {
    this.send(line);
    return this.readResponse();
  }

  /**
   * The body of a multi-line response whose "+OK" line was just read, as a stream. The connection
   * reads the next response only after the stream ended; destroying it early closes the connection
   * (the rest of the body would otherwise arrive as the next answer).
   */
  readBody(): Readable {
    if (this.failure) throw this.failure;
    const stream = new Readable({
      highWaterMark: 256 * 1024,
      read: () => {
        if (this.socket.isPaused()) this.socket.resume();
      },
      destroy: (error, callback) => {
        if (this.body?.stream === stream) {
          this.body = null;
          this.close();
        }
        callback(error);
      },
    });
    this.body = { decoder: new DotDecoder(), stream };
    queueMicrotask(() => this.drain());
    return stream;
  }

  /** Reads a whole multi-line body as text: for the short listings (CAPA, UIDL, LIST). */
  async readBodyText(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.readBody()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  /**
   * Switches the connection to TLS after the server accepted STLS (RFC 2595 §4). Anything the server
   * sent before the handshake is discarded, as the RFC requires of the client.
   */
  async upgradeToTls(): Promise<void> {
    const plain = this.socket;
    this.detach(plain);
    this.pending = Buffer.alloc(0);
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({
        socket: plain,
        servername: net.isIP(this.host) ? undefined : this.host,
        rejectUnauthorized: !this.tlsInsecure,
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Pop3Error("TIMEOUT", { detail: "TLS handshake" }));
      }, this.timeoutMs);
      socket.once("error", (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(toPop3Error(error, "tls"));
      });
      socket.once("secureConnect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(socket);
      });
    });
    this.socket = secure;
    this.secure = true;
    this.attach(secure);
  }

  get usable(): boolean {
    return !this.failure && !this.closed;
  }

  /** Ends the connection without QUIT: nothing marked for deletion is deleted (RFC 1939 §6). */
  close(): void {
    this.closed = true;
    this.detach(this.socket);
    this.socket.on("error", () => undefined);
    this.socket.destroy();
    if (!this.failure) this.failure = new Pop3Error("CONNECTION_LOST", { detail: "closed by the client" });
  }

  /** Waits until the server closes its side (after QUIT), bounded by the socket timeout. */
  waitForClose(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.min(this.timeoutMs, 5000));
      const socket = this.socket;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      socket.once("close", done);
    });
  }
}

/** Parses "+OK text" / "-ERR [CODE] text" (RFC 1939 §3, RFC 2449 §8). */
export function parseStatusLine(line: string): Pop3Response {
  let ok: boolean;
  let rest: string;
  if (line.startsWith("+OK")) {
    ok = true;
    rest = line.slice(3);
  } else if (line.startsWith("-ERR")) {
    ok = false;
    rest = line.slice(4);
  } else {
    throw new Pop3Error("PROTOCOL", { detail: `unexpected line "${line.slice(0, 60)}"` });
  }
  rest = rest.replace(/^ /, "");
  const coded = /^\[([^\]]+)\]\s*(.*)$/.exec(rest);
  if (coded) return { ok, code: coded[1]!.toUpperCase(), text: coded[2]! };
  return { ok, text: rest };
}
