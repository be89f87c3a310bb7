// Chrome traces over CDP, and what they say about the extension's share of the page's main thread.
// Times in trace events are microseconds; everything this module returns is in milliseconds.

// Enough for EventDispatch, FunctionCall, EvaluateScript, v8.compile, RunTask, TimeStamp.
export const TIMELINE = ['devtools.timeline', 'disabled-by-default-devtools.timeline', '__metadata'];
// Plus the V8 sampling profiler (a sample every ~250 µs), to catch extension code that runs
// where no instrumented event names it (promise continuations, microtasks).
export const TIMELINE_AND_SAMPLES = [...TIMELINE, 'disabled-by-default-v8.cpu_profiler'];

// Tracing.start with the trace kept in the browser until Tracing.end (ReturnAsStream), so that
// sending it to this process does not compete with the page for the CPU while it is measured.
export async function startTrace(cdp, categories) {
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: categories, excludedCategories: ['*'] },
  });
  return {
    async stop() {
      await cdp.send('Tracing.end');
      const { stream } = await complete;
      const chunks = [];
      for (;;) {
        const { data, base64Encoded, eof } = await cdp.send('IO.read', { handle: stream, size: 8 << 20 });
        chunks.push(base64Encoded ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8'));
        if (eof) {
          break;
        }
      }
      await cdp.send('IO.close', { handle: stream });
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      return Array.isArray(parsed) ? parsed : parsed.traceEvents;
    },
  };
}

// ---- intervals ------------------------------------------------------------------------------

// Sorted, non-overlapping [start, end] pairs covering the given ones.
export function union(intervals) {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) {
      last[1] = Math.max(last[1], e);
    } else {
      out.push([s, e]);
    }
  }
  return out;
}

// How much of [from, to) the union covers.
export function covered(unionList, from, to) {
  let lo = 0;
  let hi = unionList.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (unionList[mid][1] <= from) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  let total = 0;
  for (let i = lo; i < unionList.length && unionList[i][0] < to; i++) {
    total += Math.min(unionList[i][1], to) - Math.max(unionList[i][0], from);
  }
  return Math.max(0, total);
}

// ---- statistics ---------------------------------------------------------------------------------

// Nearest-rank percentile of numbers.
export function percentile(values, p) {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function summary(values) {
  return {
    n: values.length,
    median: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? maxOf(values) : NaN,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN,
  };
}

// ---- trace reading ----------------------------------------------------------------------------
//
// The figures use thread time (the events' tts/tdur: CPU time of the thread), not wall time (ts/dur):
// on a shared machine a main thread is often descheduled in the middle of a task, and wall time
// then charges the extension, or the page, for time in which neither ran. Intervals below are in
// the thread's own clock, which only advances while the thread runs.

// The renderer main thread of the page that ran console.timeStamp(mark): {pid, tid, ts, tts}.
export function markedThread(events, mark) {
  const stamps = events.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message === mark);
  if (stamps.length === 0) {
    throw new Error(`no '${mark}' time stamp in the trace: could not tell the page's main thread`);
  }
  const last = stamps[stamps.length - 1];
  return { pid: last.pid, tid: last.tid, ts: stamps[0].ts, tts: stamps[0].tts };
}

function onThread(events, { pid, tid }) {
  return events.filter((e) => e.pid === pid && e.tid === tid);
}

const timed = (e) => e.ph === 'X' && typeof e.tts === 'number' && typeof e.tdur === 'number';
const span = (e) => [e.tts, e.tts + e.tdur];

function scriptUrl(e) {
  const data = e.args?.data;
  return (typeof data?.url === 'string' && data.url) || (typeof e.args?.fileName === 'string' && e.args.fileName) || '';
}

// Complete events of the extension's scripts on this thread: FunctionCall (listeners, timers,
// observers, idle callbacks), EvaluateScript (injection), v8.compile. Their durations include what
// the script caused synchronously: forced style and layout, DOM reads, sendMessage's serialisation.
// [start, end, name, url] in thread time.
export function instrumentedExtension(threadEvents, extOrigin) {
  if (!extOrigin) {
    return [];
  }
  return threadEvents.filter((e) => timed(e) && scriptUrl(e).startsWith(extOrigin)).map((e) => [...span(e), e.name, scriptUrl(e)]);
}

