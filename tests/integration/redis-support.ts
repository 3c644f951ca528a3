import { execFileSync } from "node:child_process";
import path from "node:path";

/** The tests' Redis: scripts/redis/redis.sh on REDIS_PORT (scripts/test.sh sets it). */
const port = process.env.REDIS_PORT ?? "24379";
const script = path.resolve(__dirname, "../../scripts/redis/redis.sh");

export function redisUrl(): string {
  return `redis://127.0.0.1:${port}/0`;
}

export function startRedis(): void {
  execFileSync("bash", [script, "start"], { env: { ...process.env, REDIS_PORT: port }, stdio: "pipe" });
}

export function stopRedis(): void {
  execFileSync("bash", [script, "stop"], { env: { ...process.env, REDIS_PORT: port }, stdio: "pipe" });
}
