import { afterAll, describe, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { closeAccountConnections, connectionCount, withImapClient } from "@/lib/mail/imap/pool";
import { verifyLogin } from "@/lib/mail/imap/verify-login";
import { accountFor, rawClient, requireStackEnv, serverSessionsOf, users, waitFor } from "./support";

// Dovecot refuses an 11th connection per user and address (mail_max_userip_connections = 10); every
// browser a user signs in from is a session with a pool of its own.
requireStackEnv();
const sessions = Array.from({ length: 5 }, () => accountFor(users.bob));
const outsiders: ImapFlow[] = [];

afterAll(async () => {
  await Promise.all(outsiders.map((c) => c.logout().catch(() => c.close())));
  await Promise.all(sessions.map((s) => closeAccountConnections(s.key)));
});

/**
 * Three overlapping requests, as a list page, a body and an image would make: each holds its
 * connection until all three hold one, so they overlap by construction rather than by a sleep.
 */
async function busySession(account: (typeof sessions)[number]) {
  let holding = 0;
  let allHolding: () => void = () => undefined;
  const together = new Promise<void>((resolve) => (allHolding = resolve));
  await Promise.all(
    [0, 1, 2].map(() =>
      withImapClient(account, async (client) => {
        await client.noop();
        if (++holding === 3) allHolding();
        await together;
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
    (await verifyLogin(users.bob.login, users.bob.password)).drop();
    expect(sessions.reduce((sum, s) => sum + connectionCount(s.key), 0)).toBeLessThan(pooled);
  });

  it("says the login is throttled, not that the password is wrong, when nothing of ours can give way", async () => {
    for (const session of sessions) await closeAccountConnections(session.key);
    // Logged out is not yet gone on the server's side: wait until its count is only the outsiders.
    await waitFor("the server to close the logged-out connections", () => serverSessionsOf(users.bob.login) === outsiders.length);
    while (outsiders.length < 10) outsiders.push(await rawClient(users.bob));
    await expect(verifyLogin(users.bob.login, users.bob.password)).rejects.toMatchObject({ code: "LOGIN_THROTTLED" });
  });
});
