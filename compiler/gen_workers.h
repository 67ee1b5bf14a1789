/* gen_workers.h - `regc gen -j N`: the files to generate shared among N
 * worker processes, and what each sends back.
 *
 * The parent forks the workers once it knows which files must be read
 * (the stamp has said which are unchanged). Worker k takes the k-th of N
 * runs of neighbouring files in that list, does for each what a run of
 * one process does (read, check, generate into PATH.tmp files) and writes
 * a result per file into a temporary file of its own: the file's record
 * (gen_stamp.h), its diagnostics, what it printed besides them and whether
 * a write failed. The parent reads the results when every worker has
 * ended and goes on in the order of the files, so that what it prints and
 * writes is what one process would print and write. */
#ifndef REGC_GEN_WORKERS_H
#define REGC_GEN_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "gen_stamp.h"

/* One file's result, as a worker sends it. */
typedef struct {
    size_t file;        /* its position among the run's files */
    gen_record rec;     /* path, reused: left to the parent */
    diag_list diags;    /* its diagnostics, under the run's options */
    char *notes;        /* what it printed besides them (may be "") */
    char *staged;       /* the PATH.tmp files it wrote: PATH a line (may be "") */
    int status;         /* 0, or 3 when a write failed */
    bool generated;     /* it got as far as writing its files */
} gen_result;

/* Does the work of one file in a worker; fills res (file is set). */
typedef void (*gen_work)(size_t file, gen_result *res, void *arg);

/* Runs nworkers workers over files[0..n-1], calling work for each in a
 * child, and returns every result in results[0..n-1] in the order of
 * files. 0, or -1 after saying on stderr which worker failed and how (the
 * results are then incomplete and are freed). */
int gen_workers_run(const size_t *files, size_t n, int nworkers, gen_work work, void *arg,
                    gen_result *results);
void gen_result_free(gen_result *r);

/* How many workers -j asks for when it is not given: the processors online. */
int gen_workers_default(void);

#endif
