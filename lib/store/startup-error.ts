/**
 * The store could not be opened or reached when the server started. instrumentation.ts prints its
 * message (which names the path or LETTERBOX_REDIS_URL) and stops the server.
 */
export class StoreStartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreStartupError";
  }
}
