#!/usr/bin/env node
// Fills a folder with many generated messages, fast: Maildir files are written directly into the
// folder's cur/ (2–20 KB each, a few with a small attachment, dates spread over five years, unique
// Message-IDs), then Dovecot picks them up (doveadm force-resync + index). Plain Node 20, no npm.
//
//   node fill.mjs USER FOLDER COUNT            e.g. alice Bench 100000
//   node fill.mjs --big-attachment USER FOLDER adds one "Big attachment 25MB" message (big.bin, 25 MiB)
//   node fill.mjs --no-full-text USER FOLDER COUNT leaves the full-text index alone: tests that never
//     search a filled folder skip indexing thousands of messages with fts-xapian, which on two
//     cores takes longer than the rest of the test (Dovecot indexes them on the first text search).
//
// Run it through `scripts/mail-stack/mail-stack.sh fill ...`, which provides the environment.
import { randomBytes } from "node:crypto";
import {
  base64Lines,
  doveadm,
  encodeWords,
  ensureMailbox,
  normalizeUser,
  pdf,
  pseudoRandomBytes,
  rfc5322Date,
  rng,
  solidPng,
  stackEnv,
  writeMaildirMessage,
} from "./mime.mjs";

const env = stackEnv();
const args = process.argv.slice(2);
const big = args[0] === "--big-attachment";
if (big) args.shift();
const fullText = args[0] !== "--no-full-text";
if (!fullText) args.shift();
const [userArg, folder, countArg] = args;
const count = big ? 1 : Number(countArg);
if (!userArg || !folder || !Number.isInteger(count) || count < 1) {
  console.error("usage: fill.mjs [--no-full-text] USER FOLDER COUNT | fill.mjs --big-attachment USER FOLDER");
  process.exit(2);
}
const user = normalizeUser(userArg, env.domain);
const t0 = performance.now();
const dir = ensureMailbox(env, user, folder);
const runId = randomBytes(4).toString("hex");
const NOW = Date.now();

function indexFolder() {
  const t = performance.now();
  doveadm(env, ["force-resync", "-u", user, folder]);
  // `doveadm index` fills Dovecot's cache and, with fts loaded, the full-text index.
  if (fullText) doveadm(env, ["index", "-u", user, folder]);
  const status = doveadm(env, ["-f", "flow", "mailbox", "status", "-u", user, "messages", folder]);
  return { ms: performance.now() - t, messages: Number(/messages=(\d+)/.exec(status)?.[1]) };
}

