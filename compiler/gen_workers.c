/* gen_workers.c - worker processes for regc gen (see gen_workers.h).
 *
 * Results go through unlinked temporary files rather than pipes: a worker
 * never waits for the parent to read, and the parent reads each file once
 * its worker has ended. A result is a run of fields, each a number or a
 * length-prefixed string (length 2^64-1 for NULL). */
#include "gen_workers.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define NO_STRING UINT64_MAX

/* ---- writing and reading fields ---- */

static void put_u64(FILE *f, uint64_t v) { fwrite(&v, sizeof v, 1, f); }

static void put_str(FILE *f, const char *s)
{
    put_u64(f, s ? strlen(s) : NO_STRING);
    if (s)
        fwrite(s, 1, strlen(s), f);
}

static bool get_u64(FILE *f, uint64_t *v) { return fread(v, sizeof *v, 1, f) == 1; }

static bool get_str(FILE *f, char **s)
{
    uint64_t n;
    *s = NULL;
    if (!get_u64(f, &n))
        return false;
    if (n == NO_STRING)
        return true;
    if (n > (1u << 30))
        return false;
    *s = xmalloc((size_t)n + 1);
    if (fread(*s, 1, (size_t)n, f) != (size_t)n)
        return false;
    (*s)[n] = '\0';
    return true;
}

static void put_result(FILE *f, const gen_result *r)
{
    put_u64(f, r->file);
    put_str(f, r->rec.region);
    put_str(f, r->rec.id);
    put_str(f, r->rec.outputs);
    put_str(f, r->rec.wording);
    put_str(f, r->rec.index_row);
    const file_identity *id = &r->rec.ident;
    put_u64(f, id->dev), put_u64(f, id->ino), put_u64(f, id->size), put_u64(f, id->mtime_s), put_u64(f, id->mtime_ns);
    put_u64(f, r->rec.hash);
    put_u64(f, r->rec.stampable);
    put_str(f, r->notes);
    put_str(f, r->staged);
    put_u64(f, (uint64_t)r->status);
    put_u64(f, r->generated);
    const diag_list *d = &r->diags;
    put_u64(f, (uint64_t)d->errors), put_u64(f, (uint64_t)d->warnings), put_u64(f, (uint64_t)d->dropped);
    put_u64(f, d->count);
    for (size_t i = 0; i < d->count; i++) {
        const diagnostic *g = &d->items[i];
        put_u64(f, g->sev);
        put_str(f, g->flag), put_str(f, g->check), put_str(f, g->file);
        put_u64(f, (uint64_t)(int64_t)g->line), put_u64(f, (uint64_t)(int64_t)g->col);
        put_u64(f, (uint64_t)(int64_t)g->len), put_u64(f, (uint64_t)(int64_t)g->display_col);
        put_u64(f, (uint64_t)(int64_t)g->text_col);
        put_str(f, g->msg), put_str(f, g->hint), put_str(f, g->text);
    }
}

static bool get_int(FILE *f, int *v)
{
    uint64_t u;
    if (!get_u64(f, &u))
        return false;
    *v = (int)(int64_t)u;
    return true;
}

/* Reads one result; false at the end of the file or on a short one. */
static bool get_result(FILE *f, gen_result *r)
{
    memset(r, 0, sizeof *r);
    diag_init(&r->diags, NULL);
    uint64_t file, stampable, status, generated, count;
    int errors, warnings, dropped;
    file_identity *id = &r->rec.ident;
    if (!get_u64(f, &file))
        return false;
    r->file = (size_t)file;
    if (!get_str(f, &r->rec.region) || !get_str(f, &r->rec.id) || !get_str(f, &r->rec.outputs) ||
        !get_str(f, &r->rec.wording) || !get_str(f, &r->rec.index_row) || !get_u64(f, &id->dev) ||
        !get_u64(f, &id->ino) || !get_u64(f, &id->size) || !get_u64(f, &id->mtime_s) ||
        !get_u64(f, &id->mtime_ns) || !get_u64(f, &r->rec.hash) || !get_u64(f, &stampable) ||
        !get_str(f, &r->notes) || !get_str(f, &r->staged) || !get_u64(f, &status) || !get_u64(f, &generated) || !get_int(f, &errors) ||
        !get_int(f, &warnings) || !get_int(f, &dropped) || !get_u64(f, &count))
        return false;
    r->rec.stampable = stampable != 0;
    r->status = (int)status;
    r->generated = generated != 0;
    for (uint64_t i = 0; i < count; i++) {
        diagnostic g;
        memset(&g, 0, sizeof g);
        uint64_t sev;
        bool ok = get_u64(f, &sev) && get_str(f, &g.flag) && get_str(f, &g.check) && get_str(f, &g.file) &&
                  get_int(f, &g.line) && get_int(f, &g.col) && get_int(f, &g.len) && get_int(f, &g.display_col) &&
                  get_int(f, &g.text_col) && get_str(f, &g.msg) && get_str(f, &g.hint) && get_str(f, &g.text);
        g.sev = sev == SEV_ERROR ? SEV_ERROR : SEV_WARNING;
        if (ok)
            diag_append_copy(&r->diags, &g);
        free(g.flag), free(g.check), free(g.file), free(g.msg), free(g.hint), free(g.text);
        if (!ok)
            return false;
    }
    /* the counts include what the worker's list did not keep */
    r->diags.errors = errors;
    r->diags.warnings = warnings;
    r->diags.dropped = dropped;
    return true;
}

