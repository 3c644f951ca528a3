import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { sanitizeMailHtml } from "./sanitize-html";
import { textToHtml } from "./text-to-html";

// The malformed-message corpus from scripts/fetch-mime-corpus.sh, when it has been fetched: every
// body in it, and every raw message read as if it were HTML, must sanitize without an error.
const corpusDir = process.env.LETTERBOX_MIME_CORPUS ?? path.resolve(".data/mime-corpus");

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? corpusFiles(full) : [full];
  });
}

function handlersIn(html: string): string[] {
  return (html.match(/<[^>]*>/g) ?? []).filter((tag) => /\son[a-z]+/i.test(tag.replace(/="[^"]*"/g, "")));
}

describe.skipIf(!existsSync(corpusDir))("MIME corpus", () => {
  it("sanitizes every body and every raw message", async () => {
    const files = corpusFiles(corpusDir);
    expect(files.length).toBeGreaterThan(70);
    for (const file of files) {
      const raw = readFileSync(file);
      const parsed = await simpleParser(raw);
      const inputs = [
        typeof parsed.html === "string" ? parsed.html : "",
        textToHtml(parsed.text ?? ""),
        raw.toString("latin1"),
      ];
      for (const input of inputs) {
        for (const allowRemote of [false, true]) {
          const result = sanitizeMailHtml(input, { allowRemote, cidUrl: () => null });
          expect(result.html, file).not.toMatch(/<script/i);
          expect(handlersIn(result.html), file).toEqual([]);
        }
      }
    }
  }, 60_000);
});
