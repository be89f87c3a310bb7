#!/usr/bin/env node
// What eSafe's Chrome extension costs a pupil's browser (issue #4): the time it adds to each
// keystroke, its longest piece of work on a 1 MB page and on a busy chat, and its memory. Runs the
// same deterministic pages in Debian's Chromium with and without the extension, traces the page's
// main thread over CDP and prints a table with PASS/FAIL against each target. See README.md.
//
//   npm ci --prefix bench/extension-cost && node bench/extension-cost/run.mjs [options]
//
// Options: --extension DIR (default: the repository's extension/), --chromium PATH (default
// $CHROMIUM_PATH or /usr/bin/chromium), --keys N (2000), --loads N (3), --chat-seconds S (10),
// --chat-rate N (50 a second), --settle MS (2000), --json FILE (all figures, for comparing runs),
// --keep-traces DIR (every Chrome trace, to open in DevTools' Performance panel).
// Exit code: 0 when every target is met, 1 when one is missed, 2 when the benchmark could not run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { MARK, startServer, typingText } from './lib/pages.mjs';
import { chromiumProcesses, cpuMs, memoryKb } from './lib/proc.mjs';
import { analyseTasks, analyseTyping, startTrace, TIMELINE, TIMELINE_AND_SAMPLES } from './lib/trace.mjs';

const TARGETS = { keyMedianMs: 0.1, keyP99Ms: 1, taskMs: 10 };

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    extension: { type: 'string', default: path.join(here, '..', '..', 'extension') },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
    keys: { type: 'string', default: '2000' },
    loads: { type: 'string', default: '3' },
    'chat-seconds': { type: 'string', default: '10' },
    'chat-rate': { type: 'string', default: '50' },
    settle: { type: 'string', default: '2000' },
    json: { type: 'string' },
    'keep-traces': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const extensionDir = path.resolve(opt.extension);
const KEYS = Number(opt.keys);
const LOADS = Number(opt.loads);
const CHAT_SECONDS = Number(opt['chat-seconds']);
const CHAT_RATE = Number(opt['chat-rate']);
const SETTLE_MS = Number(opt.settle);

function keep(events, name) {
  if (opt['keep-traces']) {
    fs.mkdirSync(opt['keep-traces'], { recursive: true });
    fs.writeFileSync(path.join(opt['keep-traces'], `${name}.json`), JSON.stringify({ traceEvents: events }));
  }
}

const log = (...args) => console.error(`[${((performance.now()) / 1000).toFixed(1)}s]`, ...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The extension's ID follows from the manifest's key (Chrome: the first 128 bits of the key's
// SHA-256, written in the letters a-p); without a key it is found from the service worker's URL.
function extensionIdFromKey(manifest) {
  if (!manifest.key) {
    return null;
  }
  const hex = crypto.createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

async function launch(withExtension) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'esafe-extension-cost-'));
  const args = [
    ...(withExtension ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
    '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run',
  ];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opt.chromium,
    headless: true,
    args,
    // Playwright adds --disable-extensions by default; both runs go without it so that the only
    // difference between them is the extension.
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    profile,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A CDP session to another target (the service worker), through the page session's Target domain:
// Playwright gives CDP sessions to pages only.
async function attachTarget(cdp, targetId) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
  let nextId = 1;
  const waiting = new Map();
  const onMessage = (e) => {
    if (e.sessionId !== sessionId) {
      return;
    }
    const message = JSON.parse(e.message);
    const pending = waiting.get(message.id);
    if (pending) {
      waiting.delete(message.id);
      if (message.error) {
        pending.reject(new Error(message.error.message));
      } else {
        pending.resolve(message.result);
      }
    }
  };
  cdp.on('Target.receivedMessageFromTarget', onMessage);
  return {
    send(method, params = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      });
    },
    async detach() {
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    },
  };
}

// ---- keyboard ---------------------------------------------------------------------------------

