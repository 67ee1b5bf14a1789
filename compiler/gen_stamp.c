/* gen_stamp.c - the stamp file of `regc gen` (see gen_stamp.h). */
#include "gen_stamp.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "strbuf.h"
#include "util.h"

void file_identity_of(const struct stat *st, file_identity *id)
{
    id->dev = (uint64_t)st->st_dev;
    id->ino = (uint64_t)st->st_ino;
    id->size = (uint64_t)st->st_size;
    id->mtime_s = (uint64_t)st->st_mtim.tv_sec;
    id->mtime_ns = (uint64_t)st->st_mtim.tv_nsec;
}

/* FNV-1a, 64 bits: to notice a changed file, not to resist an attacker. */
uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211u;
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    return hash_bytes(h, s, strlen(s) + 1);
}

uint64_t gen_stamp_key(const warn_options *w)
{
    /* The executable's identity, as for a rule file: a rebuilt or
     * reinstalled regc is a new file, or the same one with a new time. */
    struct stat st;
    if (stat("/proc/self/exe", &st) != 0)
        return 0;
    file_identity id;
    file_identity_of(&st, &id);
    uint64_t h = hash_bytes(HASH_SEED, &id, sizeof id);
    h = hash_str(h, w->werror ? "-Werror" : "");
    for (size_t i = 0; i < w->ndisabled; i++)
        h = hash_str(hash_str(h, "-Wno-"), w->disabled[i]);
    for (size_t i = 0; i < w->nenabled; i++)
        h = hash_str(hash_str(h, "-W"), w->enabled[i]);
    return h ? h : 1;
}

static int cmp_record(const void *a, const void *b)
{
    return strcmp(((const gen_record *)a)->path, ((const gen_record *)b)->path);
}

/* Splits line at tabs into at most max fields; returns how many. */
static size_t split_tabs(char *line, char **field, size_t max)
{
    size_t n = 0;
    field[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            field[n++] = p + 1;
        }
    return n;
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!*s)
        return false;
    *v = strtoull(s, &end, 16);
    return *end == '\0';
}

static bool plain(const char *s)
{
    return strpbrk(s, "\t\n/") == NULL;
}

