// @ts-check
// What to do with each message the host sends (PROTOCOL.md section 1). The host is trusted more than
// a web page but its fields are still checked before they are used or stored.

const MAX_SHOWN = 200;

function shortText(value) {
  return typeof value === 'string' ? value.slice(0, MAX_SHOWN) : null;
}

/**
 * The parts of a hello-reply worth keeping for the status page.
 * @param {HelloReply} reply
 * @returns {HelloSummary}
 */
export function helloSummary(reply) {
  return {
    protocol: Number.isInteger(reply.protocol) ? reply.protocol : null,
    hostVersion: shortText(reply.hostVersion),
    libraryVersion: shortText(reply.libraryVersion),
    ready: reply.ready === true,
    problem: shortText(reply.problem),
  };
}

/**
 * @param {object} deps
 * @param {{ack: (eventId: string) => Promise<unknown>, refuse?: (eventId: string) => Promise<unknown>}} deps.backlog
 * @param {{handle: (request: CaptureRequest) => Promise<CaptureReply | ErrorMessage>}} deps.capture
 * @param {(hello: HelloSummary) => Promise<unknown>} deps.recordHello  keeps the hello-reply's summary
 * @param {(message: ExtensionMessage) => boolean} deps.reply  sends a message back to the host
 * @param {Log} [deps.log]
 * @returns {(message: HostMessage) => Promise<void>}
 */
export function createHostMessageHandler({ backlog, capture, recordHello, reply, log = console }) {
  return async function handle(message) {
    // The host's message is checked, not trusted: its type may be anything, or missing.
    const type = typeof message?.type === 'string' ? message.type : null;
    switch (message?.type) {
      case 'ack':
        if (typeof message.eventId === 'string') {
          await backlog.ack(message.eventId);
        } else {
          reply({ type: 'error', message: 'ack without an eventId' });
        }
        return;
      case 'error':
        // Never answered, or two ends could trade errors for ever.
        if (typeof message.eventId === 'string') {
          // Refused as bad input: it would be refused again, so keeping it only blocks the backlog.
          await (backlog.refuse ? backlog.refuse(message.eventId) : backlog.ack(message.eventId));
          log.warn('eSafe: the host refused event', message.eventId, shortText(message.message));
        } else {
          log.warn('eSafe: the host reported an error:', shortText(message.message));
        }
        return;
      case 'hello-reply':
        await recordHello(helloSummary(message));
        return;
      case 'capture':
        reply(await capture.handle(message));
        return;
      default:
        reply({ type: 'error', message: type === null ? 'message has no type' : `unknown message type '${shortText(type)}'` });
    }
  };
}
