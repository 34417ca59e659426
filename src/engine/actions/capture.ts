/**
 * capture (data)
 * Description: lets @rx (and other capturing operators) store groups in TX:0-9.
 * Arguments: none.
 * Example: SecRule ARGS "@rx (\d+)" "id:1,capture,setvar:tx.num=%{TX.1}"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const capture: ActionDefinition = {
  kind: 'data',
  apply(set, argument, ctx) {
    forbidArgument('capture', argument, ctx);
    set.capture = true;
  },
};
