/**
 * t:normalizePath (alias t:normalisePath)
 *
 * Description: Normalises a path as ModSecurity v2's normalize_path_inplace:
 * collapses repeated slashes, removes `./` self references, resolves `../`
 * against the previous segment without going above the root (a relative path
 * keeps the `..` it cannot resolve), and drops a trailing slash the input did
 * not have.
 * Arguments: none.
 * Example: SecRule REQUEST_FILENAME "@contains /etc/passwd" "id:1,phase:1,t:none,t:normalizePath,deny"
 */
import type { Transformation } from './types.ts';

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
/** What the algorithm can change: `//`, a `.` next to a separator or at either end. */
const WORK = /\/\/|\/\.|\.\/|^\.|\.$/;
const WIN_WORK = /\\|\/\/|\/\.|\.\/|^\.|\.$/;

/** The shared algorithm; `win` also treats backslashes as separators. */
export function normalizePathBytes(input: string, win: boolean): string {
  const len = input.length;
  if (len === 0) return input;
  // Without a separator only a final `.` is ever looked at: such inputs come back unchanged
  // (most values rules run this on), so skip the copy into a Buffer.
  if (input.charCodeAt(len - 1) !== DOT && !input.includes('/') && !(win && input.includes('\\'))) return input;
  // Nor does a path without an empty segment or a `.`/`..` segment (most URL paths, e.g. `/a/b.php`).
  if (!(win ? WIN_WORK : WORK).test(input)) return input;
  const buf = Buffer.from(input, 'latin1');
  const end = len - 1;
  let src = 0;
  let dst = 0;
  let ldst = 1;
  let hitRoot = false;
  let done = false;
  const relative = !(buf[0] === SLASH || (win && buf[0] === BACKSLASH));
  const trailing = buf[end] === SLASH || (win && buf[end] === BACKSLASH);

  while (!done && src <= end && dst <= end) {
    if (win) {
      if (buf[src] === BACKSLASH) buf[src] = SLASH;
      if (src < end && buf[src + 1] === BACKSLASH) buf[src + 1] = SLASH;
    }
    let copy = true;
    let normalise = true;
    if (src === end) {
      done = true;
    } else if (buf[src + 1] !== SLASH) {
      normalise = false;
    }
    if (normalise) {
      if (src !== end && buf[src] === SLASH) {
        // Empty segment: the copy step below skips the extra slashes.
      } else if (buf[src] === DOT) {
        if (dst > 0 && buf[dst - 1] === DOT) {
          // Back reference.
          if (relative && (hitRoot || dst - 2 <= 0)) {
            hitRoot = true;
          } else {
            dst -= 3;
            while (dst > 0 && buf[dst] !== SLASH) dst--;
            if (dst <= 0) {
              hitRoot = true;
              dst = 0;
              if (!relative && src === end) dst++;
            }
            if (done) {
              copy = false;
            } else {
              src++;
            }
          }
        } else if (dst === 0) {
          // Relative self reference.
          if (done) copy = false;
          else src++;
        } else if (buf[dst - 1] === SLASH) {
          // Self reference.
          if (done) {
            copy = false;
          } else {
            dst--;
            src++;
          }
        }
      } else if (dst > 0) {
        hitRoot = false;
      }
    }
    if (copy) {
      let skip = false;
      if (buf[src] === SLASH) {
        while (src < end && (buf[src + 1] === SLASH || (win && buf[src + 1] === BACKSLASH))) src++;
        if (relative && dst === 0) {
          src++;
          skip = true;
        }
      }
      if (!skip) buf[dst++] = buf[src++] as number;
    }
    ldst = dst;
  }
  if (!trailing && dst > 0 && buf[dst - 1] === SLASH) ldst--;
  const out = buf.toString('latin1', 0, ldst);
  return out === input ? input : out;
}

export const normalizePath: Transformation = (input) => normalizePathBytes(input, false);
