/**
 * `@ipMatch`
 *
 * Description: Matches when the input is an IPv4 or IPv6 address inside one of
 * the listed networks. Entries are addresses, CIDR networks (`10.0.0.0/8`,
 * `2001:db8::/32`), IPv4 netmasks (`10.0.0.0/255.0.0.0`) or partial IPv4
 * networks (`192.168`), separated by commas. An input that is not an address
 * does not match.
 *
 * Arguments: comma-separated networks.
 *
 * Example:
 *   SecRule REMOTE_ADDR "@ipMatch 127.0.0.1,::1,10.0.0.0/8" "id:1,phase:1,pass,nolog,ctl:ruleEngine=Off"
 */
import { RuleError } from '../errors.ts';
import { IpSet } from './ip-set.ts';
import type { OperatorFactory } from './types.ts';

export const ipMatch: OperatorFactory = (argument, context) => {
  const set = new IpSet();
  for (const entry of argument.split(',')) {
    const text = entry.trim();
    if (text === '') continue;
    try {
      set.add(text);
    } catch (e) {
      throw new RuleError(`@ipMatch: ${(e as Error).message}`, context.file, context.line);
    }
  }
  if (set.size === 0) throw new RuleError('@ipMatch: no network given', context.file, context.line);
  return { match: (input) => set.has(input) };
};
