import "server-only";
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { dataDir, getStore } from "@/lib/store";
import type { UploadedFile } from "@/lib/mail/types";

/**
 * Attachments wait here between upload and send: streamed to a file as they arrive (memory holds a
 * chunk, whatever the file's size), named by a random id the server issued. The id is bound to the
 * session that uploaded it; the user's file name is only metadata, never part of a path, so no
 * client input can make the server read a file or URL of its choosing.
 *
 * The registry (owner, name, type, size) lives in the store, so an upload made through one instance
 * is found by another and survives a restart; the files stay files, under MAIL_UPLOAD_DIR or the
 * data folder's uploads/ — with several instances on several machines that folder must be shared
 * storage (docs/deployment.md).
 */

interface UploadEntry {
  owner: string;
  filename: string;
  contentType: string;
  size: number;
  lastUsed: number;
}

/** An upload nobody sent or touched for this long is deleted (a closed tab, an abandoned draft). */
export const ABANDONED_AFTER_MS = 24 * 60 * 60_000;
const ID_PATTERN = /^[0-9a-f-]{36}$/;

const entryKey = (id: string) => `upload:${id}`;

// Paths here are runtime data outside the app (MAIL_UPLOAD_DIR or the data folder). The build's
// file tracing cannot tell that from a path it cannot compute and would copy the whole project
// into the server output; turbopackIgnore says these paths are none of its business.
// The folder is created once per process: the slot only caches that promise (not server state —
// the uploads themselves are files, registered in the store).
const globalKey = Symbol.for("letterbox.uploadDir");
type Slot = { dir?: Promise<string> };
const slot: Slot = ((globalThis as Record<symbol, unknown>)[globalKey] as Slot | undefined) ?? {};
(globalThis as Record<symbol, unknown>)[globalKey] = slot;

function uploadDir(): Promise<string> {
  slot.dir ??= (async () => {
    const dir = serverConfig().uploadDir || path.join(/*turbopackIgnore: true*/ dataDir(), "uploads");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  })().catch((error: unknown) => {
    slot.dir = undefined;
    throw error;
  });
  return slot.dir;
}

/**
 * Deletes uploads unused for `olderThanMs`, and files the registry no longer knows (their entry
 * expired, or the upload was cut off) once they are that old; returns how many. Runs as a job
 * (sweep-uploads-job.ts: one instance at a time), and from tests.
 */
export async function sweepAbandoned(olderThanMs = ABANDONED_AFTER_MS, now = Date.now()): Promise<number> {
  const dir = await uploadDir();
  const store = await getStore();
  let removed = 0;
  for (const name of await readdir(/*turbopackIgnore: true*/ dir).catch(() => [])) {
    if (!ID_PATTERN.test(name)) continue;
    const file = path.join(/*turbopackIgnore: true*/ dir, name);
    const entry = await store.kv.get<UploadEntry>(entryKey(name));
    const lastUsed = entry?.lastUsed ?? (await stat(file).catch(() => null))?.mtimeMs ?? now;
    if (now - lastUsed > olderThanMs) {
      await store.kv.delete(entryKey(name));
      await rm(file, { force: true });
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
  const dir = await uploadDir();
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
  const entry: UploadEntry = {
    owner,
    filename: cleanFilename(meta.filename),
    contentType: cleanType(meta.contentType),
    size: counted.bytes,
    lastUsed: Date.now(),
  };
  try {
    const store = await getStore();
    await store.kv.set(entryKey(id), entry, { ttlMs: ABANDONED_AFTER_MS * 2 });
  } catch (error) {
    // Without its entry nobody could use or delete the file: remove it now.
    await rm(file, { force: true });
    throw error;
  }
  return publicView(id, entry);
}

function publicView(id: string, u: UploadEntry): UploadedFile {
  return { id, filename: u.filename, contentType: u.contentType, size: u.size };
}

async function ownedEntry(owner: string, id: string): Promise<UploadEntry | null> {
  if (!ID_PATTERN.test(id)) return null;
  const entry = await (await getStore()).kv.get<UploadEntry>(entryKey(id));
  return entry && entry.owner === owner ? entry : null;
}

/** The session's uploads by id, in order; an id that is not this session's is as good as missing. */
export async function uploadsOf(owner: string, ids: readonly string[]): Promise<(UploadedFile & { open: () => Readable })[]> {
  const dir = await uploadDir();
  const store = await getStore();
  const found = [];
  for (const id of ids) {
    const entry = await ownedEntry(owner, id);
    const file = path.join(/*turbopackIgnore: true*/ dir, id);
    if (!entry || !(await stat(file).catch(() => null))) throw new AppError("UPLOAD_NOT_FOUND");
    entry.lastUsed = Date.now();
    await store.kv.set(entryKey(id), entry, { ttlMs: ABANDONED_AFTER_MS * 2 });
    found.push({ ...publicView(id, entry), open: () => createReadStream(file) });
  }
  return found;
}

/** Cancel or remove: deletes the file. Another session's id is refused like an unknown one. */
export async function deleteUpload(owner: string, id: string): Promise<void> {
  if (!(await ownedEntry(owner, id))) throw new AppError("UPLOAD_NOT_FOUND");
  await (await getStore()).kv.delete(entryKey(id));
  await rm(path.join(/*turbopackIgnore: true*/ await uploadDir(), id), { force: true });
}

/** After a send: the files are in the message now. Unknown ids are ignored. */
export async function releaseUploads(owner: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    if (!(await ownedEntry(owner, id))) continue;
    await (await getStore()).kv.delete(entryKey(id));
    await rm(path.join(/*turbopackIgnore: true*/ await uploadDir(), id), { force: true });
  }
}

/** For tests: whether the upload's file is still on disk. */
export async function uploadFileExists(id: string): Promise<boolean> {
  if (!ID_PATTERN.test(id)) return false;
  return !!(await stat(path.join(/*turbopackIgnore: true*/ await uploadDir(), id)).catch(() => null));
}
