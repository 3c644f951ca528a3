import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { signIn, USERS } from "./compose-support";
import { rawClient } from "./imap";

// Issue 13: one user can never reach another's mail. Two signed-in users; every identifier one
// holds (folder, UID, UIDVALIDITY, part number, upload id, draft id, outbox id, POP3 account id)
// tried by the other on the routes that take it. The other either gets a refusal or their own mail, never the first user's.

async function session(browser: Browser, user: (typeof USERS)[keyof typeof USERS]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  return { context, api: page.request };
}

const json = { "Content-Type": "application/json" };

let ORIGIN = "";

/** A request as the app's own pages make it (same origin), so only the session decides. */
async function textOf(api: APIRequestContext, method: "GET" | "DELETE" | "PATCH" | "POST" | "PUT", url: string, data?: unknown) {
  const response = await api.fetch(url, {
    method,
    headers: { ...json, Origin: ORIGIN },
    data: data === undefined ? undefined : JSON.stringify(data),
    maxRedirects: 0,
  });
  return { status: response.status(), text: await response.text() };
}

test("swapping identifiers between two signed-in users reaches nothing of the other's", async ({ browser, baseURL }) => {
  ORIGIN = new URL(baseURL!).origin;
  const alice = await session(browser, USERS.alice);
  const carol = await session(browser, USERS.carol);
  const secret = `alice-only ${randomUUID()}`;
  const pop3Folder = `Isolation ${randomUUID().slice(0, 8)}`;
  try {
    // What alice holds: a message with an attachment, an upload, a draft, a message waiting in the
    // outbox (scheduled a day ahead, so it stays there) and a POP3 account.
    const page = (await (await alice.api.get(`/api/messages?${new URLSearchParams({ folder: "INBOX", page: "0", pageSize: "200" })}`)).json()) as {
      uidValidity: string;
      messages: { uid: number; subject: string; hasAttachments?: boolean }[];
    };
    const withFile = page.messages.find((m) => m.subject === "Quarterly report") ?? page.messages[0]!;
    const ref = new URLSearchParams({ folder: "INBOX", uidValidity: page.uidValidity });
    const message = (await (await alice.api.get(`/api/messages/${withFile.uid}?${ref}&remote=0`)).json()) as {
      attachments: { partId: string }[];
    };
    const partId = message.attachments[0]?.partId ?? "2";
    const upload = (await (
      await alice.api.post("/api/uploads", { headers: { "Content-Type": "text/plain", "X-File-Name": "secret.txt", Origin: ORIGIN }, data: secret })
    ).json()) as { id: string };
    const draft = JSON.parse(
      (await textOf(alice.api, "POST", "/api/drafts", { subject: secret, body: `<p>${secret}</p>`, attachmentIds: [upload.id] })).text,
    ) as { folder: string; uidValidity: string; uid: number };
    const queued = await alice.api.post("/api/outbox", {
      headers: { ...json, Origin: ORIGIN },
      data: JSON.stringify({
        to: [{ name: "", address: "bob@example.test" }],
        subject: secret,
        format: "html",
        body: `<p>${secret}</p>`,
        idempotencyKey: randomUUID(),
        sendAt: Date.now() + 24 * 3600_000,
      }),
    });
    expect(queued.status()).toBe(201);
    const outboxId = ((await queued.json()) as { item: { id: string } }).item.id;
    // Nothing listens on port 9: the account's background fetches fail, which is all the same here.
    const pop3 = await textOf(alice.api, "POST", "/api/pop3-accounts", {
      host: "127.0.0.1",
      port: 9,
      security: "tls",
      login: secret,
      password: "alice-pop3-password",
      folder: pop3Folder,
      mode: "keep",
    });
    expect(pop3.status).toBe(201);
    const pop3Id = (JSON.parse(pop3.text) as { id: string }).id;
    const pop3Input = { host: "127.0.0.1", port: 9, security: "tls", login: "carol", password: "x", folder: "INBOX", mode: "keep" };
    // alice's own bytes of that message, to compare with whatever carol gets back.
    const aliceMessage = await (await alice.api.get(`/api/messages/${withFile.uid}?${ref}&remote=0`)).text();
    const alicePart = await (await alice.api.get(`/api/messages/${withFile.uid}/parts/${encodeURIComponent(partId)}?${ref}&download=1`)).text();
    expect(upload.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(draft.uid).toBeGreaterThan(0);

    // carol tries every one of them.
    const draftRef = new URLSearchParams({ folder: draft.folder, uidValidity: draft.uidValidity });
    const attempts = [
      await textOf(carol.api, "GET", `/api/messages/${withFile.uid}?${ref}&remote=0`),
      await textOf(carol.api, "GET", `/api/messages/${withFile.uid}?${ref}&remote=1`),
      await textOf(carol.api, "GET", `/api/messages/${withFile.uid}/source?${ref}`),
      await textOf(carol.api, "GET", `/api/messages/${withFile.uid}/parts/${encodeURIComponent(partId)}?${ref}&download=1`),
      await textOf(carol.api, "GET", `/api/drafts/${draft.uid}?${draftRef}`),
      await textOf(carol.api, "DELETE", `/api/drafts/${draft.uid}?${draftRef}`),
      await textOf(carol.api, "DELETE", `/api/uploads/${upload.id}`),
      await textOf(carol.api, "POST", "/api/drafts", { subject: "carol's", attachmentIds: [upload.id] }),
      await textOf(carol.api, "POST", "/api/send", {
        to: [{ name: "", address: "carol@example.test" }],
        subject: "steal",
        attachmentIds: [upload.id],
        idempotencyKey: randomUUID(),
        draft: { folder: draft.folder, uidValidity: draft.uidValidity, uid: draft.uid },
      }),
    ];
    // Ids that live in the app's store, not on alice's IMAP server: only the store's keying by login
    // keeps them apart.
    const storeAttempts = [
      await textOf(carol.api, "GET", `/api/outbox/${outboxId}`),
      await textOf(carol.api, "POST", `/api/outbox/${outboxId}/send-now`),
      await textOf(carol.api, "POST", `/api/outbox/${outboxId}/cancel`),
      await textOf(carol.api, "PUT", `/api/pop3-accounts/${pop3Id}`, pop3Input),
      await textOf(carol.api, "POST", `/api/pop3-accounts/${pop3Id}/fetch`),
      await textOf(carol.api, "DELETE", `/api/pop3-accounts/${pop3Id}`),
    ];
    for (const attempt of storeAttempts) {
      expect(attempt.status, attempt.text).toBe(404);
      expect(attempt.text).not.toContain(secret);
    }
    // Nor do carol's own lists, searches and conversations show any of it.
    const draftsRef = new URLSearchParams({ folder: draft.folder, uidValidity: draft.uidValidity });
    attempts.push(
      await textOf(carol.api, "GET", "/api/outbox"),
      await textOf(carol.api, "GET", "/api/pop3-accounts"),
      await textOf(carol.api, "GET", `/api/conversations/${draft.uid}?${draftsRef}`),
    );
    // A search answer repeats its query: what counts is that it finds nothing.
    const search = await textOf(carol.api, "GET", `/api/search?${new URLSearchParams({ q: secret, folder: draft.folder })}`);
    expect(search.status).toBe(200);
    expect(JSON.parse(search.text)).toMatchObject({ total: 0, messages: [] });
    for (const attempt of attempts) expect(attempt.text).not.toContain(secret);
    expect(attempts[0]!.text).not.toBe(aliceMessage);
    expect(attempts[1]!.text).not.toBe(aliceMessage);
    expect(attempts[3]!.text).not.toBe(alicePart);
    // The upload id is refused outright: it is bound to alice's session.
    expect(attempts[6]!.status).toBe(404);
    expect(attempts[7]!.status).toBe(404);
    expect(attempts[8]!.status).toBe(404);

    // alice's draft and upload are untouched by all of that.
    const reopened = await textOf(alice.api, "GET", `/api/drafts/${draft.uid}?${draftRef}`);
    expect(reopened.status).toBe(200);
    expect(reopened.text).toContain(secret);
    expect((await textOf(alice.api, "GET", `/api/outbox/${outboxId}`)).text).toContain(secret);
    expect((await textOf(alice.api, "GET", "/api/pop3-accounts")).text).toContain(pop3Id);
    expect((await textOf(alice.api, "DELETE", `/api/pop3-accounts/${pop3Id}`)).status).toBe(204);
    const cancelled = await textOf(alice.api, "POST", `/api/outbox/${outboxId}/cancel`);
    expect(cancelled.status, cancelled.text).toBe(200);
    const back = (JSON.parse(cancelled.text) as { draft: { folder: string; uidValidity: string; uid: number } }).draft;
    const backRef = new URLSearchParams({ folder: back.folder, uidValidity: back.uidValidity });
    expect((await textOf(alice.api, "DELETE", `/api/drafts/${back.uid}?${backRef}`)).status).toBeLessThan(300);
    expect((await textOf(alice.api, "DELETE", `/api/uploads/${upload.id}`)).status).toBe(204);
    expect((await textOf(alice.api, "DELETE", `/api/drafts/${draft.uid}?${draftRef}`)).status).toBeLessThan(300);
  } finally {
    await alice.context.close();
    await carol.context.close();
    const raw = await rawClient(USERS.alice);
    await raw.mailboxDelete(pop3Folder).catch(() => undefined);
    await raw.logout();
  }
});
