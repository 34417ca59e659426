/**
 * detect: the same evaluation as inline, but nothing is ever blocked: an
 * interruption is reported with the verdict 'would-block' and the request and
 * response go through unchanged. Use it to tune a ruleset on live traffic.
 */
import { createInPathMode } from './in-path.ts';

export const detectMode = createInPathMode('detect', false);
