/* cmd_gen.c - `regc gen`: compile rule files into generated/<region>/.
 *
 * Nothing is written unless every input passes: a half-updated generated/
 * directory would mix two versions of the rules. The files of a region
 * that the run did not produce are removed, so generated/ always mirrors
 * rules/ exactly (renamed regulations leave nothing stale behind).
 *
 * One file at a time: each is read, checked, generated into PATH.tmp files
 * and freed before the next, so memory does not grow with the number of
 * files; only a small record per file (gen_stamp.h) stays for the checks
 * across files, the region files and the pruning. When every file passes,
 * the .tmp files are renamed into place. A file whose bytes are those of
 * the last run (the stamp file) and whose generated files are all there is
 * not read again. With -j N, N worker processes read and generate the files
 * that must be (gen_workers.h); the parent goes on with their results in
 * the order of the files, so the output and the messages are the same. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends.h"
#include "check.h"
#include "commands.h"
#include "diag.h"
#include "fingerprint.h"
#include "gen_stamp.h"
#include "gen_workers.h"
#include "outfile.h"
#include "strbuf.h"
#include "unit.h"
#include "util.h"
#include "versions.h"

static const backend_fn backends[] = {
    backend_json,
    backend_c,
    backend_dot,
    backend_mermaid,
    backend_bpmn,
    /* then the page, written with the findings gen_unit reads once */
};

void out_files_add(out_files *o, char *name, char *text)
{
    o->files = xrealloc(o->files, (o->count + 1) * sizeof *o->files);
    o->files[o->count].name = name;
    o->files[o->count].text = text;
    o->count++;
}

void out_files_free(out_files *o)
{
    for (size_t i = 0; i < o->count; i++) {
        free(o->files[i].name);
        free(o->files[i].text);
    }
    free(o->files);
    o->files = NULL;
    o->count = 0;
}

static void gen_usage(FILE *out)
{
    fputs("usage: regc gen [-o DIR] [-j N] [--force] [-Werror] [-Wno-NAME] [-WNAME] FILE...\n"
          "\n"
          "Compiles rule files into DIR/<region>/ (default: generated): the JSON model,\n"
          "the C state machine and header, the diagrams, the BPMN document, the page\n"
          "(<service>.md), and a header and an index page (README.md) per region.\n"
          "Writes nothing when any file has errors; warnings are printed and do not\n"
          "stop it (unless -Werror). Files in DIR/<region>/ that this run does not\n"
          "produce are removed.\n"
          "\n"
          "A rule file unchanged since the last run into DIR (same bytes, same regc,\n"
          "same options; DIR/.regc-gen-stamp remembers them) is not read again, and\n"
          "only files whose contents change are rewritten. --force reads every file.\n"
          "\n"
          "-j N runs N worker processes (default: one per processor online); the\n"
          "output and the messages are those of -j 1.\n"
          "\n",
          out);
    check_usage(out);
    fputs("\n"
          "exit status: 0 ok, 1 errors in the input, 2 usage error, 3 write failure\n",
          out);
}

/* A set of file names, by hashing: a region holds thousands. The names
 * live in one pool; a slot holds an offset into it plus one (0: empty). */
typedef struct {
    size_t *slot;
    size_t cap, count;
    char *pool;
    size_t pool_len, pool_cap;
} name_set;

static size_t name_hash(const char *s, size_t n)
{
    return (size_t)hash_bytes(HASH_SEED, s, n);
}

static bool ns_equal(const name_set *ns, size_t slot, const char *name, size_t n)
{
    const char *have = ns->pool + ns->slot[slot] - 1;
    return strncmp(have, name, n) == 0 && have[n] == '\0';
}

