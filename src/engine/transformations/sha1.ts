/**
 * t:sha1
 *
 * Description: Replaces the value with its SHA-1 digest: 20 raw bytes (combine
 * with t:hexEncode for readable text), as ModSecurity.
 * Arguments: none.
 * Example: SecRule REQUEST_COOKIES:s "@streq 0" "id:1,phase:1,t:none,t:sha1,t:hexEncode,pass"
 */
import { createHash } from 'node:crypto';
import type { Transformation } from './types.ts';

export const sha1: Transformation = (input) => createHash('sha1').update(input, 'latin1').digest().toString('latin1');