if (big) {
  const SIZE = 25 * 1024 * 1024;
  const data = pseudoRandomBytes(SIZE, 25);
  const boundary = "----=_Letterbox_big_attachment";
  const date = NOW - 60_000;
  const head = [
    "From: Big Files <bigfiles@transfer.example>",
    `To: ${user}`,
    "Subject: Big attachment 25MB",
    `Date: ${rfc5322Date(date, 0)}`,
    `Message-ID: <big-attachment.${runId}@transfer.example>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 7bit",
    "",
    `Here is the 25 MB file (big.bin, ${SIZE} bytes of deterministic pseudo-random data).`,
    "",
    `--${boundary}`,
    'Content-Type: application/octet-stream; name="big.bin"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="big.bin"',
    "",
    "",
  ].join("\n");
  const message = Buffer.concat([
    Buffer.from(head),
    Buffer.from(base64Lines(data)),
    Buffer.from(`\n--${boundary}--\n`),
  ]);
  // Saved through Dovecot, as delivered mail is, not written into the Maildir: Dovecot then caches
  // the message's part offsets, and a partial FETCH of the attachment does not re-parse 34 MB each
  // time (which made every 64 KB chunk cost 200 ms for sessions opened before the file appeared).
  doveadm(env, ["save", "-u", user, "-m", folder], { input: message });
  const idx = indexFolder();
  console.log(
    `Added "Big attachment 25MB" (big.bin, ${SIZE} bytes; message ${(message.length / 2 ** 20).toFixed(1)} MiB) to ${user} ${folder} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${folder} now has ${idx.messages} messages.`,
  );
  process.exit(0);
}

// --- pools, built once -------------------------------------------------------------------------

const r = rng(100_000 + count);
const firstNames = [
  "Anna",
  "Ben",
  "Chloé",
  "David",
  "Elif",
  "Finn",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kai",
  "Lena",
  "Mateo",
  "Nora",
  "Omar",
  "Paula",
  "Quinn",
  "Rosa",
  "Sven",
  "Tara",
  "Umut",
  "Vera",
  "Wei",
  "Xenia",
  "Yusuf",
  "Zoë",
  "Łukasz",
  "Søren",
  "Ana",
  "Jörg",
];
const lastNames = [
  "Meyer",
  "Smith",
  "García",
  "Rossi",
  "Novak",
  "Kowalski",
  "Tanaka",
  "Dubois",
  "Jensen",
  "Öztürk",
  "Silva",
  "Müller",
  "Brown",
  "Nguyen",
  "Ivanova",
  "Larsen",
  "Fischer",
  "Moreau",
  "Costa",
  "Berg",
];
const domains = [
  "example.com",
  "example.org",
  "example.net",
  "mail.example",
  "corp.example",
  "news.example",
  "shop.example",
  "startup.example",
];
const senders = [];
for (let i = 0; i < 400; i++) {
  const f = r.pick(firstNames);
  const l = r.pick(lastNames);
  const name = `${f} ${l}`;
  const local = `${f}.${l}`
    .normalize("NFD")
    .replace(/[^\x00-\x7f]/g, "")
    .replace(/[^A-Za-z.]/g, "")
    .toLowerCase();
  const display = /^[\x20-\x7e]*$/.test(name) ? name : encodeWords(name, i % 2 ? "B" : "Q");
  senders.push(`${display} <${local}@${r.pick(domains)}>`);
}
const subjectStarts = ["Re: ", "", "", "", "Fwd: ", "", "[team] ", "", "Re: Re: ", ""];
const subjectBodies = [
  "Weekly status update",
  "Invoice {n}",
  "Meeting notes {d}",
  "Question about the API",
  "Deployment schedule",
  "Your order {n} has shipped",
  "Lunch tomorrow?",
  "Design feedback round {n}",
  "Quarterly planning",
  "Server maintenance window",
  "Welcome to the team",
  "Expense report {n}",
  "Customer escalation #{n}",
  "Travel booking confirmation",
  "Code review: branch feature-{n}",
  "Newsletter issue {n}",
  "Holiday schedule",
  "Contract renewal",
  "Bug report: crash on startup",
  "Reminder: submit your timesheet",
  "Photos from the event",
  "Budget approval needed",
  "Performance review",
  "Security advisory {n}",
  "Ticket {n} updated",
  "Draft proposal v{d}",
  "Conference talk accepted",
  "Onboarding checklist",
];
const words =
  "the of and to in is that for it as with was on be at by this had not are but from or have an they which one you were all we her she there would their will when who him been has more if no out so said what up its about than into them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three".split(
    " ",
  );
const paragraphs = [];
for (let i = 0; i < 300; i++) {
  let p = "";
  const sentencesN = r.int(2, 7);
  for (let s = 0; s < sentencesN; s++) {
    const n = r.int(6, 18);
    const ws = [];
    for (let k = 0; k < n; k++) ws.push(r.pick(words));
    ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
    p += ws.join(" ") + ". ";
  }
  // wrap at ~72 columns
  const lines = [];
  let line = "";
  for (const w of p.trim().split(" ")) {
    if (line.length + w.length + 1 > 72) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  paragraphs.push(lines.join("\n"));
}
const attachments = [
  {
    type: "application/pdf",
    name: "document.pdf",
    b64: base64Lines(pdf("Document", ["Generated by fill.mjs", "Page 1 of 1"])),
  },
  { type: "image/png", name: "image.png", b64: base64Lines(solidPng(40, 30, [200, 80, 60])) },
  { type: "text/csv", name: "data.csv", b64: base64Lines(Buffer.from("a,b,c\n1,2,3\n4,5,6\n7,8,9\n")) },
  { type: "application/octet-stream", name: "blob.bin", b64: base64Lines(pseudoRandomBytes(6000, 7)) },
];

// --- generate and write ------------------------------------------------------------------------

const SPAN = 5 * 365 * 24 * 3600_000;
const start = NOW - SPAN;
const to = user;
let bytes = 0;
const tWrite = performance.now();
for (let i = 0; i < count; i++) {
  // Ascending dates (with jitter inside each slot): UID order follows date order.
  const date = Math.floor(start + ((i + r()) / count) * (SPAN - 3600_000));
  const n = r.int(100, 99999);
  const subject =
    r.pick(subjectStarts) +
    r
      .pick(subjectBodies)
      .replace("{n}", String(n))
      .replace("{d}", String(r.int(1, 28)));
  const target = 2000 + Math.floor(r() * r() * 18000);
  let body = "";
  while (body.length < target) body += r.pick(paragraphs) + "\n\n";
  const withAttachment = r() < 0.03;
  const id = `fill.${runId}.${i}@bench.letterbox.example`;
  let head =
    `Return-Path: <bench@letterbox.example>\n` +
    `From: ${r.pick(senders)}\n` +
    `To: ${to}\n` +
    `Subject: ${subject}\n` +
    `Date: ${rfc5322Date(date, 0)}\n` +
    `Message-ID: <${id}>\n` +
    `MIME-Version: 1.0\n`;
  let text;
  if (withAttachment) {
    const a = attachments[i % attachments.length];
    const b = `----=_fill_${i}`;
    text =
      head +
      `Content-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n${body}\n--${b}\n` +
      `Content-Type: ${a.type}; name="${a.name}"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="${a.name}"\n\n${a.b64}\n--${b}--\n`;
  } else {
    text = head + `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n${body}`;
  }
  const buf = Buffer.from(text, "utf8");
  bytes += buf.length;
  const roll = r();
  const flags = roll < 0.08 ? "" : roll < 0.11 ? "FS" : roll < 0.16 ? "RS" : "S";
  writeMaildirMessage(env, dir, buf, date, flags);
}
const writeMs = performance.now() - tWrite;
const idx = indexFolder();
const total = (performance.now() - t0) / 1000;
console.log(
  `Filled ${user} ${folder} with ${count.toLocaleString("en-US")} messages (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${total.toFixed(1)} s ` +
    `(write ${(writeMs / 1000).toFixed(1)} s, Dovecot resync+index ${(idx.ms / 1000).toFixed(1)} s); ${folder} now has ${idx.messages.toLocaleString("en-US")} messages.`,
);
