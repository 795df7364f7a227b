/** One-line, human reasons for file-system errors, naming the usual fix where there is one. */

const SYSFS_TABLES = '/sys/firmware/acpi/tables';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a component of the path is not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'path too long',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
};

export function describeFileError(error: unknown, path: string): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return path.startsWith(SYSFS_TABLES)
      ? `permission denied (tables under ${SYSFS_TABLES} are readable by root only; try sudo)`
      : 'permission denied';
  }
  if (typeof code === 'string' && REASONS[code] !== undefined) return REASONS[code]!;
  return error instanceof Error ? error.message : String(error);
}
