// The messages the extension's parts exchange, defined once (PROTOCOL.md section 1 for the host's): the
// JSDoc of every script names these types, content scripts included (they cannot import). Type checks only;
// what comes from a page or the host is still checked field by field at run time.

/** A content script's typed text (content/typing.js). */
interface TypedMessage {
  type: 'typed';
  fieldId: string;
  text: string;
  url: string;
  title: string;
}

/** A content script's page text (content/page-text.js). */
interface PageMessage {
  type: 'page';
  text: string;
  url: string;
  title: string;
  chunk: number;
}

/** What a content script sends the service worker. */
type ContentMessage = TypedMessage | PageMessage;

/** A search read from a results page's URL (background/search-query.js). */
interface SearchQuery {
  engine: string;
  query: string;
}

/** A text event as the host and the server take it (PROTOCOL.md; not the DOM's TextEvent). */
interface ProtocolTextEvent {
  eventId: string;
  tabId: number;
  /** absent for page text with no search it belongs to */
  fieldId?: string;
  source: 'typed' | 'page' | 'search';
  url: string;
  title: string;
  text: string;
  occurredAt: string;
  localOffsetMinutes: number;
}

/** The extension's first message on a new connection. */
interface HelloMessage {
  type: 'hello';
  protocol: number;
  extensionVersion: string;
  account: string | null;
  userIdKey?: string;
}

interface TextMessage {
  type: 'text';
  event: ProtocolTextEvent;
}

/** A screenshot, or why there is none. */
interface CaptureReply {
  type: 'capture-reply';
  requestId: string;
  jpeg?: string;
  error?: string;
}

/** A message that could not be used; with eventId, that event is refused as bad input. */
interface ErrorMessage {
  type: 'error';
  eventId?: string;
  message: string;
}

/** What the extension sends the host (or, in direct mode, the server through the direct transport). */
type ExtensionMessage = HelloMessage | TextMessage | CaptureReply | ErrorMessage;

interface AckMessage {
  type: 'ack';
  eventId: string;
}

interface HelloReply {
  type: 'hello-reply';
  protocol?: number;
  hostVersion?: string;
  libraryVersion?: string;
  ready?: boolean;
  problem?: string;
}

interface CaptureRequest {
  type: 'capture';
  requestId: string;
  tabId: number;
}

/** What the host (or the direct transport, for the server) sends the extension. */
type HostMessage = AckMessage | ErrorMessage | HelloReply | CaptureRequest;

/** The parts of a hello-reply the status page shows. */
interface HelloSummary {
  protocol: number | null;
  hostVersion: string | null;
  libraryVersion: string | null;
  ready: boolean;
  problem: string | null;
}

/** A transport's state as the status page shows it. */
interface ConnectionState {
  state: string;
  detail: string | null;
}

/** What every transport offers the service worker (native-transport.js, direct-transport.js, transport-mode.js). */
interface Transport {
  connect(): void;
  reconnect(): void;
  close(): void;
  isOpen(): boolean;
  /** false when the message could not go (no open connection) */
  send(message: ExtensionMessage): boolean;
  tick?(): void;
  hostMissing?(): boolean;
}

/** The part of a chrome.storage area the extension uses (or a fake of it). */
interface StorageArea {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** The logger a part writes its warnings to: console, or a test's. */
interface Log {
  warn(...data: unknown[]): void;
  info?(...data: unknown[]): void;
}

/** Which transport carries the events (transport-mode.js), for the status page and the heartbeat. */
interface TransportChoice {
  mode: 'auto' | 'native' | 'direct';
  transport: 'native' | 'direct';
  hostMissing: boolean;
}

/** The connection's state as status-store.js keeps it in chrome.storage.session for the status page. */
interface ConnectionRecord extends ConnectionState {
  /** when the state began (ISO 8601), null before the first */
  since: string | null;
  /** the current connection's hello-reply */
  hello: HelloSummary | null;
  /** the last hello-reply ever received, with when it came */
  lastHello: (HelloSummary & { at: string }) | null;
  /** since when there has been no open connection */
  downSince?: string | null;
  /** how many connections failed or ended since then */
  attempts?: number;
}