static void ns_add(name_set *ns, const char *name, size_t n)
{
    if (2 * (ns->count + 1) > ns->cap) {
        size_t cap = ns->cap ? 2 * ns->cap : 1024;
        size_t *slot = xcalloc(cap, sizeof *slot);
        for (size_t i = 0; i < ns->cap; i++)
            if (ns->slot[i]) {
                const char *have = ns->pool + ns->slot[i] - 1;
                size_t h = name_hash(have, strlen(have)) & (cap - 1);
                while (slot[h])
                    h = (h + 1) & (cap - 1);
                slot[h] = ns->slot[i];
            }
        free(ns->slot);
        ns->slot = slot;
        ns->cap = cap;
    }
    size_t h = name_hash(name, n) & (ns->cap - 1);
    for (; ns->slot[h]; h = (h + 1) & (ns->cap - 1))
        if (ns_equal(ns, h, name, n))
            return;
    if (ns->pool_len + n + 1 > ns->pool_cap) {
        ns->pool_cap = 2 * (ns->pool_len + n + 1) + 4096;
        ns->pool = xrealloc(ns->pool, ns->pool_cap);
    }
    memcpy(ns->pool + ns->pool_len, name, n);
    ns->pool[ns->pool_len + n] = '\0';
    ns->slot[h] = ns->pool_len + 1;
    ns->pool_len += n + 1;
    ns->count++;
}

static bool ns_has(const name_set *ns, const char *name, size_t n)
{
    if (!ns->cap)
        return false;
    for (size_t h = name_hash(name, n) & (ns->cap - 1); ns->slot[h]; h = (h + 1) & (ns->cap - 1))
        if (ns_equal(ns, h, name, n))
            return true;
    return false;
}

static void ns_free(name_set *ns)
{
    free(ns->slot);
    free(ns->pool);
    memset(ns, 0, sizeof *ns);
}

/* Adds the names in dir (dot files left out) to ns. */
static void list_dir(const char *dir, name_set *ns)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            ns_add(ns, e->d_name, strlen(e->d_name));
    closedir(d);
}

/* Removes the files of dir (as listed in present) that are not in keep. */
static int prune(const char *dir, const name_set *present, const name_set *keep)
{
    int status = 0;
    for (size_t i = 0; i < present->cap; i++) {
        if (!present->slot[i])
            continue;
        const char *name = present->pool + present->slot[i] - 1;
        if (ns_has(keep, name, strlen(name)))
            continue;
        char *path = xasprintf("%s/%s", dir, name);
        if (remove(path) != 0 && errno != ENOENT) {
            fprintf(stderr, "regc: cannot remove stale %s\n", path);
            status = -1;
        }
        free(path);
    }
    return status;
}

/* The generated files of a record, one at a time: r->outputs holds a name
 * a line, "*" standing for the regulation's id. Returns the next name in
 * buf, or NULL at the end; *cursor starts at r->outputs. */
static const char *next_output(const gen_record *r, const char **cursor, char *buf, size_t size)
{
    const char *p = *cursor, *nl = strchr(p, '\n');
    if (!nl)
        return NULL;
    *cursor = nl + 1;
    size_t idlen = *p == '*' ? strlen(r->id) : 0, rest = (size_t)(nl - p) - (*p == '*');
    if (idlen + rest + 1 > size)
        return ""; /* longer than any file name: never present */
    memcpy(buf, r->id, idlen);
    memcpy(buf + idlen, p + (*p == '*'), rest);
    buf[idlen + rest] = '\0';
    return buf;
}

/* What a run knows of the output directory as it goes. */
typedef struct {
    const char *outdir;
    const warn_options *warn;
    bool worker;         /* in a worker process: the parent keeps the directories' books */
    struct prelisting *pre; /* with workers: the region directories before they started */
    bool outdir_created;
    gen_stamp stamp;
    staged_writes staged;
    /* per region seen: its directory made, and its names before the run */
    struct region_dir {
        char *region;
        name_set names; /* its files before any was written */
        bool listed, made;
        bool trusted; /* as the stamp says: holds exactly the last run's files */
        bool created; /* by this run: removed again if it writes nothing */
        uint64_t stamp_files; /* rule files of the region in the stamp */
        uint64_t nfiles;      /* in this run */
    } *dirs;
    size_t ndirs;
} gen_run;

static struct region_dir *region_dir(gen_run *g, const char *region)
{
    for (size_t i = 0; i < g->ndirs; i++)
        if (strcmp(g->dirs[i].region, region) == 0)
            return &g->dirs[i];
    g->dirs = xrealloc(g->dirs, (g->ndirs + 1) * sizeof *g->dirs);
    struct region_dir *r = &g->dirs[g->ndirs++];
    memset(r, 0, sizeof *r);
    r->region = xstrdup(region);
    const gen_dir_stamp *was = gen_stamp_dir(&g->stamp, region);
    struct stat st;
    char *dir = xasprintf("%s/%s", g->outdir, region);
    if (was && stat(dir, &st) == 0) {
        file_identity now;
        file_identity_of(&st, &now);
        r->trusted = memcmp(&now, &was->ident, sizeof now) == 0;
        r->stamp_files = was->nfiles;
    }
    free(dir);
    return r;
}