/* A text in a field: '%', tab, newline and '/' written as %XX. */
static void escape(strbuf *b, const char *s)
{
    for (; *s; s++)
        if (*s == '%' || *s == '\t' || *s == '\n' || *s == '/')
            sb_printf(b, "%%%02X", (unsigned char)*s);
        else
            sb_addc(b, *s);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static char *unescape(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;
    for (; *s; s++) {
        int hi, lo;
        if (*s == '%' && (hi = hexval(s[1])) >= 0 && (lo = hexval(s[2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

void gen_stamp_load(gen_stamp *s, const char *dir, uint64_t key)
{
    memset(s, 0, sizeof *s);
    s->key = key;
    if (key == 0)
        return;
    char *path = xasprintf("%s/%s", dir, GEN_STAMP_NAME);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0, alloc = 0;
    ssize_t len;
    char header[64];
    snprintf(header, sizeof header, "regc-gen-stamp 3 %016" PRIx64 "\n", key);
    if (getline(&line, &cap, f) < 0 || strcmp(line, header) != 0)
        goto out;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n')
            break; /* cut short: ignore the rest */
        line[len - 1] = '\0';
        char *fld[13];
        if (line[0] == '\t') { /* a region directory */
            gen_dir_stamp ds = { 0 };
            if (split_tabs(line + 1, fld, 7) != 7 || !plain(fld[0]) || !parse_u64(fld[6], &ds.nfiles) ||
                !parse_u64(fld[1], &ds.ident.dev) ||
                !parse_u64(fld[2], &ds.ident.ino) || !parse_u64(fld[3], &ds.ident.size) ||
                !parse_u64(fld[4], &ds.ident.mtime_s) || !parse_u64(fld[5], &ds.ident.mtime_ns))
                continue;
            ds.region = xstrdup(fld[0]);
            s->dirs = xrealloc(s->dirs, (s->ndirs + 1) * sizeof *s->dirs);
            s->dirs[s->ndirs++] = ds;
            continue;
        }
        gen_record r = { 0 };
        if (split_tabs(line, fld, 13) != 13 || !plain(fld[10]) || !parse_u64(fld[1], &r.ident.dev) ||
            !parse_u64(fld[2], &r.ident.ino) || !parse_u64(fld[3], &r.ident.size) ||
            !parse_u64(fld[4], &r.ident.mtime_s) || !parse_u64(fld[5], &r.ident.mtime_ns) ||
            !parse_u64(fld[6], &r.hash))
            continue;
        r.path = xstrdup(fld[0]);
        r.region = xstrdup(fld[7]);
        r.id = xstrdup(fld[8]);
        /* outputs are stored separated by '/', which no file name holds */
        r.outputs = xstrdup(fld[9]);
        for (char *p = r.outputs; *p; p++)
            if (*p == '/')
                *p = '\n';
        if (*r.outputs && r.outputs[strlen(r.outputs) - 1] != '\n') {
            gen_record_free(&r); /* cut short */
            continue;
        }
        r.wording = xstrdup(fld[10]);
        r.index_row = unescape(fld[11]);
        r.stampable = strcmp(fld[12], "ok") == 0;
        if (s->count == alloc) {
            alloc = alloc ? 2 * alloc : 1024;
            s->items = xrealloc(s->items, alloc * sizeof *s->items);
        }
        s->items[s->count++] = r;
    }
    if (s->count) /* no records: items is NULL, which qsort may not take */
        qsort(s->items, s->count, sizeof *s->items, cmp_record);
out:
    free(line);
    fclose(f);
}

gen_record *gen_stamp_find(const gen_stamp *s, const char *path)
{
    gen_record key = { .path = (char *)path };
    return s->count ? bsearch(&key, s->items, s->count, sizeof *s->items, cmp_record) : NULL;
}

const gen_dir_stamp *gen_stamp_dir(const gen_stamp *s, const char *region)
{
    for (size_t i = 0; i < s->ndirs; i++)
        if (strcmp(s->dirs[i].region, region) == 0)
            return &s->dirs[i];
    return NULL;
}

int gen_stamp_save(const char *dir, uint64_t key, const gen_record *recs, size_t n,
                   const gen_dir_stamp *dirs, size_t ndirs)
{
    char *path = xasprintf("%s/%s", dir, GEN_STAMP_NAME);
    if (key == 0) {
        remove(path);
        free(path);
        return 0;
    }
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "regc-gen-stamp 3 %016" PRIx64 "\n", key);
    for (size_t i = 0; i < n; i++) {
        const gen_record *r = &recs[i];
        if (!r->stampable || strpbrk(r->path, "\t\n") || !plain(r->region) || !plain(r->id) || !r->wording ||
            !plain(r->wording))
            continue;
        sb_printf(&b, "%s\t%" PRIx64 "\t%" PRIx64 "\t%" PRIx64 "\t%" PRIx64 "\t%" PRIx64 "\t%" PRIx64 "\t%s\t%s\t",
                  r->path, r->ident.dev, r->ident.ino, r->ident.size, r->ident.mtime_s, r->ident.mtime_ns,
                  r->hash, r->region, r->id);
        for (const char *p = r->outputs, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
            sb_addn(&b, p, (size_t)(nl - p));
            sb_addc(&b, '/');
        }
        sb_printf(&b, "\t%s\t", r->wording);
        escape(&b, r->index_row ? r->index_row : "");
        sb_add(&b, "\tok\n");
    }
    for (size_t i = 0; i < ndirs; i++)
        if (plain(dirs[i].region))
            sb_printf(&b, "\t%s\t%" PRIx64 "\t%" PRIx64 "\t%" PRIx64 "\t%" PRIx64 "\t%" PRIx64 "\t%" PRIx64 "\n",
                      dirs[i].region, dirs[i].ident.dev, dirs[i].ident.ino, dirs[i].ident.size,
                      dirs[i].ident.mtime_s, dirs[i].ident.mtime_ns, dirs[i].nfiles);
    char *text = sb_take(&b);
    int rc = write_if_changed(path, text);
    free(text);
    free(path);
    return rc;
}

void gen_record_free(gen_record *r)
{
    free(r->path);
    free(r->region);
    free(r->id);
    free(r->outputs);
    free(r->wording);
    free(r->index_row);
    memset(r, 0, sizeof *r);
}

void gen_stamp_free(gen_stamp *s)
{
    for (size_t i = 0; i < s->count; i++)
        gen_record_free(&s->items[i]);
    free(s->items);
    for (size_t i = 0; i < s->ndirs; i++)
        free(s->dirs[i].region);
    free(s->dirs);
    memset(s, 0, sizeof *s);
}
