import { describe, expect, it } from "vitest";
import { filterCss } from "./filter-css";

const keep = (url: string) => url;
const drop = () => null;

function seen(css: string): string[] {
  const urls: string[] = [];
  filterCss(css, (url) => {
    urls.push(url);
    return url;
  });
  return urls;
}

describe("filterCss", () => {
  it("writes ordinary declarations back unchanged", () => {
    expect(filterCss("color: red; margin: -1.5e3px 10% +.5em 0; font-family: 'Segoe UI', Arial", keep)).toBe(
      'color: red; margin: -1.5e3px 10% +.5em 0; font-family: "Segoe UI", Arial',
    );
    expect(
      filterCss("@media (max-width:600px){.a>td.b:hover{width:100%!important;color:#1a2b3c}}", keep),
    ).toBe("@media (max-width:600px){.a>td.b:hover{width:100%!important;color:#1a2b3c}}");
  });

  it("replaces refused URLs with none and keeps accepted ones", () => {
    expect(filterCss("background: url(http://t.example/p.gif) no-repeat", drop)).toBe(
      "background: none no-repeat",
    );
    expect(filterCss("background: url( 'http://t.example/p.gif' ) no-repeat", keep)).toBe(
      "background: url(http://t.example/p.gif) no-repeat",
    );
  });

  it("sees URLs however they are spelled", () => {
    expect(seen("a{background:url(a.png)}")).toEqual(["a.png"]);
    expect(seen('a{background:URL("b.png")}')).toEqual(["b.png"]);
    expect(seen("a{background:u\\72l(c.png)}")).toEqual(["c.png"]);
    expect(seen("a{background:\\75 rl(d.png)}")).toEqual(["d.png"]);
    expect(seen("a{background:url(e\\2e png)}")).toEqual(["e.png"]);
    expect(seen('a{background:image-set(\'f.png\' 1x, url(g.png) 2x, "h.png" type("image/avif"))}')).toEqual([
      "f.png",
      "g.png",
      "h.png",
    ]);
    expect(seen('a{background:src("i.png")}')).toEqual(["i.png"]);
    expect(seen("@font-face{src:local(Arial),url(j.woff) format('woff')}")).toEqual(["j.woff"]);
  });

  it("tells the resolver which URLs name a font of an @font-face rule", () => {
    const where = (css: string) => {
      const found: [string, boolean][] = [];
      filterCss(css, (url, inFontFace) => {
        found.push([url, inFontFace]);
        return url;
      });
      return found;
    };
    expect(where("@font-face{src:url(j.woff)} a{background:url(k.png)}")).toEqual([
      ["j.woff", true],
      ["k.png", false],
    ]);
    expect(where("@media print{@FONT-FACE{font-family:x;src:local(A),url('l.woff2') format('woff2')}p{background:url(m.png)}}")).toEqual([
      ["l.woff2", true],
      ["m.png", false],
    ]);
    expect(where('@\\66ont-face{src:src("n.woff")}')).toEqual([["n.woff", true]]);
    // A prelude ended by ";" opens no rule: the next block is an ordinary one.
    expect(where("@font-face; a{background:url(o.png)}")).toEqual([["o.png", false]]);
  });

  it("removes @import in every spelling and keeps what follows", () => {
    expect(filterCss("@import url(a.css); p{color:red}", keep)).toBe("p{color:red}");
    expect(filterCss("@import 'a.css' screen; p{color:red}", keep)).toBe("p{color:red}");
    expect(filterCss('@\\69mport "a.css"; p{color:red}', keep)).toBe("p{color:red}");
    expect(filterCss("@IMPORT url(a.css) supports(display:grid){x{}} p{color:red}", keep)).toBe(
      "p{color:red}",
    );
    expect(filterCss("p{color:red} @import url(a.css)", keep)).toBe("p{color:red}");
  });

  it("removes expression() with nested parentheses", () => {
    expect(filterCss("width: expression((function(){return 1})()); color: red", keep)).toBe(
      "width: ; color: red",
    );
  });

  it("removes behavior and -moz-binding declarations, escaped or not", () => {
    expect(filterCss("behavior: url(x.htc); color: red", keep)).toBe("color: red");
    expect(filterCss("beh\\61vior: url(x.htc); color: red", keep)).toBe("color: red");
    expect(filterCss("p{-moz-binding:url(x.xml#y);color:red}", keep)).toBe("p{color:red}");
    expect(filterCss("p{-ms-filter:'progid:x'}q{color:red}", keep)).toBe("p{}q{color:red}");
  });

  it("drops attr(), which could carry markup into a property", () => {
    expect(filterCss("content: attr(title)", keep)).toBe("content:");
  });

  it("never writes '<', so a style element cannot be closed from inside", () => {
    const out = filterCss('a::after{content:"</style><script>"} </style> <!-- --> b{c:d}', keep);
    expect(out).not.toContain("<");
    expect(out).toBe('a::after{content:"\\3c /style\\3e \\3c script\\3e "} /style>   b{c:d}');
  });

  it("keeps tokens apart that would otherwise merge", () => {
    expect(filterCss("col/**/or: red", keep)).toBe("col/**/or: red");
    expect(filterCss("width: 1\\65 3px", keep)).toBe("width: 1\\65 3px");
    expect(filterCss("a{b:url(x)c}", drop)).toBe("a{b:none/**/c}");
  });

  it("tolerates broken CSS", () => {
    for (const css of [
      "",
      "{",
      "}",
      "a{",
      "url(",
      'a{b:"unterminated',
      "a{b:url(x y)}",
      "/* open comment",
      "\\",
      "@",
      "#",
      "((((",
      "\u0000",
    ]) {
      expect(() => filterCss(css, keep)).not.toThrow();
    }
    expect(filterCss("a{b:url(x y) red}", keep)).toBe("a{b: red}");
    // A string broken by a newline is a parse error a browser drops; so does the filter.
    expect(filterCss('a{content:"x\nb:c}', keep)).toBe("a{content: b:c}");
  });

describe("custom properties (var()) and remote images", () => {
  const none = () => null;
  it("removes var() and env() inside image-set(), where a string a custom property holds would be a URL", () => {
    const out = filterCss("--a:'https://tracker.example/p.png';background:image-set(var(--a) 1x, -webkit-image-set(env(x)) 2x)", none);
    expect(out).not.toMatch(/var\(|env\(/);
    expect(out).toContain("--a:");
  });

  it("keeps var() where it cannot become a URL", () => {
    expect(filterCss("--c:red;color:var(--c)", none)).toBe("--c:red;color:var(--c)");
  });

  it("resolves a url() held by a custom property like any other", () => {
    const seen: string[] = [];
    filterCss("--a:url(https://tracker.example/p.png);background:var(--a)", (u) => (seen.push(u), null));
    expect(seen).toEqual(["https://tracker.example/p.png"]);
  });
});
});
