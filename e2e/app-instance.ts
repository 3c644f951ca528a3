import { spawn, type ChildProcess } from "node:child_process";

/**
 * An app instance of its own (the built app, `next start`), for the tests that restart one or run
 * two behind nginx. Its output is kept: the two-instance test reads it to see which one served what.
 */
export interface AppInstance {
  port: number;
  url: string;
  output(): string;
  /** SIGTERM, as a deploy does; resolves once the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or the OOM killer does: nothing runs on the way out. */
  kill(): Promise<void>;
}

export async function startInstance(port: number, env: Record<string, string>): Promise<AppInstance> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: { ...process.env, AUTH_TRUST_HOST: "1", LETTERBOX_LOG_REQUESTS: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // Ready when the sign-in page answers (a condition, not a fixed wait).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app on port ${port} exited at start:\n${output}`);
    const ok = await fetch(`${url}/login`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the app on port ${port} did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** The ports of the extra instances: after the main e2e app's (E2E_PORT + 1, + 2). */
export function extraPorts(): [number, number] {
  const base = Number(process.env.E2E_PORT ?? 3100);
  return [base + 1, base + 2];
}
