import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanQuery, createSearchFilter, createSearchWatcher, MAX_QUERY, searchFieldId, searchQuery } from '../background/search-query.js';
import { fakeClock } from '../test-support/fakes.js';

// [url, engine, query] — null engine: not a search.
const TABLE = [
  ['https://www.google.com/search?q=how+to+make+friends&sca_esv=123&source=hp', 'google', 'how to make friends'],
  ['https://www.google.co.uk/search?q=am%20I%20normal&hl=en-GB', 'google', 'am I normal'],
  ['https://www.google.com.au/search?tbm=isch&q=cute+dogs', 'google', 'cute dogs'],
  ['https://www.google.de/webhp#q=wetter+morgen', 'google', 'wetter morgen'],
  ['https://www.bing.com/search?q=revision+tips&form=QBLH', 'bing', 'revision tips'],
  ['https://www.bing.com/images/search?q=maths+memes', 'bing', 'maths memes'],
  ['https://duckduckgo.com/?q=is+it+safe+to&t=h_&ia=web', 'duckduckgo', 'is it safe to'],
  ['https://html.duckduckgo.com/html/?q=quiet+search', 'duckduckgo', 'quiet search'],
  ['https://uk.search.yahoo.com/search;_ylt=AwrFG?p=yahoo+query&fr=yfp-t', 'yahoo', 'yahoo query'],
  ['https://search.yahoo.com/search?p=news', 'yahoo', 'news'],
  ['https://www.ecosia.org/search?method=index&q=trees+planted', 'ecosia', 'trees planted'],
  ['https://search.brave.com/search?q=brave+words&source=web', 'brave', 'brave words'],
  ['https://www.startpage.com/sp/search?query=private+query', 'startpage', 'private query'],
  ['https://yandex.com/search/?text=snow', 'yandex', 'snow'],
  ['https://www.youtube.com/results?search_query=sad+songs+playlist', 'youtube', 'sad songs playlist'],
  ['https://m.youtube.com/results?search_query=funny%20cats', 'youtube', 'funny cats'],
  ['https://www.tiktok.com/search?q=dance%20trend&t=1700000000', 'tiktok', 'dance trend'],
  ['https://www.tiktok.com/search/video?q=skincare', 'tiktok', 'skincare'],
  ['https://www.tiktok.com/tag/selfcare', 'tiktok', 'selfcare'],
  ['https://www.instagram.com/explore/search/keyword/?q=gym%20motivation', 'instagram', 'gym motivation'],
  ['https://www.instagram.com/explore/tags/skinny/', 'instagram', 'skinny'],
  ['https://www.reddit.com/search/?q=exam+stress', 'reddit', 'exam stress'],
  ['https://old.reddit.com/r/teenagers/search?q=lonely&restrict_sr=on', 'reddit', 'lonely'],
  ['https://twitter.com/search?q=%23news&src=typed_query', 'twitter', '#news'],
  ['https://x.com/search?q=football%20scores&f=live', 'twitter', 'football scores'],
  ['https://x.com/hashtag/exams', 'twitter', 'exams'],
  ['https://www.pinterest.co.uk/search/pins/?q=bedroom%20ideas&rs=typed', 'pinterest', 'bedroom ideas'],
  ['https://uk.pinterest.com/search/boards/?q=art', 'pinterest', 'art'],
  ['https://en.wikipedia.org/w/index.php?search=photosynthesis&title=Special%3ASearch', 'wikipedia', 'photosynthesis'],
  // Spaces and plus signs as a pupil typed them.
  ['https://www.google.com/search?q=++lots+of+++spaces++', 'google', 'lots of spaces'],
  ['https://www.google.com/search?q=1%2B1%3D2', 'google', '1+1=2'],
  // Not searches.
  ['https://www.google.com/', null],
  ['https://www.google.com/search?q=', null],
  ['https://www.google.com/search?q=+++', null],
  ['https://www.google.com/url?q=https://example.org/&sa=U', null],
  ['https://mail.google.com/mail/u/0/#search/homework', null],
  ['https://maps.google.com/maps?q=london', null],
  ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', null],
  ['https://www.youtube.com/results', null],
  ['https://www.bing.com/maps?q=paris', null],
  ['https://www.reddit.com/r/teenagers/comments/abc/title/', null],
  ['https://x.com/someone/status/123', null],
  ['https://example.org/search?q=not+an+engine', null],
  ['https://notgoogle.com/search?q=lookalike', null],
  ['https://google.com.evil.example/search?q=lookalike', null],
  ['https://www.instagram.com/someone/', null],
  ['https://www.tiktok.com/@someone/video/123', null],
  ['ftp://www.google.com/search?q=ftp', null],
  ['chrome://settings/?search=password', null],
  ['not a url', null],
  ['', null],
  [null, null],
];

