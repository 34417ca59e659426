/**
 * xmlns (data)
 * Description: binds an XPath prefix to a namespace URI for the rule's `XML:/xpath` targets
 *   (ModSecurity v2 registers it in libxml2's XPath context). Names in the XPath then match
 *   by namespace, not by the prefix the document happens to use; an unprefixed name matches
 *   only elements in no namespace, and a prefix the rule does not declare matches nothing.
 * Arguments: `prefix=uri` (quotes around the URI are allowed); repeatable.
 * Example: SecRule XML:/soap:Envelope/soap:Body "@rx x" "id:1,phase:2,xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';

export const xmlns: ActionDefinition = {
  kind: 'data',
  apply(set, argument, ctx) {
    const eq = argument === undefined ? -1 : argument.indexOf('=');
    const prefix = eq === -1 ? '' : (argument as string).slice(0, eq).trim();
    let uri = eq === -1 ? '' : (argument as string).slice(eq + 1).trim();
    if (uri.length >= 2 && (uri[0] === "'" || uri[0] === '"') && uri.endsWith(uri[0])) uri = uri.slice(1, -1);
    if (!/^[A-Za-z_][\w.-]*$/.test(prefix) || uri === '') {
      throw new RuleError(`xmlns: expected prefix=uri, got '${argument ?? ''}'`, ctx.file, ctx.line);
    }
    set.xmlns.push({ prefix, uri });
  },
};
