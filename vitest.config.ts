import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(__dirname),
  // `server-only` throws outside a React Server Component bundle; under Vitest we are plain Node.
  "server-only": path.resolve(__dirname, "tests/server-only-stub.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // A stray it.only would silently skip the rest of the suite: CI (and npm test) refuses it.
    allowOnly: !process.env.CI,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/store/unit-setup.ts"],
          // npm test runs the unit tests beside lint and the type check on two cores: at a load of
          // 10 a test that takes half a second alone (cached-list, the idle collection's waits,
          // themselves bounded at 10 s) passed Vitest's default 5 s. Waits stay conditions.
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