describe('search queries from URLs', () => {
  for (const [url, engine, query] of TABLE) {
    it(`${url} → ${engine ? `${engine}: ${query}` : 'none'}`, () => {
      assert.deepEqual(searchQuery(url), engine ? { engine, query } : null);
    });
  }

  it('has a table of at least 20 searches and 20 other URLs', () => {
    assert.ok(TABLE.filter((r) => r[1]).length >= 20);
    assert.ok(TABLE.filter((r) => !r[1]).length >= 20);
  });

  it('caps a query and survives bad percent-encoding in a path', () => {
    assert.equal(searchQuery(`https://www.google.com/search?q=${'a'.repeat(5000)}`).query.length, MAX_QUERY);
    assert.equal(searchQuery('https://www.tiktok.com/tag/%E0%A4%A'), null);
    assert.equal(cleanQuery(undefined), '');
  });
});

describe('search filter', () => {
  it('sends a search once per tab until the query changes', () => {
    const filter = createSearchFilter({ now: () => 0 });
    const s = { engine: 'google', query: 'Cats' };
    assert.equal(filter.shouldSend(1, s), true);
    assert.equal(filter.shouldSend(1, s), false);
    assert.equal(filter.shouldSend(1, { engine: 'google', query: 'cats' }), false, 'case aside');
    assert.equal(filter.shouldSend(2, s), true, 'another tab');
    assert.equal(filter.shouldSend(1, { engine: 'bing', query: 'Cats' }), true, 'another engine');
    assert.equal(filter.shouldSend(1, { engine: 'google', query: 'dogs' }), true);
    assert.equal(filter.shouldSend(1, s), true, 'searched again after something else');
    filter.forgetTab(1);
    assert.equal(filter.shouldSend(1, { engine: 'google', query: 'Cats' }), true, 'a closed tab is forgotten');
  });

  it('leaves out a search for words typed in that tab in the last 2 minutes', () => {
    let now = 0;
    const filter = createSearchFilter({ now: () => now });
    filter.noteTyped(3, 'How to   make friends');
    assert.equal(filter.shouldSend(3, { engine: 'google', query: 'how to make friends' }), false);
    assert.equal(filter.shouldSend(4, { engine: 'google', query: 'how to make friends' }), true, 'another tab');
    assert.equal(filter.shouldSend(3, { engine: 'google', query: 'how to make friends fast' }), true, 'more than was typed');
    now = 2 * 60 * 1000;
    assert.equal(filter.shouldSend(3, { engine: 'bing', query: 'how to make friends' }), true, 'typed too long ago');
  });

  it("names the field of a results page's text: the typed field a search came from, else the search's own", () => {
    const filter = createSearchFilter({ now: () => 0 });
    const search = { engine: 'bing', query: 'How  to kill myself' };
    assert.equal(filter.fieldOf(3, search), 'query:bing:how to kill myself', 'before the filter saw it (a restarted worker)');
    filter.noteTyped(3, 'how to kill myself', 'q-2');
    filter.shouldSend(3, search);
    assert.equal(filter.fieldOf(3, search), 'q-2');
    assert.equal(filter.fieldOf(3, { engine: 'bing', query: 'other' }), 'query:bing:other', 'not the tab\'s last search');
    filter.shouldSend(4, search);
    assert.equal(filter.fieldOf(4, search), 'query:bing:how to kill myself', 'not typed in that tab');
  });

  it('makes a search field of the engine and the query, lower case, spaces collapsed, at most 128 characters', () => {
    assert.equal(searchFieldId({ engine: 'youtube', query: ' Sad   Songs ' }), 'query:youtube:sad songs');
    assert.equal(searchFieldId({ engine: 'google', query: 'a'.repeat(400) }).length, 128);
    assert.ok(!searchFieldId({ engine: 'google', query: 'x' }).startsWith('search:'), 'the host keys search: fields on URL and context');
  });
});

