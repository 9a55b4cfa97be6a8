#ifndef NPQ_CFILESYSTEM_H
#define NPQ_CFILESYSTEM_H

/// syncfs(2): commits the whole file system that `fd` is on to disk, data and metadata (renames included), in one
/// call. glibc declares it only under _GNU_SOURCE, which Swift's Glibc module is not built with, hence this wrapper.
/// Returns 0, or -1 with errno set (Linux 5.8 and later report writeback errors here).
int npq_syncfs(int fd);

#endif
