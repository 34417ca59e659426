/**
 * The directive registry: lower-cased SecLang directive name → handler.
 * `Include` is handled by the parser itself. Any other name fails loading with
 * `unsupported directive <name>`.
 */
import type { DirectiveHandler } from './types.ts';
import { acceptedDirectives } from './accepted.ts';
import { engineDirectives } from './engine.ts';
import { exclusionDirectives } from './exclusions.ts';
import { secAction, secDefaultAction, secMarker, secRule } from './rules.ts';

const DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  secrule: secRule,
  secaction: secAction,
  secmarker: secMarker,
  secdefaultaction: secDefaultAction,
  ...engineDirectives,
  ...exclusionDirectives,
  ...acceptedDirectives,
};

export function getDirective(name: string): DirectiveHandler | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(DIRECTIVES, key) ? DIRECTIVES[key] : undefined;
}

export function directiveNames(): string[] {
  return Object.keys(DIRECTIVES);
}
