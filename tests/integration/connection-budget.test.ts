import { afterAll, describe, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { closeAccountConnections, connectionCount, withImapClient } from "@/lib/mail/imap/pool";
import { verifyLogin } from "@/lib/mail/imap/verify-login";
import { accountFor, rawClient, requireStackEnv, users } from "./support";

// Dovecot refuses an 11th connection per user and address (mail_max_userip_connections = 10); every
// browser a user signs in from is a session with a pool of its own.
requireStackEnv();
const sessions = Array.from({ length: 5 }, () => accountFor(users.bob));
const outsiders: ImapFlow[] = [];

afterAll(async () => {
  await Promise.all(outsiders.map((c) => c.logout().catch(() => c.close())));
  await Promise.all(sessions.map((s) => closeAccountConnections(s.key)));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Three overlapping requests, as a list page, a body and an image would make. */
async function busySession(account: (typeof sessions)[number]) {
  await Promise.all(
    [0, 1, 2].map(() =>
      withImapClient(account, async (client) => {
        await client.noop();
        await sleep(100);
      }),
    ),
  );
}

describe("the connection budget of one login", () => {
  it("lets five sessions of one user work in turn without hitting the server's per-user limit", async () => {
    for (const session of sessions) await busySession(session);
    const open = sessions.reduce((sum, s) => sum + connectionCount(s.key), 0);
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThanOrEqual(6);
  });

  it("signs in even when the server is full, by logging out the user's own idle connections", async () => {
    const pooled = sessions.reduce((sum, s) => sum + connectionCount(s.key), 0);
    // Fill the server's budget with connections that are not ours to close (another mail client).
    while (outsiders.length + pooled < 10) outsiders.push(await rawClient(users.bob));
    await expect(verifyLogin(users.bob.login, users.bob.password)).resolves.toBeUndefined();
    expect(sessions.reduce((sum, s) => sum + connectionCount(s.key), 0)).toBeLessThan(pooled);
  });

  it("says the login is throttled, not that the password is wrong, when nothing of ours can give way", async () => {
    for (const session of sessions) await closeAccountConnections(session.key);
    await sleep(300);
    while (outsiders.length < 10) outsiders.push(await rawClient(users.bob));
    await expect(verifyLogin(users.bob.login, users.bob.password)).rejects.toMatchObject({ code: "LOGIN_THROTTLED" });
  });
});