/* Whether every file old generated is still in its region's directory. */
static bool outputs_present(gen_run *g, const gen_record *old)
{
    struct region_dir *r = region_dir(g, old->region);
    if (r->trusted)
        return true;
    if (!r->listed) {
        char *dir = xasprintf("%s/%s", g->outdir, old->region);
        list_dir(dir, &r->names);
        r->listed = true;
        free(dir);
    }
    char buf[1024];
    const char *cur = old->outputs, *name;
    while ((name = next_output(old, &cur, buf, sizeof buf)) != NULL)
        if (!ns_has(&r->names, name, strlen(name)))
            return false;
    return true;
}

/* Whether path is unchanged since the stamp; fills r from it if so. */
static bool reuse_stamp(gen_run *g, const char *path, gen_record *r)
{
    gen_record *old = gen_stamp_find(&g->stamp, path);
    struct stat st;
    if (!old || !old->stampable || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    file_identity_of(&st, &r->ident);
    if (memcmp(&r->ident, &old->ident, sizeof r->ident) != 0) {
        /* touched, copied or checked out again: the bytes decide */
        if (r->ident.size != old->ident.size)
            return false;
        FILE *f = fopen(path, "rb");
        if (!f)
            return false;
        uint64_t h = HASH_SEED;
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            h = hash_bytes(h, buf, n);
        fclose(f);
        if (h != old->hash)
            return false;
    }
    if (!outputs_present(g, old))
        return false;
    r->hash = old->hash;
    r->region = old->region; /* taken over: the stamp's copy is not used again */
    r->id = old->id;
    r->outputs = old->outputs;
    r->wording = old->wording;
    r->index_row = old->index_row;
    old->region = old->id = old->outputs = old->wording = old->index_row = NULL;
    old->stampable = false;
    r->stampable = r->reused = true;
    return true;
}

/* The fingerprint in the model generated before (its JSON in dir), or ""
 * when there is none: what the committed generated/ says the wording meant. */
static void previous_fingerprint(const char *dir, const char *id, char out[17])
{
    out[0] = '\0';
    char *path = xasprintf("%s/%s.json", dir, id);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f)
        return;
    char head[512];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    const char *p = strstr(head, "\"fingerprint\": \"");
    if (p && strlen(p) >= 16 + 16)
        snprintf(out, 17, "%.16s", p + 16);
}

/* A wording whose meaning changed in place: the cases pinned to it will be
 * refused (docs/semantics.md). Said once, when the change is generated. */
static void warn_edited(const char *dir, const lowered *l, const warn_options *warn, strbuf *notes)
{
    char was[17], now[17];
    previous_fingerprint(dir, l->r->id.name, was);
    model_fingerprint(l, now);
    if (was[0] && strcmp(was, now) != 0 && diag_warning_enabled(warn, "wording-edited"))
        sb_printf(notes,
                "regc gen: warning: the meaning of `%s` changed in place (fingerprint %s -> %s): open cases pinned "
                "to %s will be refused; add a new wording (`wording of %s` in a file of its own) or move them with "
                "`migrate` [-Wwording-edited]\n",
                l->r->id.name, was, now, was, l->r->wording_of.name ? l->r->wording_of.name : l->r->id.name);
}

static const name_set *names_before(gen_run *g, const char *region);

/* The parent's books on a region directory a file is generated into: its
 * names before the run (for pruning) and whether the run made it. */
static void note_region_dir(gen_run *g, struct region_dir *rd, const char *dir)
{
    if (!rd->listed) { /* before this run writes into it, for pruning */
        list_dir(dir, &rd->names);
        rd->listed = true;
    }
    struct stat st;
    if (stat(g->outdir, &st) != 0)
        g->outdir_created = true;
    rd->created = stat(dir, &st) != 0;
}

/* Generates one checked unit into PATH.tmp files of its region; what it
 * has to say besides diagnostics goes to notes. */
