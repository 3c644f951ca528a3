import "server-only";

// The POP3 client: the only place in Letterbox that speaks POP3 (held by eslint.config.mjs).
export { connectPop3, Pop3Session, type Pop3ConnectOptions, type Pop3Security } from "./client";
export { Pop3Error, isPop3Error, pop3ErrorMessages, type Pop3ErrorCode } from "./errors";
export type { Pop3MessageSize } from "./list";
export type { Pop3UniqueId } from "./uidl";
