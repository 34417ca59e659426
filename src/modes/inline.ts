/**
 * inline: phases 1-2 run before anything is forwarded and an interruption is
 * answered by picket (the rule's status, 403 by default, with only the
 * request id in the body; `drop` closes the connection; `redirect` answers
 * with Location). Phases 3-4 run on the response and can still replace it
 * while it has not started.
 */
import { createInPathMode } from './in-path.ts';

export const inlineMode = createInPathMode('inline', true);
