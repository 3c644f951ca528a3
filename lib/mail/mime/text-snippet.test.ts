import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import {
  chooseSnippetPart,
  decodeCutBase64,
  decodeCutQuotedPrintable,
  decodeSnippetBytes,
  htmlSnippetText,
  leadingWords,
  SNIPPET_CHARS,
  snippetByteCount,
  snippetFromPart,
  TEXT_BYTES,
  type SnippetPart,
} from "./text-snippet";

const plain = (over: Partial<SnippetPart> = {}): SnippetPart => ({ part: "1", html: false, encoding: "7bit", charset: "utf-8", size: null, ...over });

describe("decodeCutBase64", () => {
  const text = "Grüße aus Köln — the whole sentence survives";
  const encoded = Buffer.from(Buffer.from(text).toString("base64").replace(/(.{20})/g, "$1\r\n"));

  it("decodes a whole part, line breaks and all", () => {
    expect(decodeCutBase64(encoded, true).toString()).toBe(text);
  });

  it("decodes only whole quanta of a part cut anywhere, never adding bytes", () => {
    const whole = Buffer.from(text);
    for (let cut = 0; cut <= encoded.length; cut++) {
      const decoded = decodeCutBase64(encoded.subarray(0, cut), false);
      // Always a prefix of the real bytes: nothing invented at the cut.
      expect(whole.subarray(0, decoded.length).equals(decoded)).toBe(true);
    }
  });
});

describe("decodeCutQuotedPrintable", () => {
  const encoded = Buffer.from("Gr=C3=BC=C3=9Fe, a long line that was wrapped =\r\nby the sender=3D ok\r\nnext line");

  it("undoes escapes and soft line breaks", () => {
    expect(decodeCutQuotedPrintable(encoded, true).toString()).toBe("Grüße, a long line that was wrapped by the sender= ok\r\nnext line");
  });

  it("drops an escape or soft break the cut split, and keeps a malformed one in the middle", () => {
    expect(decodeCutQuotedPrintable(Buffer.from("abc=C"), false).toString()).toBe("abc");
    expect(decodeCutQuotedPrintable(Buffer.from("abc="), false).toString()).toBe("abc");
    expect(decodeCutQuotedPrintable(Buffer.from("abc=\r"), false).toString()).toBe("abc");
    expect(decodeCutQuotedPrintable(Buffer.from("a=ZZb"), false).toString()).toBe("a=ZZb");
    // Cut anywhere, the result is always a prefix of the whole decoding: no half escape shows.
    const whole = decodeCutQuotedPrintable(encoded, true);
    for (let cut = 0; cut <= encoded.length; cut++) {
      const decoded = decodeCutQuotedPrintable(encoded.subarray(0, cut), false);
      expect(whole.subarray(0, decoded.length).equals(decoded)).toBe(true);
    }
  });
});

describe("decodeSnippetBytes", () => {
  it("decodes the part's charset, and never ends a cut in a broken character", () => {
    const latin1 = iconv.encode("Café crème", "iso-8859-1");
    expect(decodeSnippetBytes(latin1, { encoding: "8bit", charset: "ISO-8859-1" }, true)).toBe("Café crème");
    const koi8 = iconv.encode("Привет, мир", "koi8-r");
    expect(decodeSnippetBytes(Buffer.from(koi8.toString("base64")), { encoding: "base64", charset: "koi8-r" }, true)).toBe("Привет, мир");
    const utf8 = Buffer.from("日本語のメール");
    for (let cut = 1; cut < utf8.length; cut++) {
      const text = decodeSnippetBytes(utf8.subarray(0, cut), { encoding: "8bit", charset: "UTF-8" }, false);
      expect(text).not.toContain("\ufffd");
      expect("日本語のメール".startsWith(text)).toBe(true);
    }
    const sjis = iconv.encode("日本語のメール", "shift_jis");
    const cutSjis = decodeSnippetBytes(sjis.subarray(0, 5), { encoding: "8bit", charset: "Shift_JIS" }, false);
    expect(cutSjis).toBe("日本");
  });

  it("takes UTF-7 as UTF-8, so it cannot smuggle markup", () => {
    expect(decodeSnippetBytes(Buffer.from("+ADw-script+AD4-"), { encoding: "7bit", charset: "utf-7" }, true)).toBe("+ADw-script+AD4-");
  });
});

