/**
 * setenv (non-disruptive)
 * Description: sets an ENV variable for this transaction (readable as ENV:name; picket
 * does not export it to a web server).
 * Arguments: `name=value` (macros expanded); `!name` removes.
 * Example: SecRule REMOTE_ADDR "@ipMatch 10.0.0.1" "id:1,pass,setenv:trusted=1"
 */
import type { Macro } from '../macro.types.ts';
import type { ActionDefinition, ActionHost, RuntimeAction } from './types.ts';
import { requireArgument } from './argument.ts';

class SetEnv implements RuntimeAction {
  readonly name = 'setenv';
  readonly #key: Macro;
  readonly #value: Macro | null;

  constructor(key: Macro, value: Macro | null) {
    this.#key = key;
    this.#value = value;
  }

  execute(host: ActionHost): void {
    const env = host.collection('ENV');
    if (env === undefined) return;
    const key = this.#key.expand(host);
    if (this.#value === null) env.remove(key);
    else env.set(key, this.#value.expand(host));
  }
}

export const setenv: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    const text = requireArgument('setenv', argument, ctx);
    const eq = text.indexOf('=');
    const name = (eq === -1 ? text : text.slice(0, eq)).trim();
    if (name.startsWith('!')) {
      set.actions.push(new SetEnv(ctx.compileMacro(name.slice(1)), null));
      return;
    }
    set.actions.push(new SetEnv(ctx.compileMacro(name), ctx.compileMacro(eq === -1 ? '1' : text.slice(eq + 1))));
  },
};
