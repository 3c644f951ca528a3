import { describe, expect, it } from "vitest";
import { serializeCss, tokenizeCss } from "./css-tokens";

describe("tokenizeCss", () => {
  it("decodes escapes in identifiers, strings and urls (CSS Syntax 3 §4.3.7)", () => {
    expect(tokenizeCss("\\75 rl(x) '\\41 b' u\\72l(\\2f y)")).toEqual([
      { type: "url", value: "x" },
      { type: "whitespace" },
      { type: "string", value: "Ab" },
      { type: "whitespace" },
      { type: "url", value: "/y" },
    ]);
  });

  it("drops comments and recognizes url( with a quoted argument as a function", () => {
    expect(tokenizeCss('/* c */url( "a" )')).toEqual([
      { type: "function", value: "url" },
      { type: "whitespace" },
      { type: "string", value: "a" },
      { type: "whitespace" },
      { type: ")" },
    ]);
  });

  it("tells numbers, percentages and dimensions apart", () => {
    expect(tokenizeCss("-1.5e3px 10% +.5 1e3")).toEqual([
      { type: "dimension", repr: "-1.5e3", unit: "px" },
      { type: "whitespace" },
      { type: "percentage", repr: "10" },
      { type: "whitespace" },
      { type: "number", repr: "+.5" },
      { type: "whitespace" },
      { type: "number", repr: "1e3" },
    ]);
  });

  it("reads NUL as U+FFFD before tokenizing, as browsers do (§3.3)", () => {
    expect(tokenizeCss("url(a\u0000b)")).toEqual([{ type: "url", value: "a\uFFFDb" }]);
    expect(tokenizeCss("a\u0000")).toEqual([{ type: "ident", value: "a\uFFFD" }]);
  });

  it("reports bad strings and bad urls", () => {
    expect(tokenizeCss('"a\nb').map((t) => t.type)).toEqual(["bad-string", "whitespace", "ident"]);
    expect(tokenizeCss("url(a b) c").map((t) => t.type)).toEqual(["bad-url", "whitespace", "ident"]);
    expect(tokenizeCss("<!-- -->").map((t) => t.type)).toEqual(["CDO", "whitespace", "CDC"]);
  });
});

describe("serializeCss", () => {
  it("round-trips to the same tokens", () => {
    for (const css of [
      'a>b.c#d:hover::after{content:"x\\"y";margin:-1px 2e3% 0}',
      "@media (min-width:1px){.x{background:url(a\\29 b.png)}}",
      "--custom: {a:b}; width: calc(100% - 2 * 3px)",
      "\\31 23abc{x:y} .-\\32 x{}",
      "a{b:url( x\\ y ) c:url(\\'\\\"\\5c)}",
    ]) {
      const tokens = tokenizeCss(css);
      expect(tokenizeCss(serializeCss(tokens))).toEqual(tokens);
    }
  });

  it("escapes '<' everywhere", () => {
    expect(
      serializeCss([
        { type: "ident", value: "a<b" },
        { type: "string", value: "</style>" },
        { type: "url", value: "<x>" },
      ]),
    ).toBe('a\\3c b"\\3c /style\\3e "url(\\3c x\\3e )');
  });
});
