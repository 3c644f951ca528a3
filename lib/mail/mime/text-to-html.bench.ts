import { bench, describe } from "vitest";
import { textToHtml } from "./text-to-html";

// npm run bench:unit. Inputs shaped to make a careless link or address pattern backtrack: a long
// run that almost matches must stay linear (milliseconds, not seconds).
describe("textToHtml on hostile plain text", () => {
  bench("200,000 letters, 20,000 schemes, 50,000 parentheses", () => {
    textToHtml(`${"a".repeat(200_000)}@ ${"http://".repeat(20_000)} ${")".repeat(50_000)}`);
  });
  bench("100,000 almost-addresses", () => {
    textToHtml("a@".repeat(100_000));
  });
});
