// The test pages, made from a fixed seed so every run sees the same bytes, and the 127.0.0.1 server
// that serves them (the content scripts run on http(s) pages only).
import http from 'node:http';

// The first script of every page: the trace analysis finds the page's main thread by this mark.
export const MARK = 'esafe-bench';

// mulberry32: small, fast, and the same everywhere.
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a and of to in is it that was for on are with as his they be at one have this from or had by ' +
  'word but what some we can out other were all there when up use your how said an each she which do ' +
  'their time if will way about many then them write would like so these her long make thing see him ' +
  'two has look more day could go come did number sound no most people my over know water than call ' +
  'first who may down side been now find any new work part take get place made live where after back ' +
  'little only round man year came show every good me give our under name very through just form ' +
  'sentence great think say help low line differ turn cause much mean before move right boy old too ' +
  'same tell does set three want air well also play small end put home read hand port large spell add ' +
  'even land here must big high such follow act why ask men change went light kind off need house ' +
  'picture try us again animal point mother world near build self earth father head stand own page ' +
  'should country found answer school grow study still learn plant cover food sun four between state ' +
  'keep eye never last let thought city tree cross farm hard start might story saw far sea draw left ' +
  'late run while press close night real life few north open seem together next white children begin ' +
  'got walk example ease paper group always music those both mark often letter until mile river car ' +
  'feet care second book carry took science eat room friend began idea fish mountain stop once base ' +
  'hear horse cut sure watch colour face wood main enough plain girl usual young ready above ever red ' +
  'list though feel talk bird soon body dog family direct pose leave song measure door product black ' +
  'short numeral class wind question happen complete ship area half rock order fire south problem piece ' +
  'told knew pass since top whole king space heard best hour better true during hundred five remember ' +
  'step early hold west ground interest reach fast verb sing listen six table travel less morning'
).split(' ');

function words(rand, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(WORDS[Math.floor(rand() * WORDS.length)]);
  }
  return out;
}

function sentence(rand, min = 6, max = 16) {
  const w = words(rand, min + Math.floor(rand() * (max - min + 1)));
  w[0] = w[0][0].toUpperCase() + w[0].slice(1);
  return w.join(' ') + (rand() < 0.15 ? '?' : '.');
}

function paragraph(rand, sentences) {
  const out = [];
  for (let i = 0; i < sentences; i++) {
    out.push(sentence(rand));
  }
  return out.join(' ');
}

// What the pupil types: sentences, a line break (Enter) every few sentences, exactly `length`
// characters. Only characters that typeKeys() below knows how to press.
export function typingText(length, seed = 4) {
  const rand = prng(seed);
  let text = '';
  while (text.length < length) {
    const s = sentence(rand, 4, 12);
    text += s + (rand() < 0.5 ? '\n' : ' ');
  }
  return text.slice(0, length);
}