// The sampling profiler's samples on this thread, in wall time: [{t, ext}] where ext tells whether
// the sample's JS stack holds a frame of the extension's scripts.
export function profileSamples(events, { pid, tid }, extOrigin) {
  const profiles = new Set(events.filter((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid).map((e) => e.id));
  if (!extOrigin || profiles.size === 0) {
    return [];
  }
  const starts = new Map(events.filter((e) => e.name === 'Profile' && e.pid === pid && profiles.has(e.id))
    .map((e) => [e.id, e.args?.data?.startTime ?? e.ts]));
  const nodes = new Map();
  const samples = [];
  const clock = new Map();
  for (const chunk of events.filter((e) => e.name === 'ProfileChunk' && e.pid === pid && profiles.has(e.id))) {
    const data = chunk.args?.data ?? {};
    for (const node of data.cpuProfile?.nodes ?? []) {
      nodes.set(node.id, { parent: node.parent, url: node.callFrame?.url ?? '' });
    }
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    let t = clock.get(chunk.id) ?? starts.get(chunk.id) ?? chunk.ts;
    for (let i = 0; i < ids.length; i++) {
      t += deltas[i] ?? 0;
      samples.push({ t, id: ids[i] });
    }
    clock.set(chunk.id, t);
  }
  const memo = new Map();
  const isExt = (id) => {
    if (id === undefined) {
      return false;
    }
    if (!memo.has(id)) {
      memo.set(id, false); // guards against a cycle
      const node = nodes.get(id);
      memo.set(id, !!node && (node.url.startsWith(extOrigin) || isExt(node.parent)));
    }
    return memo.get(id);
  };
  return samples.map(({ t, id }) => ({ t, ext: isExt(id) })).sort((a, b) => a.t - b.t);
}

// Top-level tasks of the thread: RunTask events not nested in another one.
export function topLevelTasks(threadEvents) {
  const runs = threadEvents.filter((e) => e.name === 'RunTask' && timed(e) && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks = [];
  let end = -Infinity;
  for (const e of runs) {
    if (e.ts >= end) {
      tasks.push(e);
      end = e.ts + e.dur;
    }
  }
  return tasks;
}

// ---- the analyses -----------------------------------------------------------------------------

const us = (v) => v / 1000;
// Math.max(...list) overflows the stack on a few hundred thousand values.
const maxOf = (list) => list.reduce((m, v) => (v > m ? v : m), -Infinity);

// Per keystroke (from one keydown to the next; the last one to the end of the trace), in thread time:
//   ext       the extension's own script time (instrumented events), ms;
//   dispatch  the page's event-dispatch time (union of EventDispatch events), ms: with minus without
//             the extension is the cost as the page sees it, including what no script event names.
export function analyseTyping(events, { mark, extOrigin }) {
  const thread = markedThread(events, mark);
  const mine = onThread(events, thread).filter((e) => e.ts >= thread.ts);
  const keydowns = mine.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown' && timed(e))
    .map((e) => e.tts).sort((a, b) => a - b);
  const traceEnd = maxOf(mine.filter(timed).map((e) => e.tts + e.tdur));
  const raw = instrumentedExtension(mine, extOrigin);
  const ext = union(raw);
  const dispatch = union(mine.filter((e) => e.name === 'EventDispatch' && timed(e)).map(span));
  const perKey = { ext: [], dispatch: [] };
  const windowOf = (i) => [keydowns[i], i + 1 < keydowns.length ? keydowns[i + 1] : traceEnd];
  for (let i = 0; i < keydowns.length; i++) {
    const [from, to] = windowOf(i);
    perKey.ext.push(us(covered(ext, from, to)));
    perKey.dispatch.push(us(covered(dispatch, from, to)));
  }
  // The costliest keystrokes, for the evidence: which scripts' events made them up.
  const worst = perKey.ext.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]).slice(0, 3).map(([v, i]) => {
    const [from, to] = windowOf(i);
    const parts = raw.filter(([s, e]) => s < to && e > from)
      .map(([s, e, name, url]) => `${name} ${url.replace(extOrigin, '')} ${us(e - s).toFixed(3)} ms`);
    return { keystroke: i, ms: v, parts };
  });
  return {
    keystrokes: keydowns.length,
    ext: summary(perKey.ext),
    dispatch: summary(perKey.dispatch),
    extTotalMs: perKey.ext.reduce((a, b) => a + b, 0),
    worst,
  };
}