describe('search watcher', () => {
  function watcher() {
    const clock = fakeClock(Date.parse('2026-03-01T10:00:00Z'));
    const emitted = [];
    const w = createSearchWatcher({
      filter: createSearchFilter({ now: clock.now }),
      emit: (search, tab, url, at) => emitted.push({ query: search.query, title: tab.title, id: tab.id, url, at: at.toISOString() }),
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      now: () => new Date(clock.now()),
    });
    return { clock, emitted, w };
  }
  const url = 'https://www.youtube.com/results?search_query=sad+songs';

  it('holds a search until the results page has its title, timed when the URL changed', () => {
    const { clock, emitted, w } = watcher();
    w.onUpdated(4, { url, status: 'loading' }, { id: 4, url, title: 'YouTube' }); // the page before's title
    w.onUpdated(4, { status: 'complete' }, { id: 4, url, title: 'YouTube' }); // pushState completes at once
    w.onUpdated(4, { title: 'YouTube' }, { id: 4, url, title: 'YouTube' }); // and may repeat the title
    clock.advance(200);
    w.onUpdated(4, { title: 'youtube.com/results?search_query=sad+songs' }, { id: 4, url, title: 'youtube.com/results?search_query=sad+songs' });
    assert.equal(emitted.length, 0, 'the address is no title');
    clock.advance(300);
    w.onUpdated(4, { title: 'sad songs - YouTube' }, { id: 4, url, title: 'sad songs - YouTube' });
    assert.deepEqual(emitted, [{ query: 'sad songs', title: 'sad songs - YouTube', id: 4, url, at: '2026-03-01T10:00:00.000Z' }]);
    assert.deepEqual(clock.pending(), []);
  });

  it('sends after 3 s without a title, when the page completes, or when the tab navigates on or closes', () => {
    const { clock, emitted, w } = watcher();
    w.onUpdated(1, { url }, { id: 1, title: 'YouTube' });
    clock.advance(3000);
    w.onUpdated(2, { url }, { id: 2 });
    w.onUpdated(2, { status: 'complete' }, { id: 2, title: '' });
    w.onUpdated(3, { url }, { id: 3 });
    w.onUpdated(3, { url: 'https://www.youtube.com/watch?v=x' }, { id: 3 });
    w.onUpdated(5, { url }, { id: 5 });
    w.onRemoved(5);
    assert.deepEqual(emitted.map((e) => [e.id, e.title]), [[1, 'YouTube'], [2, null], [3, null], [5, null]], 'the title before stands in');
    assert.equal(w.pendingCount, 0);
  });

  it('ignores other URLs and updates without a held search', () => {
    const { emitted, w } = watcher();
    w.onUpdated(1, { url: 'https://example.org/' }, { id: 1 });
    w.onUpdated(1, { title: 'Example' }, { id: 1, title: 'Example' });
    w.onUpdated(1, { status: 'complete' }, { id: 1 });
    w.onUpdated(1, {}, { id: 1 });
    assert.deepEqual(emitted, []);
    assert.equal(w.pendingCount, 0);
  });
});
