/**
 * Directives picket accepts without effect, each for a stated reason
 * (listed in docs/seclang-support.md). They are validated for an argument count
 * so typos still fail.
 *
 * - SecAuditLog, SecAuditLog2, SecAuditLogType, SecAuditLogFormat, SecAuditLogStorageDir,
 *   SecAuditLogDirMode, SecAuditLogFileMode: picket's JSON audit log is configured by picket
 *   (config file), not by SecLang.
 * - SecDebugLog, SecDebugLogLevel: picket logs through its own structured logger.
 * - SecTmpDir, SecDataDir, SecUploadDir, SecUploadKeepFiles, SecUploadFileMode, SecTmpSaveUploadedFiles:
 *   picket keeps bodies in memory and persists no collections.
 * - SecUnicodeMapFile, SecUnicodeCodePage: t:urlDecodeUni uses a fixed best-fit map (code page 20127).
 * - SecStatusEngine: no phone-home.
 * - SecCacheTransformations: picket always caches transformation results per transaction.
 * - SecHttpBlKey, SecGeoLookupDb: no @rbl/@geoLookup data (the operators report themselves).
 */
import { RuleError } from '../../errors.ts';
import type { DirectiveHandler } from './types.ts';

function accept(min: number, max: number): DirectiveHandler {
  return (_b, d) => {
    if (d.args.length < min || d.args.length > max) {
      throw new RuleError(`${d.name} takes ${min === max ? min : `${min}-${max}`} argument(s), got ${d.args.length}`, d.file, d.line);
    }
  };
}

export const acceptedDirectives: Readonly<Record<string, DirectiveHandler>> = {
  secauditlog: accept(1, 1),
  secauditlog2: accept(1, 1),
  secauditlogtype: accept(1, 1),
  secauditlogformat: accept(1, 1),
  secauditlogstoragedir: accept(1, 1),
  secauditlogdirmode: accept(1, 1),
  secauditlogfilemode: accept(1, 1),
  secdebuglog: accept(1, 1),
  secdebugloglevel: accept(1, 1),
  sectmpdir: accept(1, 1),
  secdatadir: accept(1, 1),
  secuploaddir: accept(1, 1),
  secuploadkeepfiles: accept(1, 1),
  secuploadfilemode: accept(1, 1),
  sectmpsaveuploadedfiles: accept(1, 1),
  secunicodemapfile: accept(1, 2),
  secunicodecodepage: accept(1, 1),
  secstatusengine: accept(1, 1),
  seccachetransformations: accept(1, 2),
  sechttpblkey: accept(1, 1),
  secgeolookupdb: accept(1, 1),
};
