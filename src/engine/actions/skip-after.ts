/**
 * skipAfter (flow)
 * Description: on match, skips every rule up to and including the SecMarker (or rule id)
 * named; when it is not found later in the phase, the rest of the phase is skipped.
 * Arguments: a marker name or rule id.
 * Example: SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:1,phase:1,pass,nolog,skipAfter:END-PL2"
 */
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

export const skipAfter: ActionDefinition = {
  kind: 'flow',
  apply(set, argument, ctx) {
    set.skipAfter = requireArgument('skipAfter', argument, ctx).trim();
  },
};
