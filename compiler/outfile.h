/* outfile.h - writing generated files safely and only when they change. */
#ifndef REGC_OUTFILE_H
#define REGC_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Creates dir and its parents (like mkdir -p). Returns 0 or -1 with a
 * message on stderr. */
int make_dirs(const char *dir);

/* Writes text to path through a temporary file and a rename, so a reader
 * never sees half a file; leaves the file alone when it already holds
 * exactly text (its timestamp too, so make does not rebuild needlessly).
 * Returns 0 or -1 with a message on stderr. */
int write_if_changed(const char *path, const char *text);

/* Writes that take effect together: each file that would change is
 * written beside its place as PATH.tmp, and staged_commit renames them all
 * into place, or staged_abandon removes them, so a run that fails halfway
 * leaves the old files as they were. */
typedef struct {
    char **paths;
    size_t count, cap;
} staged_writes;

/* Like write_if_changed, but the new file stays PATH.tmp until commit.
 * may_exist false: the caller knows path is not there (its directory was
 * listed), so its contents are not read to compare. Returns 0 or -1 with a
 * message on stderr. */
int write_staged(staged_writes *s, const char *path, const char *text, bool may_exist);
/* Counts path (whose PATH.tmp another process wrote) among the writes. */
void staged_add(staged_writes *s, const char *path);
int staged_commit(staged_writes *s);
void staged_abandon(staged_writes *s);

#endif
