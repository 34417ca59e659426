/**
 * The XPath subset that SecLang `XML:` targets use, with ModSecurity v2 value
 * semantics (libxml2 xmlNodeGetContent).
 *
 * `xpath(doc, expr)` returns one string per selected node, as ModSecurity's
 * `XML:<expr>` does with xmlNodeGetContent: an element gives the concatenation
 * of all text and CDATA below it, an attribute its value. Supported: absolute
 * location paths of child (`/`) and descendant (`//`) steps whose node tests
 * are a name, `*`, `@name`, `@*` or `text()`; e.g. `/*` (CRS: the whole text of
 * the document, one value), `//@*` (CRS: every attribute value), `/a/b`,
 * `//name`, `/a/@id`. Names match as written (prefix included); xmlns
 * declarations are not attributes. Anything else throws at compile time.
 *
 * Example: `xpath(parseXml('<a x="1">hi<b>!</b></a>')!, '/*')` → `['hi!']`.
 */
import type { XmlDocument, XmlElement, XmlNode } from './xml.ts';

/** One location step of a compiled XPath. */
interface Step {
  /** `//` before the step: descendant-or-self, else child. */
  readonly descendant: boolean;
  readonly test:
    | { readonly kind: 'element'; readonly name: string }
    | { readonly kind: 'attribute'; readonly name: string }
    | { readonly kind: 'text' };
}

export interface XpathQuery {
  readonly source: string;
  readonly steps: readonly Step[];
}

/** Compiles the supported XPath subset; throws Error for anything else (load-time check). */
export function compileXpath(expr: string): XpathQuery {
  const steps: Step[] = [];
  const nameRe = /^(?:\*|[A-Za-z_\x80-\xff][\w.\x80-\xff-]*(?::[A-Za-z_\x80-\xff][\w.\x80-\xff-]*)?)/;
  let p = 0;
  if (!expr.startsWith('/')) throw new Error(`unsupported XPath expression (must start with /): ${expr}`);
  while (p < expr.length) {
    let descendant = false;
    if (expr.startsWith('//', p)) {
      descendant = true;
      p += 2;
    } else if (expr[p] === '/') {
      p += 1;
    } else {
      throw new Error(`unsupported XPath expression at offset ${p}: ${expr}`);
    }
    const last = steps[steps.length - 1];
    if (last !== undefined && last.test.kind !== 'element') {
      throw new Error(`unsupported XPath expression (step after an attribute or text()): ${expr}`);
    }
    const rest = expr.slice(p);
    if (rest.startsWith('text()')) {
      steps.push({ descendant, test: { kind: 'text' } });
      p += 6;
      continue;
    }
    const attribute = rest.startsWith('@');
    const m = nameRe.exec(attribute ? rest.slice(1) : rest);
    if (m === null) throw new Error(`unsupported XPath expression at offset ${p}: ${expr}`);
    steps.push({ descendant, test: { kind: attribute ? 'attribute' : 'element', name: m[0] } });
    p += m[0].length + (attribute ? 1 : 0);
  }
  if (steps.length === 0) throw new Error(`unsupported XPath expression (no step): ${expr}`);
  return { source: expr, steps };
}

/** xmlNodeGetContent of an element: all text below it, in document order. */
export function textContent(element: XmlElement): string {
  let out = '';
  const stack: XmlNode[] = [element];
  while (stack.length > 0) {
    const node = stack.pop() as XmlNode;
    if (node.kind === 'text') out += node.value;
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as XmlNode);
  }
  return out;
}

/** Elements below `from` (descendants, document order), not `from` itself. */
function descendants(from: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [];
  for (let i = from.children.length - 1; i >= 0; i--) {
    const c = from.children[i] as XmlNode;
    if (c.kind === 'element') stack.push(c);
  }
  while (stack.length > 0) {
    const node = stack.pop() as XmlElement;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) {
      const c = node.children[i] as XmlNode;
      if (c.kind === 'element') stack.push(c);
    }
  }
  return out;
}

function isNamespaceDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

/** Evaluates a compiled query; returns one value per selected node, in document order. */
export function evaluateXpath(doc: XmlDocument, query: XpathQuery): string[] {
  // The context starts at the document node, whose only child element is the root.
  const documentNode: XmlElement = { kind: 'element', name: '', attributes: [], children: [doc.root] };
  let context: XmlElement[] = [documentNode];
  const steps = query.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    // descendant-or-self::node()/step: the context nodes and all their descendants.
    let bases = context;
    if (step.descendant) {
      const seen = new Set<XmlElement>();
      bases = [];
      // Context nodes are in document order: a node already seen lies in an
      // earlier node's subtree, and so does its own subtree.
      for (const c of context) {
        if (seen.has(c)) continue;
        for (const e of [c, ...descendants(c)]) {
          seen.add(e);
          bases.push(e);
        }
      }
    }
    const test = step.test;
    if (test.kind === 'attribute') {
      const out: string[] = [];
      for (const e of bases) {
        for (const a of e.attributes) {
          if (isNamespaceDeclaration(a.name)) continue;
          if (test.name === '*' || test.name === a.name) out.push(a.value);
        }
      }
      return out;
    }
    if (test.kind === 'text') {
      const out: string[] = [];
      for (const e of bases) for (const c of e.children) if (c.kind === 'text') out.push(c.value);
      return out;
    }
    const next: XmlElement[] = [];
    for (const e of bases) {
      for (const c of e.children) {
        if (c.kind === 'element' && (test.name === '*' || test.name === c.name)) next.push(c);
      }
    }
    context = next;
  }
  return context.map(textContent);
}

const compiled = new Map<string, XpathQuery>();

/** `XML:<expr>` values: compiles (memoised) and evaluates `expr` on `doc`. */
export function xpath(doc: XmlDocument, expr: string): string[] {
  let query = compiled.get(expr);
  if (query === undefined) {
    query = compileXpath(expr);
    if (compiled.size < 1000) compiled.set(expr, query);
  }
  return evaluateXpath(doc, query);
}
