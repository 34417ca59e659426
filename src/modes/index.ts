/**
 * The one place that decides which mode handles a request.
 *
 * - Global mode `mirror`: every request is a mirrored copy; route options
 *   cannot turn a mirror receiver into a proxy (it has nowhere to forward).
 * - Global `inline` or `detect`: a route may choose `inline` or `detect` for
 *   its service (e.g. a Swarm label). A route asking for `mirror` while
 *   picket is in the request path runs as `detect`: forwarded, never blocked,
 *   which is what out-of-path inspection promises the service.
 */
import type { Mode as ModeName } from '../config/types.ts';
import type { Route } from '../discovery/types.ts';
import { detectMode } from './detect.ts';
import { inlineMode } from './inline.ts';
import { mirrorMode } from './mirror.ts';
import type { Mode } from './types.ts';

export function selectMode(global: ModeName, route: Route | undefined): Mode {
  if (global === 'mirror') return mirrorMode;
  const wanted = route?.waf.mode ?? global;
  return wanted === 'inline' ? inlineMode : detectMode;
}

export type { Mode, Exchange, UpgradeExchange, ModeServices } from './types.ts';
