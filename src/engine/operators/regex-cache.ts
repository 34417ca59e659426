/**
 * Compiled `@rx` patterns shared across rules: CRS repeats patterns, and each
 * compiled RegExp is stateless (no g/y flag), so one instance serves every rule.
 */
import { PcreSyntaxError, translatePcre, type TranslatedPattern } from './pcre.ts';

export interface CompiledRegex extends TranslatedPattern {
  readonly regex: RegExp;
}

const cache = new Map<string, CompiledRegex>();

/** Byte string of a pattern: characters above 0xFF (a file read as UTF-8) become their UTF-8 bytes. */
export function patternBytes(pattern: string): string {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.charCodeAt(i) > 0xff) return Buffer.from(pattern, 'utf8').toString('latin1');
  }
  return pattern;
}

/**
 * Translates and compiles a PCRE pattern, memoized by pattern text.
 * Throws PcreSyntaxError (untranslatable construct) or SyntaxError (invalid pattern).
 */
export function compileRegex(pattern: string): CompiledRegex {
  const bytes = patternBytes(pattern);
  let compiled = cache.get(bytes);
  if (!compiled) {
    compiled = compileUncached(bytes);
    cache.set(bytes, compiled);
  }
  return compiled;
}

/** Translates and compiles without touching the shared cache (run-time patterns). */
export function compileUncached(pattern: string): CompiledRegex {
  const translated = translatePcre(patternBytes(pattern));
  return { ...translated, regex: new RegExp(translated.source) };
}

/** Number of distinct compiled patterns (for tests and metrics). */
export function regexCacheSize(): number {
  return cache.size;
}

export { PcreSyntaxError };
