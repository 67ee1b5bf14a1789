/* gen_stamp.h - what `regc gen` remembers between runs, so that a run
 * after a change to one rule file reads and rewrites only that file.
 *
 * The stamp file (DIR/.regc-gen-stamp) holds a line per rule file that the
 * last run generated without a diagnostic: its path, the identity of the
 * file then (device, inode, size, modification time), a hash of its bytes,
 * its region and regulation, the names of the files generated from it, and
 * what the check of a service's wordings needs (versions.h).
 * A header line names the regc that wrote it (a hash of its executable's
 * identity) and the warning options: any other regc or options, and the
 * stamp is ignored. A rule file whose identity or bytes differ is generated again. */
#ifndef REGC_GEN_STAMP_H
#define REGC_GEN_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "diag.h"

#define GEN_STAMP_NAME ".regc-gen-stamp"

typedef struct {
    uint64_t dev, ino, size, mtime_s, mtime_ns;
} file_identity;

/* One rule file: what the cross-file checks, the region files and the
 * pruning of stale files need, without its tree. */
typedef struct {
    char *path;
    char *region;
    char *id;
    char *outputs;       /* names of its generated files, each ending in '\n' */
    char *wording;       /* versions_key(): what the check across wordings needs */
    char *index_row;     /* page_index_row(): its row in the region's index page */
    file_identity ident;
    uint64_t hash;       /* of its bytes */
    bool stampable;      /* generated without a diagnostic */
    bool reused;         /* unchanged since the stamp: not read this run */
} gen_record;

/* A region's directory as the last run left it: while its identity (and
 * so its modification time) is the same, nobody has added, removed or
 * renamed a file in it, and it holds exactly the files of that run. */
typedef struct {
    char *region;
    file_identity ident;
    uint64_t nfiles;     /* rule files of the region in that run */
} gen_dir_stamp;

typedef struct {
    gen_record *items;   /* sorted by path */
    size_t count;
    gen_dir_stamp *dirs;
    size_t ndirs;
    uint64_t key;        /* regc and the options it was written for */
} gen_stamp;

void file_identity_of(const struct stat *st, file_identity *id);
uint64_t hash_bytes(uint64_t h, const void *p, size_t n);
#define HASH_SEED 1469598103934665603u

/* The hash of this regc's executable combined with the warning options;
 * 0 when the executable cannot be read (then no stamp is used). */
uint64_t gen_stamp_key(const warn_options *w);

/* Reads DIR's stamp; an absent, unreadable or foreign one is empty. */
void gen_stamp_load(gen_stamp *s, const char *dir, uint64_t key);
gen_record *gen_stamp_find(const gen_stamp *s, const char *path);
/* What the stamp says of the directory of region; NULL if nothing. */
const gen_dir_stamp *gen_stamp_dir(const gen_stamp *s, const char *region);
/* Writes DIR's stamp from records (those stampable) and the region
 * directories; 0 or -1. */
int gen_stamp_save(const char *dir, uint64_t key, const gen_record *recs, size_t n,
                   const gen_dir_stamp *dirs, size_t ndirs);
void gen_stamp_free(gen_stamp *s);
void gen_record_free(gen_record *r);

#endif