describe("htmlSnippetText", () => {
  it("gives the words, never markup, styles, scripts or addresses", () => {
    const html =
      '<html><head><title>Newsletter</title><style>p{color:red}</style><script>alert(1)</script></head>' +
      '<body><h1>Big news</h1><p>Hello <b>Ann</b>, see <a href="https://tracker.example/x">our offer</a>.</p>' +
      '<img src="https://tracker.example/p.gif" alt="pixel"><blockquote>quoted words</blockquote></body></html>';
    const text = htmlSnippetText(html).replace(/\s+/g, " ").trim();
    expect(text).toBe("Big news Hello Ann, see our offer.");
  });

  it("reads a document cut in the middle of a tag, and decodes entities without creating tags", () => {
    const text = htmlSnippetText("<p>First &lt;b&gt; words</p><p>Second <a hre").replace(/\s+/g, " ").trim();
    expect(text).toBe("First <b> words Second");
  });
});

describe("leadingWords", () => {
  it("leaves out quotes, their attribution, and the signature", () => {
    const text = "Sounds good, see you then.\r\n\r\nOn Tue, 3 Dec 2026, Ann wrote:\r\n> Lunch at noon?\r\n> A.\r\n\r\n-- \r\nBob\r\nACME";
    expect(leadingWords(text)).toBe("Sounds good, see you then.");
    expect(leadingWords("Note: bring the keys\r\nthanks")).toBe("Note: bring the keys thanks");
  });
});

describe("snippetFromPart", () => {
  it("is at most about a hundred characters, cut at a word, marked when more follows", () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    const snippet = snippetFromPart(Buffer.from(words), plain(), true);
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_CHARS + 1);
    expect(snippet.endsWith("…")).toBe(true);
    expect(words.startsWith(snippet.slice(0, -1))).toBe(true);
    expect(snippetFromPart(Buffer.from("Short one."), plain(), true)).toBe("Short one.");
  });

  it("reads a quoted-printable HTML part cut mid-escape", () => {
    const html = Buffer.from('<div style=3D"x">Caf=C3=A9 ouvert =E2=80=94 venez!</div><div>Plus =C3');
    expect(snippetFromPart(html, plain({ html: true, encoding: "quoted-printable" }), false)).toBe("Café ouvert — venez! Plus…");
  });

  it("turns hostile text into plain text: markup stays text, hidden characters go", () => {
    const hostile = Buffer.from("<script>alert(1)</script>\u0000\u202e evil\u0007 text\u200b!");
    // The row renders it as React text, escaped: the tags are visible words, never elements.
    expect(snippetFromPart(hostile, plain(), true)).toBe("<script>alert(1)</script> evil text !");
  });

  it("stays bounded on a flood of tags", () => {
    const flood = Buffer.from("<div>".repeat(5000) + "deep");
    const started = performance.now();
    const snippet = snippetFromPart(flood, plain({ html: true }), false);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_CHARS + 1);
  });
});

describe("chooseSnippetPart", () => {
  it("takes the plain alternative over HTML, inside mixed, never an attachment", () => {
    const root = {
      type: "multipart/mixed",
      childNodes: [
        {
          part: "1",
          type: "multipart/alternative",
          childNodes: [
            { part: "1.1", type: "text/plain", encoding: "quoted-printable", parameters: { charset: "ISO-8859-1" }, size: 900 },
            { part: "1.2", type: "text/html", encoding: "base64", parameters: { charset: "utf-8" }, size: 5000 },
          ],
        },
        { part: "2", type: "text/plain", disposition: "attachment", encoding: "base64", size: 10_000_000 },
      ],
    };
    expect(chooseSnippetPart(root)).toEqual({ part: "1.1", html: false, encoding: "quoted-printable", charset: "ISO-8859-1", size: 900 });
  });

  it("takes HTML when there is no plain text, and part 1 of a single-part message", () => {
    const html = { type: "multipart/alternative", childNodes: [{ part: "1", type: "text/html", encoding: "7bit", size: 100 }] };
    expect(chooseSnippetPart(html)).toMatchObject({ part: "1", html: true, charset: null });
    expect(chooseSnippetPart({ type: "text/plain", encoding: "base64", size: 5_000_000 })).toMatchObject({ part: "1", html: false, size: 5_000_000 });
  });

  it("finds nothing in a message without text", () => {
    expect(chooseSnippetPart({ type: "image/png", encoding: "base64", size: 100 })).toBeNull();
  });
});

describe("snippetByteCount", () => {
  it("asks a few kilobytes of a 5 MB part, and a small part whole", () => {
    expect(snippetByteCount(plain({ size: 5_000_000 }))).toBe(TEXT_BYTES);
    expect(snippetByteCount(plain({ size: 300 }))).toBe(300);
    expect(snippetByteCount(plain({ html: true, size: 5_000_000 }))).toBeGreaterThan(TEXT_BYTES);
  });
});
