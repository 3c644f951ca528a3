import "server-only";
import type { MailAccount } from "./account";
import { withImapClient } from "./pool";

/** The largest message the server accepts by APPEND, when it says (RFC 7889 APPENDLIMIT), else null. */
export async function readAppendLimit(account: MailAccount): Promise<number | null> {
  return withImapClient(account, async (client) => {
    const limit = client.capabilities.get("APPENDLIMIT");
    return typeof limit === "number" && limit > 0 ? limit : null;
  });
}
