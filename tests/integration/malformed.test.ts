import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { getMessage } from "@/lib/mail/imap/get-message";
import { closeAccountConnections } from "@/lib/mail/imap/pool";
import { accountFor, rawClient, requireStackEnv, users } from "./support";

// Deliberately malformed messages from Debian's enmime and MIME::Explode test sets, fetched by
// scripts/fetch-mime-corpus.sh: every one must open in the reader without an error.
requireStackEnv();
const corpusDir = process.env.LETTERBOX_MIME_CORPUS ?? path.resolve(".data/mime-corpus");
const FOLDER = "Torture";

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? corpusFiles(full) : [full];
  });
}

const account = accountFor(users.carol);
let raw: ImapFlow;
const appended: { file: string; uid: number }[] = [];
let uidValidity = "";

beforeAll(async () => {
  raw = await rawClient(users.carol);
  await raw.mailboxCreate(FOLDER).catch(() => undefined);
  for (const file of corpusFiles(corpusDir)) {
    const content = readFileSync(file);
    if (content.length === 0) continue;
    const result = await raw.append(FOLDER, content);
    if (result && result.uid) appended.push({ file: path.relative(corpusDir, file), uid: result.uid });
    if (result && result.uidValidity) uidValidity = result.uidValidity.toString();
  }
}, 120_000);

afterAll(async () => {
  await raw.mailboxDelete(FOLDER).catch(() => undefined);
  await raw.logout();
  await closeAccountConnections(account.key);
});

describe("malformed and torture-test messages", () => {
  it("has the corpus", () => {
    expect(appended.length).toBeGreaterThan(70);
  });

  it("opens every one in the reader without an error", async () => {
    const failures: string[] = [];
    for (const { file, uid } of appended) {
      try {
        const message = await getMessage(account, { folder: FOLDER, uidValidity, uid }, { allowRemote: false });
        expect(typeof message.html).toBe("string");
        expect(message.html).not.toMatch(/<script/i);
      } catch (error) {
        failures.push(`${file}: ${error instanceof AppError ? error.code : String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
