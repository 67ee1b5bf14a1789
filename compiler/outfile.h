/* outfile.h - writing generated files safely and only when they change. */
#ifndef REGC_OUTFILE_H
#define REGC_OUTFILE_H

/* Creates dir and its parents (like mkdir -p). Returns 0 or -1 with a
 * message on stderr. */
int make_dirs(const char *dir);

/* Writes text to path through a temporary file and a rename, so a reader
 * never sees half a file; leaves the file alone when it already holds
 * exactly text (its timestamp too, so make does not rebuild needlessly).
 * Returns 0 or -1 with a message on stderr. */
int write_if_changed(const char *path, const char *text);

#endif