static int gen_unit(gen_run *g, const unit *u, gen_record *r, strbuf *notes)
{
    const char *region = u->low->r->regions[0].name;
    r->region = xstrdup(region);
    r->id = xstrdup(u->low->r->id.name);
    r->wording = versions_key(u->low->r);
    const diag_list *found = &u->findings; /* the checks ran once, in unit_load */
    r->index_row = page_index_row_found(u->low, found->count);
    char *dir = xasprintf("%s/%s", g->outdir, region);
    int status = 0;
    struct region_dir *rd = region_dir(g, region);
    if (!rd->made) {
        if (!g->worker)
            note_region_dir(g, rd, dir);
        if (make_dirs(dir) != 0)
            status = 3;
        rd->made = true;
    }
    /* The files the directory held before the run: one not there need not
     * be read (NULL: not known, so every one is). */
    const name_set *before = names_before(g, region);
    char *json = xasprintf("%s.json", u->low->r->id.name);
    if (!before || ns_has(before, json, strlen(json)))
        warn_edited(dir, u->low, g->warn, notes); /* before the new model is staged over the old */
    free(json);
    out_files out = { NULL, 0 };
    for (size_t b = 0; b < sizeof backends / sizeof backends[0]; b++)
        backends[b](u->low, &out);
    out_files_add(&out, xasprintf("%s.md", u->low->r->id.name), emit_page_found(u->low, found));
    strbuf names;
    sb_init(&names);
    for (size_t f = 0; f < out.count; f++) {
        char *path = xasprintf("%s/%s", dir, out.files[f].name);
        bool may_exist = !before || ns_has(before, out.files[f].name, strlen(out.files[f].name));
        if (status == 0 && write_staged(&g->staged, path, out.files[f].text, may_exist) != 0)
            status = 3;
        free(path);
        const char *name = out.files[f].name;
        size_t idlen = strlen(r->id);
        if (strncmp(name, r->id, idlen) == 0 && name[idlen] == '.') {
            sb_addc(&names, '*');
            name += idlen;
        }
        sb_add(&names, name);
        sb_addc(&names, '\n');
    }
    r->outputs = sb_take(&names);
    out_files_free(&out);
    free(dir);
    return status;
}

static int cmp_record_reg(const void *a, const void *b)
{
    const gen_record *x = *(const gen_record *const *)a, *y = *(const gen_record *const *)b;
    int c = strcmp(x->region, y->region);
    if (!c)
        c = strcmp(x->id, y->id);
    return c ? c : (x > y) - (x < y);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; (s = strchr(s, '\n')) != NULL; s++)
        n++;
    return n;
}

/* The region files of every region, and the removal of stale files. */
static int finish_regions(gen_run *g, gen_record **sorted, size_t n)
{
    int status = 0;
    for (size_t start = 0; start < n && status == 0;) {
        const char *region = sorted[start]->region;
        size_t end = start;
        bool all_reused = true;
        size_t expected = 0; /* files the region should hold */
        while (end < n && strcmp(sorted[end]->region, region) == 0) {
            all_reused = all_reused && sorted[end]->reused;
            expected += count_lines(sorted[end]->outputs);
            end++;
        }
        const char **ids = xcalloc(end - start + 1, sizeof *ids);
        const char **rows = xcalloc(end - start + 1, sizeof *rows);
        for (size_t i = start; i < end; i++) {
            ids[i - start] = sorted[i]->id;
            rows[i - start] = sorted[i]->index_row ? sorted[i]->index_row : "";
        }
        out_files out = { NULL, 0 };
        backend_c_region_ids(region, ids, end - start, &out);
        backend_page_region(region, rows, end - start, &out);
        char *dir = xasprintf("%s/%s", g->outdir, region);
        struct region_dir *rd = region_dir(g, region);
        if (!rd->listed && !(all_reused && rd->trusted && rd->stamp_files == end - start)) {
            list_dir(dir, &rd->names);
            rd->listed = true;
        }
        if (make_dirs(dir) != 0)
            status = 3;
        bool region_files_there = true;
        for (size_t f = 0; f < out.count && status == 0; f++) {
            char *path = xasprintf("%s/%s", dir, out.files[f].name);
            if (write_if_changed(path, out.files[f].text) != 0)
                status = 3;
            free(path);
            region_files_there = region_files_there && ns_has(&rd->names, out.files[f].name, strlen(out.files[f].name));
            expected++;
        }
        /* Every file of the region unchanged, all its outputs seen there
         * and nothing else: there is nothing stale to look for. */
        rd->nfiles = end - start;
        bool clean = all_reused && ((rd->trusted && rd->stamp_files == rd->nfiles) ||
                                    (region_files_there && rd->names.count == expected));
        if (status == 0 && !clean) {
            name_set keep = { 0 };
            char buf[1024];
            for (size_t i = start; i < end; i++) {
                const char *cur = sorted[i]->outputs, *name;
                while ((name = next_output(sorted[i], &cur, buf, sizeof buf)) != NULL)
                    ns_add(&keep, name, strlen(name));
            }
            for (size_t f = 0; f < out.count; f++)
                ns_add(&keep, out.files[f].name, strlen(out.files[f].name));
            if (prune(dir, &rd->names, &keep) != 0)
                status = 3;
            ns_free(&keep);
        }
        out_files_free(&out);
        free(dir);
        free(ids);
        free(rows);
        start = end;
    }
    return status;
}

