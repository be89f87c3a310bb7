// The service worker as a whole, on a fake chrome global: typed text in, text events out, acks,
// a restarted worker resending its backlog, a missing host, captures and policy.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createBacklog } from '../background/backlog.js';
import { EXTENSION_ID, fakeChrome, fakeStorage, settle, silentLog } from '../test-support/fakes.js';

const PROTOCOL_FIELDS = ['eventId', 'tabId', 'fieldId', 'source', 'url', 'title', 'text', 'occurredAt', 'localOffsetMinutes'];

let instance = 0;
let current = null;

// Loads a fresh copy of the worker, as Chrome does when it (re)starts it.
async function startWorker(chrome) {
  globalThis.chrome = chrome;
  globalThis.indexedDB = chrome.indexedDB;
  current = chrome;
  instance += 1;
  await import(`../background/service-worker.js?instance=${instance}`);
  await settle();
  return chrome;
}

// Stops the worker's transport (no reconnect timers left behind) through the policy.
async function stopWorker(chrome) {
  chrome.storage.managed.set({ enabled: false });
  chrome.storage.onChanged.fire({}, 'managed');
  await settle();
}

afterEach(async () => {
  if (current) {
    await stopWorker(current);
    current = null;
  }
});

function typed(chrome, fields = {}, sender = {}) {
  chrome.runtime.onMessage.fire(
    { type: 'typed', fieldId: 'p1-1', text: 'some words', url: 'https://site.example/chat', title: 'Chat', ...fields },
    { id: EXTENSION_ID, tab: { id: 5, url: 'https://site.example/chat', title: 'Chat' }, frameId: 0, url: 'https://site.example/chat', ...sender },
    () => {},
  );
}

function page(chrome, fields = {}, sender = {}) {
  chrome.runtime.onMessage.fire(
    { type: 'page', text: 'Year 9 chat\nWrite a message to your class.', url: 'https://site.example/chat', title: 'Chat', chunk: 0, ...fields },
    { id: EXTENSION_ID, tab: { id: 5, url: 'https://site.example/chat', title: 'Chat' }, frameId: 0, url: 'https://site.example/chat', ...sender },
    () => {},
  );
}

