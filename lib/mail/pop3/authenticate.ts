import "server-only";
import type { Pop3Capabilities } from "./capa";
import type { Pop3Connection, Pop3Response } from "./connection";
import { Pop3Error } from "./errors";

// RFC 2449 §4: command lines are at most 255 octets including CRLF.
const MAX_COMMAND_LINE = 253;
// RFC 3206 / RFC 2449 §8.1: codes that say "not now", not "wrong password".
const TEMPORARY_CODES = new Set(["IN-USE", "LOGIN-DELAY", "SYS/TEMP"]);

function loginFailure(response: Pop3Response): Pop3Error {
  const code = response.code ?? "";
  if (TEMPORARY_CODES.has(code)) return new Pop3Error("LOGIN_DELAYED", { serverText: response.text });
  if (code === "SYS/PERM") return new Pop3Error("REFUSED", { serverText: response.text });
  // [AUTH] (RFC 3206) or no code at all: the credentials were not accepted.
  return new Pop3Error("AUTH_FAILED", { serverText: response.text });
}

/**
 * Logs in: SASL PLAIN (RFC 5034, RFC 4616) when the server lists it in CAPA's SASL line, else
 * USER/PASS (RFC 1939 §7). PLAIN and PASS both send the password as it is, which is why the
 * caller upgrades to TLS first unless the user explicitly allowed plaintext.
 * The lines sent here carry the password: they are never logged or put into errors.
 */
export async function authenticate(
  connection: Pop3Connection,
  capabilities: Pop3Capabilities | null,
  login: string,
  password: string,
): Promise<void> {
  const sasl = capabilities?.get("SASL") ?? [];
  if (sasl.map((m) => m.toUpperCase()).includes("PLAIN")) {
    await authenticatePlain(connection, login, password);
    return;
  }
  if (capabilities && !capabilities.has("USER")) {
    throw new Pop3Error("REFUSED", { detail: "the server offers neither SASL PLAIN nor USER/PASS" });
  }
  const user = await connection.command(`USER ${login}`);
  if (!user.ok) throw loginFailure(user);
  const pass = await connection.command(`PASS ${password}`);
  if (!pass.ok) throw loginFailure(pass);
}

async function authenticatePlain(connection: Pop3Connection, login: string, password: string): Promise<void> {
  // RFC 4616: authzid (empty) NUL authcid NUL passwd, in UTF-8, base64 encoded.
  const initial = Buffer.from(`\0${login}\0${password}`, "utf8").toString("base64");
  const withInitial = `AUTH PLAIN ${initial}`;
  // RFC 5034 §4: the initial response goes on the AUTH line only if the line stays within limits;
  // otherwise wait for the server's empty challenge ("+ ") and send it on its own line.
  let step;
  if (withInitial.length <= MAX_COMMAND_LINE) {
    connection.send(withInitial);
    step = await connection.readAuthStep();
  } else {
    connection.send("AUTH PLAIN");
    step = await connection.readAuthStep();
    if ("continuation" in step) {
      connection.send(initial);
      step = await connection.readAuthStep();
    }
  }
  if ("continuation" in step) {
    // A second challenge is not part of PLAIN: cancel the exchange (RFC 5034 §4, "*").
    connection.send("*");
    await connection.readAuthStep().catch(() => undefined);
    throw new Pop3Error("PROTOCOL", { detail: "unexpected SASL challenge" });
  }
  if (!step.ok) throw loginFailure(step);
}
