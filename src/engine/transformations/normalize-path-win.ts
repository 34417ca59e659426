/**
 * t:normalizePathWin (alias t:normalisePathWin)
 *
 * Description: Like t:normalizePath, after converting backslashes to forward
 * slashes (Windows paths).
 * Arguments: none.
 * Example: SecRule REQUEST_FILENAME "@contains /windows/win.ini" "id:1,phase:1,t:none,t:normalizePathWin,deny"
 */
import type { Transformation } from './types.ts';
import { normalizePathBytes } from './normalize-path.ts';

export const normalizePathWin: Transformation = (input) => normalizePathBytes(input, true);
