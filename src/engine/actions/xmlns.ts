/**
 * xmlns (data)
 * Description: declares an XML namespace prefix for XPath in XML:/... targets. Accepted; namespace prefixes are not yet passed to XPath.
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecRule XML:/soap:Envelope "@rx x" "id:1,xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/"
 */
import type { ActionDefinition } from './types.ts';

export const xmlns: ActionDefinition = {
  kind: 'data',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