function keyFor(ch) {
  const SHIFT = 8;
  if (ch === '\n') {
    return { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' };
  }
  if (ch === ' ') {
    return { key: ' ', code: 'Space', windowsVirtualKeyCode: 32, text: ' ' };
  }
  if (ch === '.') {
    return { key: '.', code: 'Period', windowsVirtualKeyCode: 190, text: '.' };
  }
  if (ch === ',') {
    return { key: ',', code: 'Comma', windowsVirtualKeyCode: 188, text: ',' };
  }
  if (ch === '?') {
    return { key: '?', code: 'Slash', windowsVirtualKeyCode: 191, text: '?', modifiers: SHIFT };
  }
  if (/^[a-z]$/.test(ch)) {
    return { key: ch, code: `Key${ch.toUpperCase()}`, windowsVirtualKeyCode: ch.toUpperCase().charCodeAt(0), text: ch };
  }
  if (/^[A-Z]$/.test(ch)) {
    return { key: ch, code: `Key${ch}`, windowsVirtualKeyCode: ch.charCodeAt(0), text: ch, modifiers: SHIFT };
  }
  throw new Error(`no key for ${JSON.stringify(ch)}`);
}

// Real key events through the browser's input pipeline (Input.dispatchKeyEvent, as Playwright's
// keyboard does), a keyDown with its text and a keyUp per character. Each event waits for the
// renderer's acknowledgement; a few keystrokes are kept in flight, like a quick typist's.
async function typeKeys(cdp, text, inFlight = 8) {
  const queue = [];
  for (const ch of text) {
    const k = keyFor(ch);
    const up = { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, modifiers: k.modifiers ?? 0 };
    queue.push(Promise.all([
      cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, unmodifiedText: k.text, modifiers: k.modifiers ?? 0 }),
      cdp.send('Input.dispatchKeyEvent', up),
    ]));
    if (queue.length >= inFlight) {
      await queue.shift();
    }
  }
  await Promise.all(queue);
}

// ---- the measurements -------------------------------------------------------------------------

async function typingRun(session, base, kind, extOrigin, tag) {
  const page = await session.context.newPage();
  await page.goto(`${base}/${kind}`);
  await page.click('#field');
  await sleep(1500); // let the load's own work (and the extension's first read of the page) finish
  const cdp = await session.context.newCDPSession(page);
  const text = typingText(KEYS);
  const trace = await startTrace(cdp, TIMELINE);
  await page.evaluate((mark) => console.timeStamp(mark), MARK);
  const started = performance.now();
  await typeKeys(cdp, text);
  const typingMs = performance.now() - started;
  await sleep(1300); // the extension's 1 s pause timer fires for the last words
  const events = await trace.stop();
  keep(events, `${tag}-typing-${kind}`);
  const typed = await page.evaluate(() => {
    const el = document.getElementById('field');
    return (el.value ?? el.innerText).replace(/\r/g, '').length;
  });
  await cdp.detach();
  await page.close();
  const result = analyseTyping(events, { mark: MARK, extOrigin });
  return { ...result, typed, typingMs, traceEvents: events.length };
}

async function heapOf(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = await cdp.send('Runtime.getHeapUsage');
  return { jsKb: usage.usedSize / 1024, blinkKb: (usage.embedderHeapUsedSize ?? NaN) / 1024 };
}

// After a load: at least the settle time, then until the page's main thread has run no script
// (the page's own scripts are done by then: what runs is the extension's) for a second, at most 15 s.
async function settle(cdp) {
  const started = performance.now();
  await cdp.send('Performance.enable');
  const scriptSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0;
  await sleep(SETTLE_MS);
  let last = await scriptSeconds();
  let quietSince = performance.now();
  while (performance.now() - quietSince < 1000 && performance.now() - started < 15_000) {
    await sleep(250);
    const now = await scriptSeconds();
    if (now - last > 0.0001) {
      quietSince = performance.now();
    }
    last = now;
  }
  await cdp.send('Performance.disable');
  return performance.now() - started;
}

async function bigRuns(session, base, extOrigin, tag) {
  const runs = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await session.context.newPage();
    const cdp = await session.context.newCDPSession(page);
    const trace = await startTrace(cdp, TIMELINE_AND_SAMPLES);
    const started = performance.now();
    await page.goto(`${base}/big`, { waitUntil: 'load', timeout: 60_000 });
    const loadMs = performance.now() - started;
    const settledMs = await settle(cdp);
    const events = await trace.stop();
    keep(events, `${tag}-big-${i + 1}`);
    const heap = await heapOf(cdp);
    await cdp.detach();
    await page.close();
    runs.push({ ...analyseTasks(events, { mark: MARK, extOrigin }), loadMs, settledMs, heap });
  }
  return runs;
}

