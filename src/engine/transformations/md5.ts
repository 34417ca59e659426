/**
 * t:md5
 *
 * Description: Replaces the value with its MD5 digest: 16 raw bytes (combine
 * with t:hexEncode for readable text), as ModSecurity.
 * Arguments: none.
 * Example: SecRule ARGS:pw "@streq 5f4dcc3b5aa765d61d8327deb882cf99" "id:1,phase:2,t:none,t:md5,t:hexEncode,deny"
 */
import { createHash } from 'node:crypto';
import type { Transformation } from './types.ts';

export const md5: Transformation = (input) => createHash('md5').update(input, 'latin1').digest().toString('latin1');
