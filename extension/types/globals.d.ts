// What the extension's scripts share through globalThis (content scripts cannot import), and the one
// Chrome API object they use, declared loosely: the checks are for the scripts' own code.
declare var chrome: any;

declare namespace chrome.runtime {
  /** Chrome's record of who sent a message: the tab and frame. */
  interface MessageSender {
    tab?: { id?: number; url?: string; title?: string };
    frameId?: number;
    url?: string;
    id?: string;
  }
}

declare var eSafeCapture: any;
declare var eSafeRelay: any;
declare var eSafePageText: any;
declare var eSafeRecentTyped: any;
declare var eSafePageTextStats: () => object;
declare var eSafeTypingInstalled: boolean;
declare var eSafePageTextInstalled: boolean;

interface Document {
  /** A prerendered page, not yet shown (Speculation Rules). */
  readonly prerendering?: boolean;
}