async function chatRun(session, base, extOrigin, tag) {
  const page = await session.context.newPage();
  const cdp = await session.context.newCDPSession(page);
  const trace = await startTrace(cdp, TIMELINE_AND_SAMPLES);
  await page.goto(`${base}/chat`);
  await page.waitForFunction(() => document.title === 'done', null, { timeout: (CHAT_SECONDS + 30) * 1000, polling: 250 });
  await sleep(SETTLE_MS);
  const events = await trace.stop();
  keep(events, `${tag}-chat`);
  const messages = await page.evaluate(() => document.querySelectorAll('.msg').length);
  const heap = await heapOf(cdp);
  await cdp.detach();
  await page.close();
  // Two views: the whole page (its load included) and the stream of messages alone.
  const all = analyseTasks(events, { mark: MARK, extOrigin });
  return { ...analyseTasks(events, { mark: MARK, extOrigin, from: `${MARK}:messages` }), withLoad: all, messages, heap };
}

async function serviceWorkerHeap(session, extOrigin) {
  const page = session.context.pages()[0] ?? await session.context.newPage();
  const cdp = await session.context.newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(extOrigin));
    if (!target) {
      return null;
    }
    const sw = await attachTarget(cdp, target.targetId);
    try {
      await sw.send('HeapProfiler.collectGarbage');
      const usage = await sw.send('Runtime.getHeapUsage');
      return { jsKb: usage.usedSize / 1024 };
    } finally {
      await sw.detach();
    }
  } finally {
    await cdp.detach();
  }
}

// What the worker keeps in session storage: the connection's state and the backlog.
async function workerState(worker) {
  return worker.evaluate(async () => {
    const all = await chrome.storage.session.get(null);
    const events = Object.keys(all).filter((k) => k.startsWith('backlog:event:'));
    return {
      connection: all.connection ?? null,
      backlogEvents: events.length,
      backlogBytes: events.reduce((n, k) => n + JSON.stringify(all[k]).length, 0),
    };
  });
}

function processFigures(profile) {
  const procs = chromiumProcesses(profile);
  const ext = procs.find((p) => p.extension);
  const sum = (list) => list.reduce((a, p) => a + (memoryKb(p.pid).pss ?? 0), 0);
  return {
    extension: ext ? { pid: ext.pid, ...memoryKb(ext.pid), cpuMs: cpuMs(ext.pid) } : null,
    allPssKb: procs.length ? sum(procs) : null,
    processes: procs.length,
  };
}

async function measure(withExtension, server, extOrigin) {
  const label = withExtension ? 'with the extension' : 'without the extension';
  const tag = withExtension ? 'with' : 'without';
  log(`launching Chromium ${label}`);
  const session = await launch(withExtension);
  const out = { withExtension, loadAverage: [os.loadavg()[0]] };
  // The extension process's CPU time after each phase: what the service worker (and Chrome's
  // extension machinery) spent on the phase's messages.
  const phases = [];
  const phase = (name) => phases.push({ name, cpuMs: processFigures(session.profile).extension?.cpuMs ?? null });
  try {
    let worker = null;
    if (withExtension) {
      worker = session.context.serviceWorkers().find((w) => w.url().startsWith(extOrigin))
        ?? await session.context.waitForEvent('serviceworker', { timeout: 15_000, predicate: (w) => w.url().startsWith(extOrigin) });
      // Wait for the worker's start-up (policy read, connection attempt) to be over.
      for (let i = 0; i < 40; i++) {
        const state = await workerState(worker).catch(() => null);
        if (state?.connection && state.connection.state !== 'connecting') {
          break;
        }
        await sleep(250);
      }
      out.workerAtStart = await workerState(worker);
      out.swHeapIdle = await serviceWorkerHeap(session, extOrigin);
      out.procAtStart = processFigures(session.profile);
      phase('start');
    }
    out.typing = {};
    for (const kind of ['textarea', 'editable']) {
      log(`${label}: typing ${KEYS} characters into a ${kind}`);
      out.typing[kind] = await typingRun(session, server.base, kind, extOrigin, tag);
    }
    phase('typing');
    log(`${label}: loading the 1 MB page ${LOADS} times`);
    out.big = await bigRuns(session, server.base, extOrigin, tag);
    phase('1 MB page');
    if (withExtension) {
      out.swHeapAfterBig = await serviceWorkerHeap(session, extOrigin);
    }
    log(`${label}: chat, ${CHAT_RATE} messages a second for ${CHAT_SECONDS} s`);
    out.chat = await chatRun(session, server.base, extOrigin, tag);
    phase('chat');
    if (withExtension) {
      out.swHeapEnd = await serviceWorkerHeap(session, extOrigin);
      // Chrome stops an idle worker after 30 s; then there is no state to read (and no heap above).
      out.workerAtEnd = await workerState(worker).catch(() => null);
      out.extensionCpu = Object.fromEntries(phases.slice(1).map((p, i) => [p.name, p.cpuMs !== null && phases[i].cpuMs !== null ? p.cpuMs - phases[i].cpuMs : null]));
    }
    out.procAtEnd = processFigures(session.profile);
    out.loadAverage.push(os.loadavg()[0]);
  } finally {
    await session.close();
  }
  return out;
}