static int cmp_dir_stamp(const void *a, const void *b)
{
    return strcmp(((const gen_dir_stamp *)a)->region, ((const gen_dir_stamp *)b)->region);
}

/* Saves the stamp when it would change: a file or a region directory is
 * not as the old one says. */
static int save_stamp(gen_run *g, uint64_t key, const gen_record *recs, size_t n, bool dirty)
{
    gen_dir_stamp *dirs = xcalloc(g->ndirs + 1, sizeof *dirs);
    size_t ndirs = 0;
    for (size_t i = 0; i < g->ndirs; i++) {
        char *dir = xasprintf("%s/%s", g->outdir, g->dirs[i].region);
        struct stat st;
        if (stat(dir, &st) == 0) {
            dirs[ndirs].region = g->dirs[i].region;
            dirs[ndirs].nfiles = g->dirs[i].nfiles;
            file_identity_of(&st, &dirs[ndirs].ident);
            const gen_dir_stamp *was = gen_stamp_dir(&g->stamp, g->dirs[i].region);
            dirty = dirty || !was || memcmp(&was->ident, &dirs[ndirs].ident, sizeof was->ident) != 0 ||
                    was->nfiles != dirs[ndirs].nfiles;
            ndirs++;
        }
        free(dir);
    }
    dirty = dirty || ndirs != g->stamp.ndirs;
    /* by region: the order the run met them in depends on -j */
    qsort(dirs, ndirs, sizeof *dirs, cmp_dir_stamp);
    int status = 0;
    if (dirty && gen_stamp_save(g->outdir, key, recs, n, dirs, ndirs) != 0)
        status = 3;
    free(dirs);
    return status;
}

/* ---- one file, in this process or in a worker ---- */

/* Reads, checks and, when generate and the file passes, generates one rule
 * file; its record, diagnostics and messages go to res. */
static void gen_file(gen_run *g, const char *path, gen_result *res, bool generate)
{
    diag_init(&res->diags, g->warn);
    strbuf notes, staged;
    sb_init(&notes);
    sb_init(&staged);
    size_t staged_before = g->staged.count;
    unit u;
    struct stat st;
    bool have_st = stat(path, &st) == 0;
    unit_load(&u, path, &res->diags, true);
    if (u.ok && u.low) {
        if (have_st)
            file_identity_of(&st, &res->rec.ident);
        res->rec.hash = hash_bytes(HASH_SEED, u.text, u.src.len);
        res->rec.stampable = have_st && res->diags.errors == 0 && res->diags.warnings == 0;
        if (generate) {
            res->status = gen_unit(g, &u, &res->rec, &notes);
            res->generated = true;
        }
    }
    unit_free(&u);
    for (size_t k = staged_before; k < g->staged.count; k++) {
        sb_add(&staged, g->staged.paths[k]);
        sb_addc(&staged, '\n');
    }
    res->notes = sb_take(&notes);
    res->staged = sb_take(&staged);
}

/* The region directories in the output directory before the workers
 * start, with their files: what one process would have listed before
 * writing into them. */
typedef struct prelisting {
    bool outdir_existed;
    struct prelisted {
        char *region;
        name_set names;
    } *dirs;
    size_t ndirs;
} prelisting;

