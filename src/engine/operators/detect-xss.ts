/**
 * `@detectXSS`
 *
 * Description: matches when the input is cross-site scripting according to
 * libinjection (tokenizing it as HTML5 in text and attribute-value contexts
 * and checking tags, attribute names and URL-valued attributes).
 *
 * Arguments: none.
 *
 * Example:
 *   SecRule ARGS "@detectXSS" "id:941100,phase:2,t:none,t:utf8toUnicode,t:urlDecodeUni,\
 *     t:htmlEntityDecode,t:jsDecode,t:cssDecode,t:removeNulls,block,\
 *     msg:'XSS Attack Detected via libinjection'"
 */
import { RuleError } from '../errors.ts';
import { detectXss as libinjectionXss } from '../libinjection/xss.ts';
import type { Operator, OperatorContext, OperatorFactory } from './types.ts';

export const detectXss: OperatorFactory = (argument: string, context: OperatorContext): Operator => {
  if (argument.trim() !== '') {
    throw new RuleError(`@detectXSS takes no argument, got "${argument}"`, context.file, context.line);
  }
  return {
    match(input: string): boolean {
      return libinjectionXss(input);
    },
  };
};
