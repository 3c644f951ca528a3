import "server-only";
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { UploadedFile } from "@/lib/mail/types";

/**
 * Attachments wait here between upload and send: streamed to a file as they arrive (memory holds a
 * chunk, whatever the file's size), named by a random id the server issued. The id is bound to the
 * session that uploaded it; the user's file name is only metadata, never part of a path, so no
 * client input can make the server read a file or URL of its choosing.
 */

interface StoredUpload extends UploadedFile {
  owner: string;
  file: string;
  lastUsed: number;
}

interface StoreState {
  uploads: Map<string, StoredUpload>;
  dir: string | null;
  sweeper: NodeJS.Timeout | null;
}

// On globalThis so a dev-server module reload keeps track of files already on disk.
const globalKey = Symbol.for("letterbox.uploadStore");
const state: StoreState = ((globalThis as Record<symbol, unknown>)[globalKey] as StoreState | undefined) ?? {
  uploads: new Map(),
  dir: null,
  sweeper: null,
};
(globalThis as Record<symbol, unknown>)[globalKey] = state;

/** An upload nobody sent or touched for this long is deleted (a closed tab, an abandoned draft). */
export const ABANDONED_AFTER_MS = 24 * 60 * 60_000;
const SWEEP_EVERY_MS = 15 * 60_000;
const ID_PATTERN = /^[0-9a-f-]{36}$/;

// Paths here are runtime data outside the app (MAIL_UPLOAD_DIR or the OS temp dir). The build's
// file tracing cannot tell that from a path it cannot compute, and would then copy the whole
// project into the server output ("Dynamic filesystem access causes tracing of the whole
// project"); turbopackIgnore tells it these paths are none of its business.
async function storeDir(): Promise<string> {
  if (state.dir) return state.dir;
  const root = serverConfig().uploadDir || path.join(/*turbopackIgnore: true*/ os.tmpdir(), "letterbox-uploads");
  await mkdir(root, { recursive: true, mode: 0o700 });
  // One directory per server process: a restart forgets the ids, so the old directory's files are
  // orphans, removed once they are old enough that no other running checkout can own them.
  const dir = path.join(/*turbopackIgnore: true*/ root, `${process.pid}-${randomUUID().slice(0, 8)}`);
  await mkdir(dir, { mode: 0o700 });
  state.dir = dir;
  void removeStaleDirectories(root, dir);
  if (!state.sweeper) {
    state.sweeper = setInterval(() => void sweepAbandoned(), SWEEP_EVERY_MS);
    state.sweeper.unref();
  }
  return dir;
}

async function removeStaleDirectories(root: string, current: string): Promise<void> {
  for (const name of await readdir(root).catch(() => [])) {
    const full = path.join(/*turbopackIgnore: true*/ root, name);
    if (full === current) continue;
    const info = await stat(full).catch(() => null);
    if (info && Date.now() - info.mtimeMs > ABANDONED_AFTER_MS) await rm(full, { recursive: true, force: true });
  }
}

/** Deletes uploads unused for `olderThanMs`; returns how many. Runs on a timer, and from tests. */
export async function sweepAbandoned(olderThanMs = ABANDONED_AFTER_MS, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const upload of [...state.uploads.values()]) {
    if (now - upload.lastUsed > olderThanMs) {
      state.uploads.delete(upload.id);
      await rm(upload.file, { force: true });
      removed++;
    }
  }
  return removed;
}

function limiter(maxBytes: number, counted: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counted.bytes += chunk.length;
      if (counted.bytes > maxBytes) callback(new AppError("UPLOAD_TOO_LARGE"));
      else callback(null, chunk);
    },
  });
}

/** A file name fit for a MIME parameter and a UI: no path, no control characters, not endless. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 255);
  return clean || "attachment";
}

function cleanType(type: string): string {
  const t = type.split(";")[0]?.trim().toLowerCase() ?? "";
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t) ? t : "application/octet-stream";
}

/**
 * Streams `body` into a new upload of `owner`, refusing (and deleting what was written) once it
 * passes `maxBytes`. The caller passes the request body unread.
 */
export async function saveUpload(
  owner: string,
  meta: { filename: string; contentType: string },
  body: Readable | ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<UploadedFile> {
  const dir = await storeDir();
  const id = randomUUID();
  const file = path.join(/*turbopackIgnore: true*/ dir, id);
  const counted = { bytes: 0 };
  const source = body instanceof Readable ? body : Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
  try {
    await pipeline(source, limiter(maxBytes, counted), createWriteStream(file, { flags: "wx", mode: 0o600 }));
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  const upload: StoredUpload = {
    id,
    owner,
    file,
    filename: cleanFilename(meta.filename),
    contentType: cleanType(meta.contentType),
    size: counted.bytes,
    lastUsed: Date.now(),
  };
  state.uploads.set(id, upload);
  return publicView(upload);
}

function publicView(u: StoredUpload): UploadedFile {
  return { id: u.id, filename: u.filename, contentType: u.contentType, size: u.size };
}

/** The session's uploads by id, in order; an id that is not this session's is as good as missing. */
export function uploadsOf(owner: string, ids: readonly string[]): (UploadedFile & { open: () => Readable })[] {
  return ids.map((id) => {
    const upload = ID_PATTERN.test(id) ? state.uploads.get(id) : undefined;
    if (!upload || upload.owner !== owner) throw new AppError("UPLOAD_NOT_FOUND");
    upload.lastUsed = Date.now();
    return { ...publicView(upload), open: () => createReadStream(upload.file) };
  });
}

/** Cancel or remove: deletes the file. Another session's id is refused like an unknown one. */
export async function deleteUpload(owner: string, id: string): Promise<void> {
  const upload = state.uploads.get(id);
  if (!upload || upload.owner !== owner) throw new AppError("UPLOAD_NOT_FOUND");
  state.uploads.delete(id);
  await rm(upload.file, { force: true });
}

/** After a send: the files are in the message now. Unknown ids are ignored. */
export async function releaseUploads(owner: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const upload = state.uploads.get(id);
    if (upload && upload.owner === owner) {
      state.uploads.delete(id);
      await rm(upload.file, { force: true });
    }
  }
}

/** For tests: whether the upload's file is still on disk. */
export async function uploadFileExists(id: string): Promise<boolean> {
  const upload = state.uploads.get(id);
  return !!upload && !!(await stat(upload.file).catch(() => null));
}