/* Calls visit for each directory in outdir (dot names left out); false
 * when outdir cannot be read. */
static bool each_region_dir(const char *outdir, void (*visit)(const char *name, const char *path, void *arg),
                            void *arg)
{
    DIR *dir = opendir(outdir);
    if (!dir)
        return false;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = xasprintf("%s/%s", outdir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            visit(e->d_name, path, arg);
        free(path);
    }
    closedir(dir);
    return true;
}

static void prelist_one(const char *name, const char *path, void *arg)
{
    prelisting *p = arg;
    p->dirs = xrealloc(p->dirs, (p->ndirs + 1) * sizeof *p->dirs);
    struct prelisted *d = &p->dirs[p->ndirs++];
    d->region = xstrdup(name);
    memset(&d->names, 0, sizeof d->names);
    list_dir(path, &d->names);
}

static void prelist(prelisting *p, const char *outdir)
{
    memset(p, 0, sizeof *p);
    p->outdir_existed = each_region_dir(outdir, prelist_one, p);
}

static void prelisting_free(prelisting *p)
{
    for (size_t i = 0; i < p->ndirs; i++) {
        free(p->dirs[i].region);
        ns_free(&p->dirs[i].names);
    }
    free(p->dirs);
}

static const name_set *names_before(gen_run *g, const char *region)
{
    static const name_set none;
    if (g->worker) {
        for (size_t i = 0; i < g->pre->ndirs; i++)
            if (strcmp(g->pre->dirs[i].region, region) == 0)
                return &g->pre->dirs[i].names;
        return &none; /* the directory was not there */
    }
    struct region_dir *rd = region_dir(g, region);
    return rd->listed ? &rd->names : NULL;
}

/* The books on a region directory a worker generated into, from the
 * listing made before the workers started. */
static void adopt_region_dir(gen_run *g, const char *region, prelisting *pre)
{
    struct region_dir *rd = region_dir(g, region);
    if (rd->made)
        return;
    rd->made = true;
    if (!pre->outdir_existed)
        g->outdir_created = true;
    struct prelisted *was = NULL;
    for (size_t i = 0; i < pre->ndirs && !was; i++)
        if (strcmp(pre->dirs[i].region, region) == 0)
            was = &pre->dirs[i];
    rd->created = was == NULL;
    if (!rd->listed) {
        if (was) {
            rd->names = was->names;
            memset(&was->names, 0, sizeof was->names);
        }
        rd->listed = true;
    }
}

/* Goes on with one file's result, in the order of the files: its
 * diagnostics, its record, the files it staged (pre: it came from a
 * worker) and, if one process would have generated it, its messages and
 * the status of its writes. */
static void take_result(gen_run *g, gen_record *r, gen_result *res, diag_list *d, int *status, prelisting *pre)
{
    diag_merge(d, &res->diags);
    r->region = res->rec.region;
    r->id = res->rec.id;
    r->outputs = res->rec.outputs;
    r->wording = res->rec.wording;
    r->index_row = res->rec.index_row;
    res->rec.region = res->rec.id = res->rec.outputs = res->rec.wording = res->rec.index_row = NULL;
    r->ident = res->rec.ident;
    r->hash = res->rec.hash;
    r->stampable = res->rec.stampable;
    if (pre) {
        for (const char *p = res->staged, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
            char *path = xasprintf("%.*s", (int)(nl - p), p);
            staged_add(&g->staged, path);
            free(path);
        }
        if (res->generated && r->region)
            adopt_region_dir(g, r->region, pre);
    }
    if (res->generated && d->errors == 0 && *status == 0) {
        fputs(res->notes, stderr);
        *status = res->status;
    }
}

/* What a worker knows of its own files so far. */
typedef struct {
    gen_run *g;
    char **files;
    int errors, status;
} worker_state;

static void gen_in_worker(size_t file, gen_result *res, void *arg)
{
    worker_state *w = arg;
    w->g->worker = true;
    gen_file(w->g, w->files[file], res, w->errors == 0 && w->status == 0);
    w->errors += res->diags.errors;
    if (res->generated && res->status)
        w->status = res->status;
}

/* Removes the staged PATH.tmp files of a region directory, and the
 * directory itself when the run made it (it was not listed before). */