void gen_result_free(gen_result *r)
{
    gen_record_free(&r->rec);
    diag_free(&r->diags);
    free(r->notes);
    free(r->staged);
    memset(r, 0, sizeof *r);
}

int gen_workers_default(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* ---- the workers ---- */

/* Failure injection for the tests: REGC_GEN_WORKER_ABORT=k makes worker k
 * (counting from 1, as the messages do) abort after its first file, as a
 * worker killed halfway would end. */
static int abort_worker(void)
{
    const char *s = getenv("REGC_GEN_WORKER_ABORT");
    return s && *s ? atoi(s) : -1;
}

/* Worker k's share: a run of files next to each other, first..end-1.
 * Rule files come grouped by region, so each worker writes into
 * directories of its own, and the kernel does not make them take turns. */
static void share(int k, int nworkers, size_t n, size_t *first, size_t *end)
{
    *first = n * (size_t)k / (size_t)nworkers;
    *end = n * (size_t)(k + 1) / (size_t)nworkers;
}

static void worker(int k, int nworkers, const size_t *files, size_t n, gen_work work, void *arg, FILE *out)
{
    int dies = abort_worker();
    size_t first, end;
    share(k, nworkers, n, &first, &end);
    for (size_t i = first; i < end; i++) {
        gen_result r;
        memset(&r, 0, sizeof r);
        r.file = files[i];
        work(files[i], &r, arg);
        put_result(out, &r);
        gen_result_free(&r);
        if (dies == k + 1) {
            fflush(out);
            abort();
        }
    }
    fflush(stderr);
    _exit(fflush(out) == 0 && !ferror(out) ? 0 : 3);
}

int gen_workers_run(const size_t *files, size_t n, int nworkers, gen_work work, void *arg, gen_result *results)
{
    FILE **outs = xcalloc((size_t)nworkers, sizeof *outs);
    pid_t *pids = xcalloc((size_t)nworkers, sizeof *pids);
    int status = 0, started = 0;
    fflush(stdout);
    fflush(stderr);
    for (int k = 0; k < nworkers && status == 0; k++) {
        outs[k] = tmpfile();
        if (!outs[k]) {
            fprintf(stderr, "regc gen: cannot make a temporary file for worker %d: %s\n", k + 1, strerror(errno));
            status = -1;
            break;
        }
        pids[k] = fork();
        if (pids[k] < 0) {
            fprintf(stderr, "regc gen: cannot start worker %d: %s\n", k + 1, strerror(errno));
            status = -1;
            break;
        }
        if (pids[k] == 0)
            worker(k, nworkers, files, n, work, arg, outs[k]);
        started++;
    }
    for (int k = 0; k < started; k++) {
        int ws;
        while (waitpid(pids[k], &ws, 0) < 0 && errno == EINTR)
            ;
        if (WIFSIGNALED(ws)) {
            fprintf(stderr, "regc gen: worker %d (process %ld) was killed by signal %d (%s)\n", k + 1,
                    (long)pids[k], WTERMSIG(ws), strsignal(WTERMSIG(ws)));
            status = -1;
        } else if (WEXITSTATUS(ws) != 0) {
            fprintf(stderr, "regc gen: worker %d (process %ld) failed (exit status %d)\n", k + 1, (long)pids[k],
                    WEXITSTATUS(ws));
            status = -1;
        }
    }
    /* Worker k's results are those of its share, in order. */
    for (int k = 0; k < started && status == 0; k++) {
        rewind(outs[k]);
        size_t first, end;
        share(k, nworkers, n, &first, &end);
        for (size_t i = first; i < end; i++)
            if (!get_result(outs[k], &results[i]) || results[i].file != files[i]) {
                fprintf(stderr, "regc gen: worker %d sent a short or garbled result\n", k + 1);
                gen_result_free(&results[i]);
                status = -1;
                break;
            }
    }
    for (int k = 0; k < nworkers; k++)
        if (outs[k])
            fclose(outs[k]);
    if (status != 0)
        for (size_t i = 0; i < n; i++)
            gen_result_free(&results[i]);
    free(outs);
    free(pids);
    return status;
}
