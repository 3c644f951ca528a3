// The hostile corpus of issue 13, built by the test itself: HTML vectors written out from the public
// collections' classes (html5sec.org, PortSwigger's XSS cheat sheet, OWASP's filter-evasion sheet,
// DOMPurify's and sanitize-html's fixtures), the CVE classes of webmails' recent advisories, and
// header, charset, content-type and denial-of-service shapes. Every script a vector carries runs
// CANARY; every resource it names is on the canary port, a loopback listener that counts requests.

/** What any script in the corpus would run: marks both windows and opens a dialog. */
export const CANARY = "top.__h13=1,parent.__h13=1,window.__h13=1,alert(1)";
const J = CANARY;

export interface HostileMessage {
  id: string;
  /** The class it belongs to, for the report. */
  kind: string;
  /** The Subject as the reader must show it, as text. */
  subject: string;
  raw: string;
  /** Whether "Load remote content" must bring an image from the canary listener for this one. */
  remoteImage?: boolean;
  /** Text the reader must show as text (a decoded header or file name that reads like markup). */
  shown?: string[];
}

// HTML body vectors. {J} is the canary script, {R} a remote URL on the canary listener.
const HTML_VECTORS: [string, string][] = [
  ["script", "<script>{J}</script>"],
  ["script", "<SCRIPT SRC={R}.js></SCRIPT>"],
  ["script", "<scr<script>ipt>{J}</scr</script>ipt>"],
  ["script", "<<SCRIPT>{J};//<</SCRIPT>"],
  ["script", '<script type="module">{J}</script>'],
  ["handler", "<img src=x onerror={J}>"],
  ["handler", '<body onload="{J}">'],
  ["handler", '<div onmouseover="{J}" style="width:100%;height:200px">hover</div>'],
  ["handler", '<details open ontoggle="{J}"><summary>x</summary></details>'],
  ["handler", '<input autofocus onfocus="{J}">'],
  ["handler", '<marquee onstart="{J}">x</marquee>'],
  ["handler", '<video><source onerror="{J}"></video>'],
  ["handler", '<audio src=x onerror="{J}"></audio>'],
  ["handler", '<a href="https://ok.example/" onclick="{J}">link</a>'],
  ["handler", "<img src=x:alert(alt) onerror=eval(src) alt=0>"],
  ["handler", '<x contenteditable onfocus="{J}" autofocus>x</x>'],
  ["handler", '<style>@keyframes x{}</style><p style="animation-name:x" onanimationstart="{J}">x</p>'],
  ["url", '<a href="javascript:{J}">js link</a>'],
  ["url", '<a href="JaVaScRiPt:{J}">js link</a>'],
  ["url", '<a href="jav&#x09;ascript:{J}">tab</a>'],
  ["url", '<a href="jav&#x0A;ascript:{J}">newline</a>'],
  ["url", '<a href=" &#14;  javascript:{J}">ctrl</a>'],
  ["url", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{J}">entities</a>'],
  ["url", '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A{J}">hex</a>'],
  ["url", '<a href="java&NewLine;script&colon;{J}">named</a>'],
  ["url", '<a href="vbscript:msgbox(1)">vb</a>'],
  ["url", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>'],
  ["url", '<a href="data:text/html,<script>{J}</script>">data2</a>'],
  ["url", '<IMG SRC="javascript:{J};">'],
  ["url", "<IMG SRC=`javascript:{J}`>"],
  ["url", '<img srcset="javascript:{J} 1x">'],
  ["url", '<iframe src="javascript:{J}"></iframe>'],
  ["frame", '<iframe srcdoc="<script>{J}</script>"></iframe>'],
  ["frame", '<object data="javascript:{J}"></object>'],
  ["frame", '<embed src="javascript:{J}">'],
  ["frame", '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>'],
  ["frame", "<frameset><frame src=\"javascript:{J}\"></frameset>"],
  ["form", '<form action="javascript:{J}"><button>submit</button></form>'],
  ["form", '<form><button formaction="javascript:{J}">x</button></form>'],
  ["form", '<input type="image" src="javascript:{J}">'],
  ["form", '<isindex type="image" src="1" onerror="{J}" formaction="javascript:{J}">'],
  ["form", '<form action="{R}"><input name="q" value="x"><button>go</button></form>'],
  ["base", '<base href="javascript:{J}//"><a href="x">rel</a>'],
  ["base", '<base href="{R}/"><img src="rel.gif">'],
  ["meta", '<meta http-equiv="refresh" content="0;url=javascript:{J}">'],
  ["meta", '<meta http-equiv="refresh" content="0;url={R}">'],
  ["meta", '<meta http-equiv="set-cookie" content="h13=1">'],
  ["link", '<link rel="stylesheet" href="{R}.css">'],
  ["link", '<link rel="prefetch" href="{R}"><link rel="dns-prefetch" href="//h13.example"><link rel="icon" href="{R}.ico">'],
  ["link", '<link rel="import" href="{R}.html">'],
  ["ping", '<a href="https://ok.example/" ping="{R}">ping</a>'],
  ["xml:base", '<a xml:base="javascript:{J}//" href="x">xb</a>'],
  ["svg", "<svg onload={J}>"],
  ["svg", "<svg><script>{J}</script></svg>"],
  ["svg", '<svg><a><animate attributeName="href" values="javascript:{J}"/><text x="20" y="20">animate</text></a></svg>'],
  ["svg", '<svg><set attributeName="onmouseover" to="{J}"/></svg>'],
  ["svg", '<svg><animate onbegin="{J}" attributeName="x" dur="1s"/></svg>'],
  ["svg", '<svg><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCc+PGltYWdlIGhyZWY9MSBvbmVycm9yPWFsZXJ0KDEpIC8+PC9zdmc+#x"/></svg>'],
  ["svg", '<svg><foreignObject><iframe srcdoc="<script>{J}</script>"></iframe></foreignObject></svg>'],
  ["svg", '<svg><image href="{R}.png"/><feImage href="{R}.svg"/></svg>'],
  ["mathml", '<math><maction actiontype="statusline" xlink:href="javascript:{J}">x</maction></math>'],
  ["mathml", '<math href="javascript:{J}">m</math>'],
  ["mxss", "<math><mtext><table><mglyph><style><img src=x onerror={J}>"],
  ["mxss", "<form><math><mtext></form><form><mglyph><style></math><img src onerror={J}>"],
  ["mxss", '<svg></p><style><a id="</style><img src=1 onerror={J}>">'],
  ["mxss", '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror={J} src=1>">'],
  ["mxss", '<noscript><p title="</noscript><img src=x onerror={J}>">'],
  ["mxss", "<noscript><style></noscript><img src=x onerror={J}></style></noscript>"],
  ["mxss", "<textarea><img src=x onerror={J}></textarea>"],
  ["mxss", "<title><img src=x onerror={J}></title>"],
  ["mxss", "<template><img src=x onerror={J}></template>"],
  ["mxss", '<p title="</p><script>{J}</script>">x</p>'],
  ["mxss", '<style>.a{content:"</style><script>{J}</script>"}</style>'],
  ["mxss", "<style>a{}</style x><img src=x onerror={J}></style>"],
  ["mxss", "<xmp><img src=x onerror={J}></xmp>"],
  ["mxss", "<!--<img src=x onerror={J}>-->"],
  ["mxss", "<!--[if gte IE 4]><script>{J}</script><![endif]-->"],
  ["css", '<div style="width: expression({J})">expr</div>'],
  ["css", '<div style="behavior: url({R}.htc)">htc</div>'],
  ["css", '<div style="-moz-binding: url({R}.xml#x)">xbl</div>'],
  ["css", '<div style="background:url({R}.gif)">bg</div>'],
  ["css", '<div style="background-image:u\\72l({R}.gif)">escaped</div>'],
  ["css", '<div style="background-image:\\75 rl({R}.gif)">escaped2</div>'],
  ["css", "<div style=\"background-image:image-set('{R}.png' 1x)\">image-set</div>"],
  ["css", "<div style=\"--a:'{R}.png';background:image-set(var(--a) 1x)\">var</div>"],
  ["css", "<style>@import url({R}.css);</style>"],
  ["css", '<style>@\\69mport "{R}.css";</style>'],
  ["css", "<style>@font-face{font-family:h;src:url({R}.woff)}p{font-family:h}</style><p>font</p>"],
  ["css", "<style>body{background:url({R}.gif)}</style>"],
  ["css", '<div style="list-style-image:url({R}.gif);cursor:url({R}.cur),auto;border-image:url({R}.png) 30">x</div>'],
  ["css", '<div style="background:/**/url(/**/{R}.gif)">comment</div>'],
  ["css", '<style>p{background:url("javascript:{J}")}</style><p>x</p>'],
  ["media", '<video poster="{R}.jpg" src="{R}.mp4"><track src="{R}.vtt"></video>'],
  ["media", '<audio src="{R}.mp3"></audio><bgsound src="{R}.wav">'],
  ["media", '<picture><source srcset="{R}.webp"><img src="x"></picture>'],
  ["media", '<img src="x" lowsrc="{R}.gif" dynsrc="{R}.avi">'],
  ["media", '<html manifest="{R}.appcache">'],
  ["media", '<portal src="{R}"></portal>'],
  ["image", '<img src="{R}.gif" alt="remote">'],
  ["image", '<img srcset="{R}-1.gif 1x, {R}-2.gif 2x" alt="srcset">'],
  ["image", '<table background="{R}.gif"><tr><td background="{R}-td.gif">cell</td></tr></table>'],
  ["image", '<body background="{R}.gif"><p>body background</p>'],
  ["image", '<img src="{B}">'],
  ["links", '<a href="https://example.com/">plain</a> <a href="mailto:x@example.com">mail</a> <a href="#top">anchor</a>'],
  ["links", '<a href="https://example.com/" target="_self" rel="opener">self</a>'],
  ["links", '<a href="/api/folders">relative to the app</a>'],
  ["links", '<a href="//example.com/x">protocol-relative</a>'],
];

function crlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

function message(subjectHeader: string, headers: string[], contentType: string, body: string): string {
  return crlf(
    [
      "From: Mallory <mallory@example.test>",
      "To: bob@example.test",
      `Subject: ${subjectHeader}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${Math.random().toString(36).slice(2)}@h13.example.test>`,
      "MIME-Version: 1.0",
      ...headers,
      `Content-Type: ${contentType}`,
      "",
      body,
    ].join("\n"),
  );
}

const b64 = (s: string | Buffer) => (typeof s === "string" ? Buffer.from(s) : s).toString("base64").replace(/.{76}/g, "$&\n");
const encodedWord = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString("base64")}?=`;

/** Every message of the corpus, each with a unique subject that starts with `prefix`. */
export function buildHostileCorpus(prefix: string, canaryPort: number, options: { dos: boolean } = { dos: true }): HostileMessage[] {
  const R = (id: string) => `http://127.0.0.1:${canaryPort}/r/${id}`;
  const out: HostileMessage[] = [];
  const add = (kind: string, subject: string, raw: string, remoteImage = false, shown: string[] = []) =>
    out.push({ id: String(out.length).padStart(3, "0"), kind, subject, raw, remoteImage, shown });

  for (const [kind, template] of HTML_VECTORS) {
    const id = String(out.length).padStart(3, "0");
    // {B}: the remote URL written with backslashes, which browsers read as slashes.
    const backslashed = `http:\\\\127.0.0.1:${canaryPort}\\r\\${id}-backslash.gif`;
    const html = template.replaceAll("{J}", J).replaceAll("{R}", R(id)).replaceAll("{B}", backslashed);
    const subject = `${prefix} ${id} ${kind}`;
    // "Load remote content" is checked on the <img> ones: each must then fetch from the listener.
    const remoteImage = kind === "image" && /<img [^>]*src(set)?="\{[RB]\}/.test(template);
    add(kind, subject, message(subject, [], "text/html; charset=utf-8", `<html><body><p>vector ${id}</p>${html}</body></html>`), remoteImage);
  }

  // Headers that decode to markup (RFC 2047): shown as text, never as markup.
  const markup = `<img src=x onerror="${J}"><script>${J}</script>`;
  {
    const subject = `${prefix} ${out.length.toString().padStart(3, "0")} subject ${markup}`;
    add("header", subject, message(encodedWord(subject), [], "text/plain; charset=utf-8", "subject decodes to markup"));
  }
  {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} sender name`;
    const raw = message(subject, [], "text/plain; charset=utf-8", "sender name decodes to markup").replace(
      "From: Mallory <mallory@example.test>",
      `From: ${encodedWord(`<svg onload="${J}">Mallory</svg>`)} <mallory@example.test>`,
    );
    add("header", subject, raw, false, ["<svg onload="]);
  }
  {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} quoted-printable subject`;
    add("header", `${subject} <b>bold</b>`, message(`=?UTF-8?Q?${subject.replace(/ /g, "_")}_=3Cb=3Ebold=3C/b=3E?=`, [], "text/plain; charset=utf-8", "q-encoded markup"));
  }
  // Attachment names: encoded words with markup, RFC 2231 with path separators and control characters.
  // The third value: what the attachment list must show, as text (lib/mail/mime/attachment-filename.ts:
  // separators become "_", leading dots, control characters and bidi overrides go).
  const names: [string, string, string][] = [
    ["filename encoded word", `filename="${encodedWord(`<img src=x onerror="${J}">.pdf`)}"`, "<img src=x onerror="],
    ["filename rfc2231 path", "filename*=UTF-8''..%2F..%2F..%2Fetc%2Fpasswd", "_.._.._etc_passwd"],
    ["filename rfc2231 backslash", "filename*=UTF-8''..%5C..%5Cwindows%5Cwin.ini", "_.._windows_win.ini"],
    ["filename rfc2231 control", "filename*=UTF-8''evil%0D%0AContent-Type%3A%20text%2Fhtml%00.txt", "evilContent-Type: text_html.txt"],
    ["filename rfc2231 continuation", "filename*0*=UTF-8''%3Cscript%3E;filename*1*=alert(1)%3C%2Fscript%3E.html", "<script>alert(1)<_script>.html"],
    ["filename bidi", "filename*=UTF-8''invoice%E2%80%AEfdp.exe", "invoicefdp.exe"],
  ];
  for (const [label, param, shownName] of names) {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} ${label}`;
    const boundary = `b${id}`;
    add(
      "filename",
      subject,
      message(
        subject,
        [],
        `multipart/mixed; boundary="${boundary}"`,
        [
          `--${boundary}`,
          "Content-Type: text/plain; charset=utf-8",
          "",
          "see attachment",
          `--${boundary}`,
          "Content-Type: text/html",
          `Content-Disposition: attachment; ${param}`,
          "Content-Transfer-Encoding: base64",
          "",
          b64(`<script>${J}</script>`),
          `--${boundary}--`,
        ].join("\n"),
      ),
      false,
      [shownName],
    );
  }
  // Charsets: UTF-7 markup, a mislabelled charset, an unknown one.
  const charsets: [string, string, string][] = [
    ["utf-7", "text/html; charset=utf-7", `+ADw-script+AD4-${J}+ADw-/script+AD4- +ADw-img src=x onerror=${J}+AD4-`],
    ["mislabelled latin1", "text/html; charset=iso-8859-1", `<p>caf\u00e9</p><img src=x onerror=${J}>`],
    ["unknown charset", "text/html; charset=x-h13-unknown", `<p>unknown</p><script>${J}</script>`],
    ["utf-16 bom", "text/html; charset=utf-16", `<script>${J}</script>`],
    ["plain text markup", "text/plain; charset=utf-8", `<script>${J}</script> <img src=x onerror=${J}> https://example.com/?a=<b>`],
    ["flowed markup", "text/plain; charset=utf-8; format=flowed", `> <img src=x onerror=${J}> \n> quoted`],
  ];
  for (const [label, type, body] of charsets) {
    const subject = `${prefix} ${out.length.toString().padStart(3, "0")} ${label}`;
    add("charset", subject, message(subject, [], type, body));
  }
  // Content types: HTML labelled as an image, SVG with script attached and inline, message/rfc822
  // wrapping hostile HTML, multipart/related whose cid: parts are HTML and SVG.
  {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} html served as image`;
    const b = `b${id}`;
    add("content-type", subject, message(subject, [], `multipart/related; boundary="${b}"`, [
      `--${b}`, "Content-Type: text/html; charset=utf-8", "", `<p>cid image</p><img src="cid:h${id}@x">`,
      `--${b}`, "Content-Type: image/png", `Content-ID: <h${id}@x>`, "Content-Transfer-Encoding: base64", "", b64(`<html><script>${J}</script></html>`),
      `--${b}--`,
    ].join("\n")));
  }
  {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} svg inline and attached`;
    const b = `b${id}`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="${J}"><script>${J}</script><image href="${R(id)}.png"/></svg>`;
    add("content-type", subject, message(subject, [], `multipart/related; boundary="${b}"`, [
      `--${b}`, "Content-Type: text/html; charset=utf-8", "", `<p>svg</p><img src="cid:s${id}@x">`,
      `--${b}`, "Content-Type: image/svg+xml", `Content-ID: <s${id}@x>`, "Content-Disposition: inline; filename=\"x.svg\"", "", svg,
      `--${b}`, "Content-Type: image/svg+xml", "Content-Disposition: attachment; filename=\"attached.svg\"", "", svg,
      `--${b}--`,
    ].join("\n")));
  }
  {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} related html part`;
    const b = `b${id}`;
    add("content-type", subject, message(subject, [], `multipart/related; boundary="${b}"`, [
      `--${b}`, "Content-Type: text/html; charset=utf-8", "", `<p>html as cid</p><img src="cid:p${id}@x"><iframe src="cid:p${id}@x"></iframe>`,
      `--${b}`, "Content-Type: text/html", `Content-ID: <p${id}@x>`, "", `<script>${J}</script>`,
      `--${b}--`,
    ].join("\n")));
  }
  {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} rfc822 wrapping`;
    const b = `b${id}`;
    const inner = message(`inner ${encodedWord(`<img src=x onerror="${J}">`)}`, [], "text/html; charset=utf-8", `<script>${J}</script><img src="${R(id)}.gif">`);
    add("content-type", subject, message(subject, [], `multipart/mixed; boundary="${b}"`, [
      `--${b}`, "Content-Type: text/plain; charset=utf-8", "", "forwarded hostile message attached",
      `--${b}`, "Content-Type: message/rfc822", "", inner,
      `--${b}--`,
    ].join("\n")));
  }
  {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} alternative html wins`;
    const b = `b${id}`;
    add("content-type", subject, message(subject, [], `multipart/alternative; boundary="${b}"`, [
      `--${b}`, "Content-Type: text/plain; charset=utf-8", "", "plain",
      `--${b}`, "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", `<img src=3Dx onerror=3D"${J}"><p>qp</p>`,
      `--${b}--`,
    ].join("\n")));
  }
  {
    const id = out.length.toString().padStart(3, "0");
    const subject = `${prefix} ${id} text/html declared on attachment`;
    const b = `b${id}`;
    add("content-type", subject, message(subject, [], `multipart/mixed; boundary="${b}"`, [
      `--${b}`, "Content-Type: text/plain; charset=utf-8", "", "attachment declares a harmless type",
      `--${b}`, 'Content-Type: image/jpeg; name="photo.jpg"', 'Content-Disposition: inline; filename="photo.jpg"', "", `<html><body><script>${J}</script></body></html>`,
      `--${b}--`,
    ].join("\n")));
  }

  if (options.dos) {
    // Denial-of-service shapes: deep nesting, one 5 MB line, 5,000 parts.
    {
      const subject = `${prefix} ${out.length.toString().padStart(3, "0")} 10000 nested elements`;
      add("dos", subject, message(subject, [], "text/html; charset=utf-8", `${"<div>".repeat(10_000)}deep${"</div>".repeat(10_000)}`));
    }
    {
      const subject = `${prefix} ${out.length.toString().padStart(3, "0")} 5 MB single line`;
      add("dos", subject, message(subject, [], "text/html; charset=utf-8", `<p>${"a".repeat(5 * 1024 * 1024)}</p>`));
    }
    {
      const id = out.length.toString().padStart(3, "0");
      const subject = `${prefix} ${id} 5000 parts`;
      const b = `b${id}`;
      const parts = [`--${b}`, "Content-Type: text/plain; charset=utf-8", "", "many parts"];
      for (let i = 0; i < 5000; i++) parts.push(`--${b}`, `Content-Type: application/octet-stream; name="p${i}.bin"`, "Content-Disposition: attachment", "", "x");
      parts.push(`--${b}--`);
      add("dos", subject, message(subject, [], `multipart/mixed; boundary="${b}"`, parts.join("\n")));
    }
  }
  return out;
}