static void clean_one(const char *name, const char *path, void *arg)
{
    const prelisting *pre = arg;
    DIR *sub = opendir(path);
    if (!sub)
        return;
    struct dirent *f;
    while ((f = readdir(sub)) != NULL) {
        size_t n = strlen(f->d_name);
        if (n > 4 && strcmp(f->d_name + n - 4, ".tmp") == 0) {
            char *tmp = xasprintf("%s/%s", path, f->d_name);
            remove(tmp);
            free(tmp);
        }
    }
    closedir(sub);
    bool existed = false;
    for (size_t i = 0; i < pre->ndirs && !existed; i++)
        existed = strcmp(pre->dirs[i].region, name) == 0;
    if (!existed)
        rmdir(path);
}

/* Removes what workers left when one of them failed: the staged PATH.tmp
 * files of every region directory, and the directories they made. */
static void clean_after_workers(const char *outdir, const prelisting *pre)
{
    each_region_dir(outdir, clean_one, (void *)pre);
    if (!pre->outdir_existed)
        rmdir(outdir);
}

/* The files of todo read and generated by nworkers workers; their results
 * taken in the order of the files. Returns the run's status so far. */
static int gen_in_workers(gen_run *g, char **files, const size_t *todo, size_t ntodo, int nworkers,
                          gen_record *recs, diag_list *d)
{
    prelisting pre;
    prelist(&pre, g->outdir);
    g->pre = &pre;
    worker_state w = { g, files, 0, 0 };
    gen_result *results = xcalloc(ntodo + 1, sizeof *results);
    int status = 0;
    if (gen_workers_run(todo, ntodo, nworkers, gen_in_worker, &w, results) != 0) {
        fputs("regc gen: nothing generated\n", stderr);
        clean_after_workers(g->outdir, &pre);
        status = 3;
    } else {
        for (size_t j = 0; j < ntodo; j++) {
            take_result(g, &recs[todo[j]], &results[j], d, &status, &pre);
            gen_result_free(&results[j]);
        }
    }
    free(results);
    g->pre = NULL;
    prelisting_free(&pre);
    return status;
}