// A page load or a stretch of page activity: every top-level task of the page's main thread (thread
// time) and the extension's part of each: its instrumented events, or the share of the task's
// profiler samples that were in extension code times the task's time, whichever is more (samples
// see the extension's promise continuations and microtasks, which no instrumented event names).
// With `from` (another time stamp's message), only the tasks that start after that stamp count.
export function analyseTasks(events, { mark, extOrigin, from = null }) {
  const thread = markedThread(events, mark);
  const mine = onThread(events, thread);
  const fromTs = from === null ? -Infinity : markedThread(events, from).ts;
  const tasks = topLevelTasks(mine).filter((t) => t.ts >= fromTs);
  const instrumented = instrumentedExtension(mine, extOrigin);
  const ext = union(instrumented);
  const samples = profileSamples(events, thread, extOrigin);
  // Wall-clock end of the extension's last work, to tell whether the trace ran long enough.
  const extEnds = [
    ...mine.filter((e) => e.ph === 'X' && typeof e.dur === 'number' && extOrigin && scriptUrl(e).startsWith(extOrigin)).map((e) => e.ts + e.dur),
    ...samples.filter((x) => x.ext).map((x) => x.t),
  ];
  const lastExtAtMs = extEnds.length ? us(maxOf(extEnds) - thread.ts) : null;
  const traceEndAtMs = us(maxOf(mine.map((e) => e.ts + (e.dur ?? 0))) - thread.ts);
  let si = 0;
  let busy = 0;
  let busyWall = 0;
  let extTotal = 0;
  let instrTotal = 0;
  let longest = { durMs: 0, extMs: 0 };
  let worstExt = { durMs: 0, extMs: 0 };
  let longestWithExt = { durMs: 0, extMs: 0 };
  let longestWall = 0;
  let extSamples = 0;
  for (const t of tasks) {
    const durMs = us(t.tdur);
    const instrMs = us(covered(ext, t.tts, t.tts + t.tdur));
    while (si < samples.length && samples[si].t < t.ts) {
      si++;
    }
    let n = 0;
    let x = 0;
    for (let j = si; j < samples.length && samples[j].t < t.ts + t.dur; j++) {
      n++;
      x += samples[j].ext ? 1 : 0;
    }
    extSamples += x;
    const sampledMs = n > 0 ? (x / n) * durMs : 0;
    const extMs = Math.max(instrMs, sampledMs);
    busy += durMs;
    busyWall += us(t.dur);
    longestWall = Math.max(longestWall, us(t.dur));
    extTotal += extMs;
    instrTotal += instrMs;
    const rec = { durMs, wallMs: us(t.dur), extMs, instrMs, sampledMs, atMs: us(t.ts - thread.ts), tts: t.tts };
    if (durMs > longest.durMs) {
      longest = rec;
    }
    if (extMs > worstExt.extMs) {
      worstExt = rec;
    }
    if (extMs > 0 && durMs > longestWithExt.durMs) {
      longestWithExt = rec;
    }
  }
  // Evidence: the extension's scripts, by event and file, in the task with the most extension time.
  const byScript = {};
  if (worstExt.extMs > 0) {
    const start = worstExt.tts;
    const end = start + worstExt.durMs * 1000;
    for (const [s, e, name, url] of instrumented) {
      if (s < end && e > start) {
        const key = `${name} ${url.replace(extOrigin, '')}`;
        byScript[key] = (byScript[key] ?? 0) + us(Math.min(e, end) - Math.max(s, start));
      }
    }
  }
  return {
    tasks: tasks.length,
    busyMs: busy,
    busyWallMs: busyWall,
    longestTask: longest,
    longestWallMs: longestWall,
    worstExtTask: worstExt,
    longestTaskWithExt: longestWithExt,
    extTotalMs: extTotal,
    extInstrumentedMs: instrTotal,
    samples: samples.length,
    extSamples,
    worstExtTaskScripts: byScript,
    lastExtAtMs,
    traceEndAtMs,
  };
}