function head(title, style = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><script>console.timeStamp(${JSON.stringify(MARK)})</script>` +
    `<title>${title}</title><style>body{font:16px/1.4 sans-serif;margin:1em 2em}${style}</style></head><body>`;
}

export function typingPage(kind) {
  const rand = prng(2);
  const field = kind === 'textarea'
    ? '<textarea id="field" rows="12" cols="80" aria-label="Message"></textarea>'
    : '<div id="field" contenteditable="true" role="textbox" aria-label="Message" style="min-height:12em;border:1px solid #888;padding:4px"></div>';
  return head(`Typing into a ${kind}`) +
    `<h1>Homework</h1><p>${paragraph(rand, 5)}</p><form onsubmit="return false">${field}</form>` +
    `<p>${paragraph(rand, 5)}</p></body></html>`;
}

// About 1 MB of visible text: sections of headings and paragraphs, lists, tables, a few form fields,
// and hidden elements of every usual kind (display:none, hidden, visibility, aria-hidden, template).
export function bigPage(visibleBytes = 1_000_000, seed = 1) {
  const rand = prng(seed);
  const parts = [head('A long page', 'table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 4px}.off{display:none}')];
  let visible = 0;
  const add = (html, text = 0) => {
    parts.push(html);
    visible += text;
  };
  const nav = words(rand, 40).map((w, i) => `<a href="#s${i}">${w}</a>`).join(' | ');
  add(`<header><h1>Reading list</h1><nav>${nav}</nav></header><main>`, nav.length);
  for (let s = 0; visible < visibleBytes; s++) {
    const h = sentence(rand, 3, 7);
    add(`<section id="s${s}"><h2>${h}</h2>`, h.length);
    for (let p = 0; p < 4; p++) {
      const text = paragraph(rand, 3 + Math.floor(rand() * 5));
      add(`<p>${text}</p>`, text.length);
    }
    if (s % 3 === 0) {
      const items = Array.from({ length: 8 }, () => sentence(rand, 3, 9));
      const tag = s % 2 ? 'ol' : 'ul';
      add(`<${tag}>${items.map((i) => `<li>${i}</li>`).join('')}</${tag}>`, items.join('').length);
    }
    if (s % 10 === 0) {
      const rows = Array.from({ length: 20 }, () => words(rand, 4));
      add(`<table><thead><tr><th>Name</th><th>Place</th><th>Thing</th><th>Note</th></tr></thead><tbody>` +
        rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') + '</tbody></table>',
      rows.flat().join('').length);
    }
    if (s % 5 === 0) {
      parts.push(`<div class="off">${paragraph(rand, 3)}</div><p hidden>${paragraph(rand, 2)}</p>` +
        `<div style="visibility:hidden">${sentence(rand)}</div><span aria-hidden="true">${sentence(rand)}</span>` +
        `<template><p>${paragraph(rand, 2)}</p></template>`);
    }
    if (s % 25 === 0) {
      parts.push(`<form onsubmit="return false"><label>Answer <input name="a${s}" value="${words(rand, 3).join(' ')}"></label>` +
        `<label>Password <input type="password" value="secret${s}"></label></form>`);
    }
    parts.push('</section>');
  }
  parts.push('</main><footer>The end.</footer></body></html>');
  return { html: parts.join(''), visible };
}

// A chat that appends `rate` messages a second for `seconds` seconds, keeps the newest in view and
// sets the title to "done" at the end. Its own script makes the messages (seeded), as a chat app would.
export function chatPage(rate = 50, seconds = 10) {
  const vocab = JSON.stringify(WORDS.slice(0, 200));
  return head('Class chat', '#log{height:70vh;overflow:auto;border:1px solid #ccc}.msg{margin:2px 0}.who{font-weight:bold;margin-right:.5em}') +
    `<h1>Class chat</h1><div id="log" role="log" aria-live="polite"></div>` +
    `<form onsubmit="return false"><input id="say" aria-label="Say something"><button>Send</button></form>` +
    `<script>
(() => {
  const words = ${vocab};
  const names = ['Amy', 'Bilal', 'Chen', 'Dara', 'Ewa', 'Femi', 'Grace', 'Hamza'];
  let a = 7;
  const rand = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const log = document.getElementById('log');
  const total = ${rate * seconds};
  let sent = 0;
  const timer = setInterval(() => {
    if (sent === 0) console.timeStamp(${JSON.stringify(MARK + ':messages')});
    const msg = document.createElement('div');
    msg.className = 'msg';
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = names[Math.floor(rand() * names.length)];
    const text = document.createElement('span');
    const n = 2 + Math.floor(rand() * 14);
    text.textContent = Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ');
    msg.append(who, text);
    log.append(msg);
    log.scrollTop = log.scrollHeight;
    if (++sent >= total) { clearInterval(timer); document.title = 'done'; }
  }, ${1000 / rate});
})();
</script></body></html>`;
}

export async function startServer({ chatRate, chatSeconds, bigBytes }) {
  const big = bigPage(bigBytes);
  const pages = {
    '/textarea': typingPage('textarea'),
    '/editable': typingPage('editable'),
    '/big': big.html,
    '/chat': chatPage(chatRate, chatSeconds),
  };
  const server = http.createServer((req, res) => {
    const body = pages[new URL(req.url, 'http://x').pathname];
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    bigHtmlBytes: Buffer.byteLength(big.html),
    bigVisibleBytes: big.visible,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