int cmd_gen(int argc, char **argv)
{
    const char *outdir = "generated";
    warn_options warn = { 0 };
    bool force = false;
    int jobs = 0; /* -j: 0 for one worker per processor */
    char **files = xcalloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            gen_usage(stdout);
            check_warn_free(&warn);
            free(files);
            return 0;
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            outdir = argv[++i];
        } else if (strcmp(argv[i], "--force") == 0) {
            force = true;
        } else if (strncmp(argv[i], "-j", 2) == 0) {
            const char *n = argv[i][2] ? argv[i] + 2 : i + 1 < argc ? argv[++i] : "";
            char *end;
            long v = strtol(n, &end, 10);
            if (!*n || *end || v < 1 || v > 1024) {
                fprintf(stderr, "regc gen: -j takes a number of worker processes from 1 to 1024, not `%s`\n", n);
                check_warn_free(&warn);
                free(files);
                return 2;
            }
            jobs = (int)v;
        } else if (strncmp(argv[i], "-W", 2) == 0) {
            if (check_warn_option(&warn, argv[i], "regc gen") != 0) {
                check_warn_free(&warn);
                free(files);
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regc gen: unknown option `%s`\n", argv[i]);
            gen_usage(stderr);
            check_warn_free(&warn);
            free(files);
            return 2;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        fputs("regc gen: no input files\n", stderr);
        gen_usage(stderr);
        check_warn_free(&warn);
        free(files);
        return 2;
    }

    gen_run g;
    memset(&g, 0, sizeof g);
    g.outdir = outdir;
    g.warn = &warn;
    uint64_t key = gen_stamp_key(&warn);
    gen_stamp_load(&g.stamp, outdir, force ? 0 : key);
    diag_list d;
    diag_init(&d, &warn);
    gen_record *recs = xcalloc((size_t)nfiles, sizeof *recs);
    int status = 0;
    /* whether the stamp would change: not when every file is as it says */
    bool stamp_dirty = (size_t)nfiles != g.stamp.count;
    size_t reused = 0;
    /* The stamp first: which files must be read again. */
    size_t *todo = xcalloc((size_t)nfiles + 1, sizeof *todo);
    size_t ntodo = 0;
    for (int i = 0; i < nfiles; i++) {
        gen_record *r = &recs[i];
        r->path = xstrdup(files[i]);
        if (reuse_stamp(&g, files[i], r)) {
            const gen_record *old = gen_stamp_find(&g.stamp, files[i]);
            reused++;
            if (memcmp(&old->ident, &r->ident, sizeof r->ident) != 0)
                stamp_dirty = true;
            continue;
        }
        stamp_dirty = true;
        todo[ntodo++] = (size_t)i;
    }
    int nworkers = jobs > 0 ? jobs : gen_workers_default();
    if ((size_t)nworkers > ntodo)
        nworkers = (int)ntodo;
    if (nworkers <= 1) {
        for (size_t j = 0; j < ntodo; j++) {
            gen_result res;
            memset(&res, 0, sizeof res);
            res.file = todo[j];
            /* once a file has failed nothing will be written: only check */
            gen_file(&g, files[todo[j]], &res, d.errors == 0 && status == 0);
            take_result(&g, &recs[todo[j]], &res, &d, &status, NULL);
            gen_result_free(&res);
        }
    } else {
        status = gen_in_workers(&g, files, todo, ntodo, nworkers, recs, &d);
    }
    free(todo);
    diag_print_text(&d, stderr, use_color(stderr));
    if (d.errors) {
        fprintf(stderr, "%d error%s; nothing generated\n", d.errors, d.errors == 1 ? "" : "s");
        status = 1;
    }
    gen_record **sorted = xcalloc((size_t)nfiles, sizeof *sorted);
    if (status == 0) {
        /* Sorted, the files of one regulation are neighbours: each is
         * reported against every earlier file of its group. */
        for (int i = 0; i < nfiles; i++)
            sorted[i] = &recs[i];
        qsort(sorted, (size_t)nfiles, sizeof *sorted, cmp_record_reg);
        for (int i = 1, group = 0; i < nfiles; i++) {
            if (strcmp(sorted[i]->region, sorted[group]->region) != 0 ||
                strcmp(sorted[i]->id, sorted[group]->id) != 0) {
                group = i;
                continue;
            }
            for (int j = group; j < i; j++) {
                fprintf(stderr, "%s: error: regulation `%s` is also defined in %s\n", sorted[i]->path,
                        sorted[i]->id, sorted[j]->path);
                status = 1;
            }
        }
    }
    /* The wordings of a service follow each other without overlap or gap. */
    if (status == 0) {
        const char **paths = xcalloc((size_t)nfiles + 1, sizeof *paths);
        const char **keys = xcalloc((size_t)nfiles + 1, sizeof *keys);
        for (int i = 0; i < nfiles; i++) {
            paths[i] = recs[i].path;
            keys[i] = recs[i].wording;
        }
        diag_list dv;
        diag_init(&dv, &warn);
        if (versions_check(paths, keys, (size_t)nfiles, &dv) > 0) {
            diag_print_text(&dv, stderr, use_color(stderr));
            status = 1;
        }
        diag_free(&dv);
        free(paths);
        free(keys);
    }
    if (status != 0) {
        /* as if the run had not been: no new file, no new directory */
        staged_abandon(&g.staged);
        for (size_t i = 0; i < g.ndirs; i++)
            if (g.dirs[i].created) {
                char *dir = xasprintf("%s/%s", outdir, g.dirs[i].region);
                rmdir(dir);
                free(dir);
            }
        if (g.outdir_created)
            rmdir(outdir);
    } else {
        if (staged_commit(&g.staged) != 0)
            status = 3;
        if (status == 0)
            status = finish_regions(&g, sorted, (size_t)nfiles);
        if (status == 0)
            status = save_stamp(&g, key, recs, (size_t)nfiles, stamp_dirty);
    }
    free(sorted);
    for (int i = 0; i < nfiles; i++)
        gen_record_free(&recs[i]);
    free(recs);
    for (size_t i = 0; i < g.ndirs; i++) {
        free(g.dirs[i].region);
        ns_free(&g.dirs[i].names);
    }
    free(g.dirs);
    gen_stamp_free(&g.stamp);
    free(files);
    diag_free(&d);
    check_warn_free(&warn);
    return status;
}