// A navigation as Chrome reports it: the URL (the title still the address), then the page's title.
function navigate(chrome, tabId, url, title = 'Results') {
  const tab = { id: tabId, url, active: true, windowId: 1 };
  chrome.tabs.onUpdated.fire(tabId, { url, status: 'loading' }, { ...tab, title: url.replace(/^https?:\/\//, '') });
  chrome.tabs.onUpdated.fire(tabId, { title }, { ...tab, title });
}

// What a worker started now would find in the profile's backlog (IndexedDB).
function storedEvents(chrome) {
  return createBacklog({ indexedDB: chrome.indexedDB, log: silentLog }).all();
}

describe('service worker', () => {
  it('connects on start with hello and sets the 1-minute alarm', async () => {
    const chrome = await startWorker(fakeChrome());
    assert.equal(chrome.runtime.ports.length, 1);
    assert.equal(chrome.runtime.ports[0].name, 'com.esafe.host');
    assert.deepEqual(chrome.runtime.ports[0].sent, [{ type: 'hello', protocol: 1, extensionVersion: '0.1.0', account: 'pupil@school.example' }]);
    assert.equal(chrome.alarms.all.get('esafe-reconnect').periodInMinutes, 1);
    assert.equal(chrome.storage.session.snapshot().connection.state, 'open');
  });

  it('sends a null account when nobody is signed in', async () => {
    const chrome = await startWorker(fakeChrome({ email: null }));
    assert.equal(chrome.runtime.ports[0].sent[0].account, null);
  });

  it('keeps typed text in the backlog first, sends it as a text event, and forgets it on ack', async () => {
    const chrome = await startWorker(fakeChrome());
    const port = chrome.runtime.ports[0];
    typed(chrome);
    await settle();
    const [message] = port.sent.slice(1);
    assert.equal(message.type, 'text');
    assert.deepEqual(Object.keys(message.event).sort(), [...PROTOCOL_FIELDS].sort());
    assert.equal(message.event.tabId, 5);
    assert.equal(message.event.source, 'typed');
    assert.equal(message.event.text, 'some words');
    assert.deepEqual(await storedEvents(chrome), [message.event]);
    port.reply({ type: 'ack', eventId: message.event.eventId, incidents: 0 });
    await settle();
    assert.deepEqual(await storedEvents(chrome), []);
    assert.equal(chrome.storage.session.snapshot()['backlog:stats'].count, 0);
  });

  it('answers the content script {ok: true} once the event is in the backlog, and keeps the channel open for it', async () => {
    const chrome = await startWorker(fakeChrome());
    const answers = [];
    const [keepsOpen] = chrome.runtime.onMessage.fire(
      { type: 'typed', fieldId: 'p1-1', text: 'some words', url: 'https://site.example/chat', title: 'Chat' },
      { id: EXTENSION_ID, tab: { id: 5, url: 'https://site.example/chat', title: 'Chat' }, frameId: 0, url: 'https://site.example/chat' },
      (answer) => answers.push(storedEvents(chrome).then((stored) => ({ answer, stored: stored.length }))),
    );
    assert.equal(keepsOpen, true);
    await settle();
    assert.deepEqual(await Promise.all(answers), [{ answer: { ok: true }, stored: 1 }]);
  });

  it('answers {ok: false} when the backlog could not take the event, so the content script sends it again', async () => {
    const indexedDB = { open: () => { throw new Error('IndexedDB is not available'); } };
    const chrome = await startWorker(fakeChrome({ indexedDB, hostPresent: false }));
    const answers = [];
    chrome.runtime.onMessage.fire(
      { type: 'page', text: 'Some page words here.', url: 'https://site.example/chat', title: 'Chat', chunk: 0 },
      { id: EXTENSION_ID, tab: { id: 5, url: 'https://site.example/chat', title: 'Chat' }, frameId: 0, url: 'https://site.example/chat' },
      (answer) => answers.push(answer),
    );
    await settle();
    assert.deepEqual(answers, [{ ok: false }]);
  });

  it('records the hello-reply for the status page', async () => {
    const chrome = await startWorker(fakeChrome());
    chrome.runtime.ports[0].reply({ type: 'hello-reply', protocol: 1, hostVersion: '0.1.0', libraryVersion: 'lib-1', ready: true });
    await settle();
    assert.deepEqual(chrome.storage.session.snapshot().connection.hello, { protocol: 1, hostVersion: '0.1.0', libraryVersion: 'lib-1', ready: true, problem: null });
  });

  it('a restarted worker says hello and resends every unacknowledged event', async () => {
    const session = fakeStorage();
    const first = await startWorker(fakeChrome({ session }));
    const { indexedDB } = first;
    typed(first, { fieldId: 'p1-1', text: 'first field' });
    typed(first, { fieldId: 'p1-2', text: 'second field' });
    await settle();
    const sent = first.runtime.ports[0].sent.slice(1).map((m) => m.event);
    first.runtime.ports[0].reply({ type: 'ack', eventId: sent[0].eventId, incidents: 0 });
    await settle();
    await stopWorker(first); // Chrome stops the worker (its port goes with it)

    session.data.delete('policy'); // the stop above cached enabled:false
    const second = await startWorker(fakeChrome({ session, indexedDB }));
    const resent = second.runtime.ports[0].sent;
    assert.equal(resent[0].type, 'hello');
    assert.deepEqual(resent.slice(1), [{ type: 'text', event: sent[1] }]);
  });

  it('in native mode with no host: records why, keeps the backlog, and the alarm tries again', async () => {
    const chrome = await startWorker(fakeChrome({ hostPresent: false, managed: { mode: 'native' } }));
    assert.deepEqual(
      { state: chrome.storage.session.snapshot().connection.state, detail: chrome.storage.session.snapshot().connection.detail },
      { state: 'disconnected', detail: 'Specified native messaging host not found.' },
    );
    typed(chrome, { text: 'one' });
    typed(chrome, { fieldId: 'p1-2', text: 'two' });
    await settle();
    assert.deepEqual((await storedEvents(chrome)).map((e) => e.text), ['one', 'two']);
    const ports = chrome.runtime.ports.length;
    chrome.alarms.onAlarm.fire({ name: 'esafe-reconnect' });
    await settle();
    assert.equal(chrome.runtime.ports.length, ports + 1);
  });

  it('in auto mode with no host: sends directly meanwhile, says the host is missing, and goes back to a host that answers', async () => {
    const chrome = await startWorker(fakeChrome({ hostPresent: false }));
    const session = () => chrome.storage.session.snapshot();
    assert.deepEqual({ ...session().transport, since: undefined }, { mode: 'auto', transport: 'direct', hostMissing: true, since: undefined });
    assert.equal(session().connection.state, 'unavailable', 'the direct transport carries the events now');
    assert.equal(session().connection.attempts, 1, 'the failed host connection is counted');
    typed(chrome, { text: 'typed while the host is missing' });
    await settle();
    assert.deepEqual((await storedEvents(chrome)).map((e) => e.text), ['typed while the host is missing']);
    // The native port keeps trying; the host is installed and answers.
    chrome.runtime.hostPresent = true;
    chrome.alarms.onAlarm.fire({ name: 'esafe-reconnect' });
    await settle();
    const port = chrome.runtime.ports.at(-1);
    assert.deepEqual(port.sent.map((m) => m.type), ['hello', 'text'], 'the backlog goes to the host');
    assert.equal(session().transport.hostMissing, true, 'not until the host answers');
    port.reply({ type: 'hello-reply', protocol: 1, hostVersion: '0.1.0', libraryVersion: 'l', ready: true });
    await settle();
    assert.deepEqual({ ...session().transport, since: undefined }, { mode: 'auto', transport: 'native', hostMissing: false, since: undefined });
    assert.equal(session().connection.state, 'open');
    port.reply({ type: 'ack', eventId: port.sent[1].event.eventId, incidents: 0 });
    await settle();
    assert.deepEqual(await storedEvents(chrome), []);
  });

  it('after the browser restarts, counts for the status page what waits in IndexedDB at once', async () => {
    const chrome = fakeChrome({ os: 'cros' });
    await createBacklog({ indexedDB: chrome.indexedDB, log: silentLog }).add({ eventId: 'left-over', tabId: 1, fieldId: 'f', source: 'typed', text: 'kept', url: 'https://a.example/', title: '', occurredAt: '2026-01-01T00:00:00.000Z', localOffsetMinutes: 0 });
    await startWorker(chrome);
    assert.equal(chrome.storage.session.snapshot()['backlog:stats'].count, 1);
  });

  it('in auto mode on ChromeOS goes direct at once and never looks for a host', async () => {
    const chrome = await startWorker(fakeChrome({ os: 'cros' }));
    typed(chrome);
    await settle();
    assert.equal(chrome.runtime.ports.length, 0);
    assert.deepEqual({ ...chrome.storage.session.snapshot().transport, since: undefined }, { mode: 'auto', transport: 'direct', hostMissing: false, since: undefined });
    assert.equal((await storedEvents(chrome)).length, 1);
  });

  it('in native mode never falls back, and in auto mode a host that is there is used', async () => {
    const native = await startWorker(fakeChrome({ hostPresent: false, managed: { mode: 'native' } }));
    assert.deepEqual({ ...native.storage.session.snapshot().transport, since: undefined }, { mode: 'native', transport: 'native', hostMissing: false, since: undefined });
    assert.equal(native.storage.session.snapshot().connection.state, 'disconnected');
    await stopWorker(native);
    const auto = await startWorker(fakeChrome());
    assert.deepEqual({ ...auto.storage.session.snapshot().transport, since: undefined }, { mode: 'auto', transport: 'native', hostMissing: false, since: undefined });
  });

  it('the alarm leaves a healthy connection alone and re-greets a host that was not ready', async () => {
    const chrome = await startWorker(fakeChrome());
    typed(chrome);
    await settle();
    chrome.runtime.ports[0].reply({ type: 'hello-reply', protocol: 1, hostVersion: '0.1.0', libraryVersion: 'l', ready: true });
    await settle();
    chrome.alarms.onAlarm.fire({ name: 'esafe-reconnect' });
    await settle();
    assert.equal(chrome.runtime.ports.length, 1);
    chrome.runtime.ports[0].reply({ type: 'hello-reply', protocol: 1, hostVersion: '0.1.0', libraryVersion: 'l', ready: false, problem: 'not enrolled' });
    await settle();
    chrome.alarms.onAlarm.fire({ name: 'esafe-reconnect' });
    await settle();
    assert.equal(chrome.runtime.ports.length, 2);
    assert.equal(chrome.runtime.ports[1].sent.length, 2, 'hello and the unacked event');
  });

  it('answers a capture request on the port', async () => {
    const chrome = await startWorker(fakeChrome());
    chrome.runtime.ports[0].reply({ type: 'capture', requestId: 'r1', tabId: 5 });
    chrome.runtime.ports[0].reply({ type: 'capture', requestId: 'r2', tabId: 8 });
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A closed tab is answered at once; the capture may come after it.
    assert.deepEqual(chrome.runtime.ports[0].sent.slice(1).sort((a, b) => a.requestId.localeCompare(b.requestId)), [
      { type: 'capture-reply', requestId: 'r1', jpeg: '/9j/SHOT' },
      { type: 'capture-reply', requestId: 'r2', error: 'tab closed' },
    ]);
  });

  it('ignores messages that are not typed text from a tab of this extension', async () => {
    const chrome = await startWorker(fakeChrome());
    typed(chrome, {}, { id: 'someotherextensionidxxxxxxxxxxxx' });
    typed(chrome, {}, { tab: undefined });
    chrome.runtime.onMessage.fire({ type: 'text', event: {} }, { id: EXTENSION_ID, tab: { id: 5 } }, () => {});
    await settle();
    assert.deepEqual(await storedEvents(chrome), []);
    assert.equal(chrome.runtime.ports[0].sent.length, 1);
  });

  it('does nothing while policy pauses monitoring', async () => {
    const chrome = await startWorker(fakeChrome({ managed: { enabled: false } }));
    typed(chrome);
    await settle();
    assert.equal(chrome.runtime.ports.length, 0);
    assert.deepEqual(await storedEvents(chrome), []);
    assert.equal(chrome.storage.session.snapshot().connection.state, 'disabled');
  });

  it('in direct mode without a server URL keeps events, opens no host port and says why nothing is sent', async () => {
    const chrome = await startWorker(fakeChrome({ managed: { mode: 'direct' } }));
    typed(chrome);
    await settle();
    assert.equal(chrome.runtime.ports.length, 0);
    assert.equal((await storedEvents(chrome)).length, 1);
    assert.equal(chrome.storage.session.snapshot().connection.state, 'unavailable');
    assert.match(chrome.storage.session.snapshot().connection.detail, /serverUrl/);
  });

  it('keeps page text as a page event without a fieldId, and sends it', async () => {
    const chrome = await startWorker(fakeChrome());
    page(chrome);
    await settle();
    const [message] = chrome.runtime.ports[0].sent.slice(1);
    assert.equal(message.event.source, 'page');
    assert.equal(message.event.text, 'Year 9 chat\nWrite a message to your class.');
    assert.equal(message.event.title, 'Chat');
    assert.equal('fieldId' in message.event, false);
    assert.deepEqual(Object.keys(message.event).sort(), PROTOCOL_FIELDS.filter((f) => f !== 'fieldId').sort());
    assert.deepEqual(await storedEvents(chrome), [message.event]);
  });

  it('turns a search results URL into one search event per search', async () => {
    const chrome = await startWorker(fakeChrome());
    navigate(chrome, 5, 'https://www.google.com/search?q=how+to+make+friends&sca_esv=1');
    navigate(chrome, 5, 'https://www.google.com/search?q=how+to+make+friends&sca_esv=1&ei=2'); // same search, URL rewritten
    navigate(chrome, 5, 'https://www.google.com/search?q=how+to+make+friends&tbm=isch'); // images of it
    navigate(chrome, 5, 'https://example.org/article'); // not a search
    navigate(chrome, 6, 'https://www.youtube.com/results?search_query=sad+songs');
    chrome.tabs.onUpdated.fire(5, { status: 'complete' }, { id: 5 }); // no URL change
    await settle();
    const events = chrome.runtime.ports[0].sent.slice(1).map((m) => m.event);
    assert.deepEqual(events.map((e) => [e.tabId, e.source, e.fieldId, e.text]), [
      [5, 'search', 'query:google:how to make friends', 'how to make friends'],
      [6, 'search', 'query:youtube:sad songs', 'sad songs'],
    ]);
    assert.equal(events[0].url, 'https://www.google.com/search?q=how+to+make+friends&sca_esv=1');
    assert.equal(events[0].title, 'Results');
    assert.deepEqual(Object.keys(events[0]).sort(), [...PROTOCOL_FIELDS].sort());
  });

  it('does not send a search the pupil just typed in that tab (the typed text went already)', async () => {
    const chrome = await startWorker(fakeChrome());
    typed(chrome, { fieldId: 'p1-9', text: 'how to make friends' });
    await settle();
    navigate(chrome, 5, 'https://www.bing.com/search?q=how+to+make+friends');
    navigate(chrome, 5, 'https://www.bing.com/search?q=how+to+make+friends+at+school'); // picked a suggestion
    await settle();
    const events = chrome.runtime.ports[0].sent.slice(1).map((m) => m.event);
    assert.deepEqual(events.map((e) => `${e.source}:${e.text}`), ['typed:how to make friends', 'search:how to make friends at school']);
  });

  it("gives a results page's text the field of its search: the search's own, or the typed field it came from", async () => {
    const chrome = await startWorker(fakeChrome());
    const resultsOf = (tabId, url) => ({ id: EXTENSION_ID, url, tab: { id: tabId, url, title: 'Results' }, frameId: 0 });
    const snippet = (url) => ({ type: 'page', text: 'Forum: some nights I think I will kill myself', url, title: 'Results', chunk: 0 });
    const searched = 'https://www.google.com/search?q=How+to+kill+myself';
    navigate(chrome, 5, searched);
    await settle();
    chrome.runtime.onMessage.fire(snippet(searched), resultsOf(5, searched), () => {});
    typed(chrome, { fieldId: 'q-2', text: 'how to kill myself' }, resultsOf(6, 'https://www.bing.com/search?q=weather'));
    await settle();
    const typedSearch = 'https://www.bing.com/search?q=how+to+kill+myself';
    navigate(chrome, 6, typedSearch);
    await settle();
    chrome.runtime.onMessage.fire(snippet(typedSearch), resultsOf(6, typedSearch), () => {});
    await settle();
    const events = chrome.runtime.ports[0].sent.slice(1).map((m) => m.event);
    assert.deepEqual(events.map((e) => [e.tabId, e.source, e.fieldId]), [
      [5, 'search', 'query:google:how to kill myself'],
      [5, 'page', 'query:google:how to kill myself'],
      [6, 'typed', 'q-2'],
      [6, 'page', 'q-2'],
    ]);
  });

  it('keeps searches and page text while the host is missing, and resends them on connecting', async () => {
    const session = fakeStorage();
    const chrome = await startWorker(fakeChrome({ hostPresent: false, session }));
    navigate(chrome, 5, 'https://duckduckgo.com/?q=am+i+ok&ia=web');
    page(chrome);
    typed(chrome);
    await settle();
    assert.deepEqual((await storedEvents(chrome)).map((e) => e.source).sort(), ['page', 'search', 'typed']);
    chrome.runtime.hostPresent = true;
    chrome.alarms.onAlarm.fire({ name: 'esafe-reconnect' });
    await settle();
    const resent = chrome.runtime.ports.at(-1).sent;
    assert.equal(resent[0].type, 'hello');
    assert.deepEqual(resent.slice(1).map((m) => m.event.source).sort(), ['page', 'search', 'typed']);
  });

  it('waits for a hidden tab and captures it when the pupil switches to it', async () => {
    const chrome = await startWorker(fakeChrome());
    chrome.runtime.ports[0].reply({ type: 'capture', requestId: 'later', tabId: 6 });
    await settle();
    assert.equal(chrome.runtime.ports[0].sent.length, 1, 'no reply yet');
    chrome.tabs.all[5].active = false;
    chrome.tabs.all[6].active = true;
    chrome.tabs.onActivated.fire({ tabId: 6, windowId: 1 });
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(chrome.runtime.ports[0].sent.slice(1), [{ type: 'capture-reply', requestId: 'later', jpeg: '/9j/SHOT' }]);
  });

  for (const enabled of [true, false]) {
    it(`persists text that comes while the policy is still being read, then ${enabled ? 'sends it once' : 'drops it: monitoring is paused'}`, async () => {
      const chrome = fakeChrome();
      let release;
      chrome.storage.managed.get = () => new Promise((resolve) => {
        release = () => resolve({ enabled });
      });
      await startWorker(chrome);
      typed(chrome, { text: 'typed during start-up' });
      await settle();
      assert.deepEqual((await storedEvents(chrome)).map((e) => e.text), ['typed during start-up'], 'kept before the policy is known');
      release();
      await settle();
      if (enabled) {
        const sent = chrome.runtime.ports[0].sent.filter((m) => m.type === 'text');
        assert.deepEqual(sent.map((m) => m.event.text), ['typed during start-up']);
      } else {
        assert.deepEqual(await storedEvents(chrome), []);
        assert.equal(chrome.runtime.ports.length, 0);
      }
    });
  }
});