// ---- the report -------------------------------------------------------------------------------

const ms = (v, digits = 3) => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : 'n/a');
const kb = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 1024 ? `${(v / 1024).toFixed(1)} MiB` : `${v.toFixed(0)} KiB`) : 'n/a');
const signed = (text, v) => (Number.isFinite(v) && v > 0 ? `+${text}` : text);
const median = (values) => {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const worstOf = (runs, f) => runs.reduce((m, r) => Math.max(m, f(r)), -Infinity);

function table(rows) {
  const header = ['figure', 'without ext.', 'with ext.', "extension's cost", 'target', 'result'];
  const all = [header, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const widths = header.map((_, i) => all.reduce((m, r) => Math.max(m, r[i].length), 0));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

function report(withExt, without, server) {
  const rows = [];
  const verdicts = [];
  const judged = (row, value, limit) => {
    const v = Number.isFinite(value) ? (value < limit ? 'PASS' : 'FAIL') : 'n/a';
    verdicts.push(v);
    rows.push([...row, `< ${limit} ms`, v]);
  };
  const info = (row) => rows.push([...row, '', '']);

  // Keystrokes: the cost is the extension's own script time per keystroke (thread time). The page's
  // event-dispatch time with and without the extension is shown beside it as a cross-check.
  for (const kind of ['textarea', 'editable']) {
    const w = withExt.typing[kind];
    const wo = without.typing[kind];
    for (const [stat, limit] of [['median', TARGETS.keyMedianMs], ['p95', null], ['p99', TARGETS.keyP99Ms], ['max', null]]) {
      const row = [`keystroke, ${kind}: ${stat}`, ms(wo.dispatch[stat]), ms(w.dispatch[stat]), ms(w.ext[stat])];
      if (limit === null) {
        info(row);
      } else {
        judged(row, w.ext[stat], limit);
      }
    }
  }
  const wb = withExt.big;
  const wob = without.big;
  const worstExt = worstOf(wb, (r) => r.worstExtTask.extMs);
  judged(['1 MB page: most extension work in one task (worst load)', '', ms(worstExt), ms(worstExt)], worstExt, TARGETS.taskMs);
  const holding = wb.reduce((a, r) => (r.longestTaskWithExt.durMs > a.longestTaskWithExt.durMs ? r : a), wb[0]).longestTaskWithExt;
  info(['1 MB page: longest task holding extension work (worst load)', '', ms(holding.durMs), `${ms(holding.extMs)} of it`]);
  info(['1 MB page: longest task (median of loads)', ms(median(wob.map((r) => r.longestTask.durMs))), ms(median(wb.map((r) => r.longestTask.durMs))), '']);
  info(['1 MB page: extension main-thread time for the load (median)', '', ms(median(wb.map((r) => r.extTotalMs)), 1), ms(median(wb.map((r) => r.extTotalMs)), 1)]);
  const busyW = median(wb.map((r) => r.busyMs));
  const busyWo = median(wob.map((r) => r.busyMs));
  info(['1 MB page: main-thread busy time (median)', ms(busyWo, 1), ms(busyW, 1), signed(ms(busyW - busyWo, 1), busyW - busyWo)]);
  const wc = withExt.chat;
  const woc = without.chat;
  judged([`chat (${wc.messages} messages): most extension work in one task`, '', ms(wc.worstExtTask.extMs), ms(wc.worstExtTask.extMs)], wc.worstExtTask.extMs, TARGETS.taskMs);
  info(['chat: the same, the page\'s load included', '', ms(wc.withLoad.worstExtTask.extMs), ms(wc.withLoad.worstExtTask.extMs)]);
  info(['chat: extension main-thread time while messages came', '', ms(wc.extTotalMs, 1), signed(ms(wc.extTotalMs, 1), 1)]);
  info(['chat: main-thread busy time while messages came', ms(woc.busyMs, 1), ms(wc.busyMs, 1), signed(ms(wc.busyMs - woc.busyMs, 1), wc.busyMs - woc.busyMs)]);
  info(['chat: longest task', ms(woc.longestTask.durMs), ms(wc.longestTask.durMs), '']);
  const heapAdded = (f) => median(wb.map(f)) - median(wob.map(f));
  info(['1 MB page: page JS heap after GC (median)', kb(median(wob.map((r) => r.heap.jsKb))), kb(median(wb.map((r) => r.heap.jsKb))), signed(kb(heapAdded((r) => r.heap.jsKb)), heapAdded((r) => r.heap.jsKb))]);
  info(['1 MB page: page Blink heap after GC (median)', kb(median(wob.map((r) => r.heap.blinkKb))), kb(median(wb.map((r) => r.heap.blinkKb))), signed(kb(heapAdded((r) => r.heap.blinkKb)), heapAdded((r) => r.heap.blinkKb))]);
  info(['service worker JS heap after GC: at start', '', kb(withExt.swHeapIdle?.jsKb), kb(withExt.swHeapIdle?.jsKb)]);
  info(['service worker JS heap after GC: after the 1 MB pages', '', kb(withExt.swHeapAfterBig?.jsKb), kb(withExt.swHeapAfterBig?.jsKb)]);
  info(['service worker JS heap after GC: at the end', '', kb(withExt.swHeapEnd?.jsKb), kb(withExt.swHeapEnd?.jsKb)]);
  const ep = withExt.procAtEnd.extension;
  info(['extension process PSS (RSS), at the end', '', ep ? `${kb(ep.pss)} (${kb(ep.rss)})` : 'n/a', ep ? kb(ep.pss) : 'n/a']);
  for (const [name, cpu] of Object.entries(withExt.extensionCpu ?? {})) {
    info([`extension process CPU time: ${name}`, '', ms(cpu, 0), ms(cpu, 0)]);
  }

  const lines = [];
  lines.push(`eSafe extension cost: Chromium ${server.browserVersion}, extension ${server.extensionVersion} (${server.contentScripts.join(', ')})`);
  lines.push(`machine: ${os.cpus().length} CPUs, load average ${[...withExt.loadAverage, ...without.loadAverage].map((v) => v.toFixed(1)).join(' / ')} (start and end of each half)`);
  lines.push(`inputs: ${KEYS} keystrokes per field; 1 MB page = ${(server.bigHtmlBytes / 1e6).toFixed(2)} MB of HTML with ` +
    `${(server.bigVisibleBytes / 1e6).toFixed(2)} MB of visible text, ${LOADS} loads; chat ${CHAT_RATE} messages/s for ${CHAT_SECONDS} s`);
  const conn = withExt.workerAtEnd?.connection;
  lines.push(`native host: ${conn ? `${conn.state}${conn.detail ? ` (${conn.detail})` : ''}` : 'unknown'}; ` +
    `backlog at the end: ${withExt.workerAtEnd?.backlogEvents ?? '?'} events, ${kb((withExt.workerAtEnd?.backlogBytes ?? NaN) / 1024)}`);
  lines.push('all times are main-thread CPU time (trace thread time); keystroke rows: without/with = the page\'s event dispatch per keystroke, cost = the extension\'s script time per keystroke');
  lines.push('');
  lines.push(table(rows));
  lines.push('');
  lines.push('Details');
  for (const kind of ['textarea', 'editable']) {
    const w = withExt.typing[kind];
    const wo = without.typing[kind];
    lines.push(`${kind}: ${w.keystrokes} keystrokes traced with the extension, ${wo.keystrokes} without (field holds ${w.typed} / ${wo.typed} characters); ` +
      `extension script time in all ${ms(w.extTotalMs, 1)}, mean ${ms(w.ext.mean)}; dispatch with minus without: median ${ms(w.dispatch.median - wo.dispatch.median)}, p99 ${ms(w.dispatch.p99 - wo.dispatch.p99)}`);
    for (const worst of w.worst) {
      lines.push(`  keystroke #${worst.keystroke}: ${ms(worst.ms)} = ${worst.parts.join(' + ') || '(no script event)'}`);
    }
  }
  const worstLoad = wb.reduce((a, r) => (r.worstExtTask.extMs > a.worstExtTask.extMs ? r : a), wb[0]);
  lines.push(`1 MB page, each load: most extension work in one task ${wb.map((r) => ms(r.worstExtTask.extMs)).join(', ')}; ` +
    `extension time ${wb.map((r) => ms(r.extTotalMs, 1)).join(', ')} (instrumented events alone ${wb.map((r) => ms(r.extInstrumentedMs, 1)).join(', ')}); ` +
    `last extension work ${wb.map((r) => ms(r.lastExtAtMs, 0)).join(', ')} after the page's first script, trace ends ${wb.map((r) => ms(r.traceEndAtMs, 0)).join(', ')}; ` +
    `load event after ${wb.map((r) => ms(r.loadMs, 0)).join(', ')} (${wob.map((r) => ms(r.loadMs, 0)).join(', ')} without)`);
  lines.push(`  the task with the most (${ms(worstLoad.worstExtTask.durMs)} of CPU, ${ms(worstLoad.worstExtTask.wallMs)} wall, at ${ms(worstLoad.worstExtTask.atMs, 0)}; instrumented ${ms(worstLoad.worstExtTask.instrMs)}, sampled ${ms(worstLoad.worstExtTask.sampledMs)}): ` +
    (Object.entries(worstLoad.worstExtTaskScripts).map(([k, v]) => `${k} ${ms(v)}`).join(', ') || 'seen by samples only'));
  lines.push(`chat: the task with the most extension work (${ms(wc.worstExtTask.durMs)} of CPU at ${ms(wc.worstExtTask.atMs, 0)}; instrumented ${ms(wc.worstExtTask.instrMs)}, sampled ${ms(wc.worstExtTask.sampledMs)}): ` +
    (Object.entries(wc.worstExtTaskScripts).map(([k, v]) => `${k} ${ms(v)}`).join(', ') || 'seen by samples only') +
    `; ${wc.extSamples} of ${wc.samples} profiler samples in extension code; last extension work at ${ms(wc.lastExtAtMs, 0)}, trace ends ${ms(wc.traceEndAtMs, 0)}`);
  const late = wb.some((r) => r.lastExtAtMs !== null && r.traceEndAtMs - r.lastExtAtMs < 250);
  if (late) {
    lines.push('WARNING: the extension was still working when a trace ended: raise --settle to see all of its work');
  }
  const failed = verdicts.filter((v) => v === 'FAIL').length;
  lines.push('');
  lines.push(failed ? `${failed} of ${verdicts.length} targets missed` : `all ${verdicts.length} targets met`);
  return { text: lines.join('\n'), failed };
}

// ---- main -------------------------------------------------------------------------------------

async function main() {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
  const id = extensionIdFromKey(manifest);
  const server = await startServer({ chatRate: CHAT_RATE, chatSeconds: CHAT_SECONDS, bigBytes: 1_000_000 });
  server.extensionVersion = manifest.version;
  server.contentScripts = (manifest.content_scripts ?? []).flatMap((c) => c.js ?? []).map((f) => path.basename(f));
  try {
    const withExt = await measure(true, server, id ? `chrome-extension://${id}/` : 'chrome-extension://');
    const without = await measure(false, server, id ? `chrome-extension://${id}/` : 'chrome-extension://');
    server.browserVersion = await browserVersion();
    const { text, failed } = report(withExt, without, server);
    console.log(text);
    if (opt.json) {
      const strip = (o) => JSON.parse(JSON.stringify(o, (k, v) => (k === 'pid' ? undefined : v)));
      fs.writeFileSync(opt.json, JSON.stringify({ when: new Date().toISOString(), targets: TARGETS, keys: KEYS, loads: LOADS, with: strip(withExt), without: strip(without) }, null, 2));
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    await server.close();
  }
}

async function browserVersion() {
  const { execFileSync } = await import('node:child_process');
  try {
    return execFileSync(opt.chromium, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().replace(/^Chromium\s+/, '').split(' ')[0];
  } catch {
    return '?';
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
