// A small fake DOM for page-text-core.js: elements, text nodes, shadow roots and a document, with the
// few properties the walker reads, plus MutationObserver-like records of the changes a test makes.
// Style is two flags an element carries: display ('none' hides it and everything in it) and
// visibility ('hidden' hides its own text).

const ELEMENT = 1;
const TEXT = 3;
const DOCUMENT = 9;
const FRAGMENT = 11;

class FakeNode {
  constructor(nodeType, dom) {
    this.nodeType = nodeType;
    this.dom = dom;
    this.parentNode = null;
    this.children = [];
  }

  get firstChild() {
    return this.children[0] ?? null;
  }

  get nextSibling() {
    if (!this.parentNode) {
      return null;
    }
    const siblings = this.parentNode.children;
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }

  get parentElement() {
    return this.parentNode?.nodeType === ELEMENT ? this.parentNode : null;
  }

  get isConnected() {
    let node = this;
    while (node) {
      if (node.nodeType === DOCUMENT) {
        return true;
      }
      node = node.nodeType === FRAGMENT ? node.host : node.parentNode;
    }
    return false;
  }

  contains(other) {
    for (let node = other; node; node = node.parentNode) {
      if (node === this) {
        return true;
      }
    }
    return false;
  }

  append(...nodes) {
    for (const node of nodes) {
      const child = typeof node === 'string' ? this.dom.text(node) : node;
      child.parentNode?.remove(child);
      child.parentNode = this;
      this.children.push(child);
      this.dom.record({ type: 'childList', target: this, addedNodes: [child], removedNodes: [] });
    }
    return this;
  }

  remove(child) {
    const index = this.children.indexOf(child);
    if (index >= 0) {
      this.children.splice(index, 1);
      child.parentNode = null;
      this.dom.record({ type: 'childList', target: this, addedNodes: [], removedNodes: [child] });
    }
  }
}

class FakeText extends FakeNode {
  constructor(dom, value) {
    super(TEXT, dom);
    this.value = value;
  }

  get nodeValue() {
    this.dom.reads += 1;
    return this.value;
  }

  set nodeValue(value) {
    this.value = value;
    this.dom.record({ type: 'characterData', target: this });
  }
}

class FakeElement extends FakeNode {
  constructor(dom, localName, attrs = {}) {
    super(ELEMENT, dom);
    this.localName = localName;
    this.attrs = { ...attrs };
    this.shadowRoot = null;
    this.display = attrs.style === 'display:none' ? 'none' : 'block';
    this.visibility = attrs.style === 'visibility:hidden' ? 'hidden' : 'visible';
    this.isContentEditable = false;
  }

  getAttribute(name) {
    return Object.hasOwn(this.attrs, name) ? this.attrs[name] : null;
  }

  setAttribute(name, value) {
    this.attrs[name] = value;
    this.dom.record({ type: 'attributes', target: this, attributeName: name });
  }

  removeAttribute(name) {
    delete this.attrs[name];
    this.dom.record({ type: 'attributes', target: this, attributeName: name });
  }

  setStyle({ display, visibility }) {
    if (display !== undefined) {
      this.display = display;
    }
    if (visibility !== undefined) {
      this.visibility = visibility;
    }
    this.dom.record({ type: 'attributes', target: this, attributeName: 'style' });
  }

  /** Like Element.checkVisibility(): display:none here or above; with visibilityProperty, hidden too. */
  checkVisibility(options = {}) {
    return options.visibilityProperty ? this.dom.showsText(this) : this.dom.isRendered(this);
  }

  attachShadow() {
    const root = new FakeNode(FRAGMENT, this.dom);
    root.host = this;
    this.shadowRoot = root;
    return root;
  }
}

export function createFakeDom() {
  const dom = {
    records: [],
    reads: 0,
    visibilityChecks: 0,
    record(r) {
      dom.records.push(r);
    },
    /** Takes the records made since the last call, like MutationObserver.takeRecords(). */
    takeRecords() {
      const list = dom.records;
      dom.records = [];
      return list;
    },
    text: (value) => new FakeText(dom, value),
    el(localName, attrs = {}, ...children) {
      if (typeof attrs === 'string' || attrs instanceof FakeNode) {
        children.unshift(attrs);
        attrs = {};
      }
      const element = new FakeElement(dom, localName, attrs);
      for (const child of children) {
        const node = typeof child === 'string' ? new FakeText(dom, child) : child;
        node.parentNode = element;
        element.children.push(node);
      }
      return element;
    },
    /** Display-wise visibility, like checkVisibility(): false inside display:none. */
    isRendered(el) {
      dom.visibilityChecks += 1;
      for (let node = el; node; node = node.nodeType === FRAGMENT ? node.host : node.parentNode) {
        if (node.nodeType === ELEMENT && node.display === 'none') {
          return false;
        }
      }
      return true;
    },
    /** Also visibility:hidden (inherited unless a descendant says visible). */
    showsText(el) {
      if (!dom.isRendered(el)) {
        return false;
      }
      for (let node = el; node; node = node.nodeType === FRAGMENT ? node.host : node.parentNode) {
        if (node.nodeType === ELEMENT && node.visibility === 'hidden') {
          return false;
        }
        if (node.nodeType === ELEMENT && node.visibility === 'explicit-visible') {
          return true;
        }
      }
      return true;
    },
  };
  dom.document = new FakeNode(DOCUMENT, dom);
  dom.html = dom.el('html');
  dom.body = dom.el('body');
  dom.html.parentNode = dom.document;
  dom.document.children.push(dom.html);
  dom.body.parentNode = dom.html;
  dom.html.children.push(dom.body);
  return dom;
}
