import "server-only";
import { connectPop3 } from "@/lib/mail/pop3";
import { describeFetchProblem } from "./describe-fetch-problem";
import type { FetchProblem, Pop3Source } from "./types";

/**
 * "Test connection": connects, logs in, and counts the messages, so the user learns before saving
 * exactly what fails (wrong password, unreachable, certificate, STLS missing, a refused command).
 */
export async function testPop3Login(
  source: Pop3Source,
  options: { timeoutMs?: number } = {},
): Promise<{ ok: true; messages: number } | { ok: false; problem: FetchProblem }> {
  try {
    const session = await connectPop3({ ...source, timeoutMs: options.timeoutMs ?? 15_000 });
    try {
      const messages = (await session.listSizes()).length;
      return { ok: true, messages };
    } finally {
      await session.quit().catch(() => undefined);
    }
  } catch (error) {
    return { ok: false, problem: describeFetchProblem(error) };
  }
}
