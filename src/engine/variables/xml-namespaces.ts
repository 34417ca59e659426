/**
 * Namespace-aware names for `XML:/xpath` targets, as ModSecurity v2 evaluates them with
 * libxml2: an XPath name `p:local` selects nodes whose namespace is the URI the rule bound
 * to `p` (`xmlns:p=uri` action), whatever prefix the document used; an unprefixed name
 * selects only nodes in no namespace (a document's default namespace hides its elements
 * from `/local`); a prefix the rule did not bind selects nothing.
 *
 * The XPath evaluator (body/xpath.ts) matches names literally, so the engine gives it a
 * view of the document whose names are rewritten from the rule's point of view:
 * no namespace → `local`; a URI the rule bound to `q` → `q:local`; any other URI (or an
 * undeclared document prefix) → a name no XPath can spell. Text and values are unchanged,
 * so `/*` and `//@*` (all CRS uses) select exactly what they did.
 *
 * Example: `<s:Envelope xmlns:s="urn:soap"><s:Body>x</s:Body></s:Envelope>` seen with
 * `xmlns:soap=urn:soap` has names `soap:Envelope` and `soap:Body`.
 */
import type { XmlAttribute, XmlDocument, XmlElement, XmlNode, XpathQuery } from '../body/index.ts';

/** Bound in every document (XML Namespaces §3). */
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** Prefix `\0` cannot appear in an XPath name: such nodes match only `*` tests. */
const UNREACHABLE = '\u0000';

/** Whether a query names elements or attributes (`/*`, `//@*` and `text()` do not: the view is not needed). */
export function xpathUsesNames(query: XpathQuery): boolean {
  for (const step of query.steps) if (step.test.kind !== 'text' && step.test.name !== '*') return true;
  return false;
}

/** The document as the rule's namespace bindings (prefix → URI) name it. */
export function namespaceView(doc: XmlDocument, bindings: ReadonlyMap<string, string>): XmlDocument {
  const prefixOf = new Map<string, string>();
  for (const [prefix, uri] of bindings) if (!prefixOf.has(uri)) prefixOf.set(uri, prefix);
  return { root: viewElement(doc.root, new Map([['xml', XML_NAMESPACE]]), prefixOf) };
}

function split(name: string): [prefix: string | undefined, local: string] {
  const colon = name.indexOf(':');
  return colon === -1 ? [undefined, name] : [name.slice(0, colon), name.slice(colon + 1)];
}

function rename(local: string, uri: string | undefined, prefixOf: ReadonlyMap<string, string>): string {
  if (uri === undefined || uri === '') return local;
  const prefix = prefixOf.get(uri);
  return prefix === undefined ? `${UNREACHABLE}${local}` : `${prefix}:${local}`;
}

/** `scope` maps document prefixes ('' for the default namespace) to URIs in force at `e`'s parent. */
function viewElement(e: XmlElement, parentScope: ReadonlyMap<string, string>, prefixOf: ReadonlyMap<string, string>): XmlElement {
  let scope = parentScope;
  for (const a of e.attributes) {
    if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) continue;
    if (scope === parentScope) scope = new Map(parentScope);
    (scope as Map<string, string>).set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value);
  }
  const [prefix, local] = split(e.name);
  const uri = prefix === undefined ? scope.get('') : scope.get(prefix);
  const name = prefix !== undefined && uri === undefined ? `${UNREACHABLE}${local}` : rename(local, uri, prefixOf);
  const attributes: XmlAttribute[] = e.attributes.map((a) => {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) return a;
    const [ap, al] = split(a.name);
    // Unprefixed attributes are in no namespace: the default namespace does not apply to them.
    if (ap === undefined) return a;
    const auri = scope.get(ap);
    return { name: auri === undefined ? `${UNREACHABLE}${al}` : rename(al, auri, prefixOf), value: a.value };
  });
  const children: XmlNode[] = e.children.map((c) => (c.kind === 'element' ? viewElement(c, scope, prefixOf) : c));
  return { kind: 'element', name, attributes, children };
}
