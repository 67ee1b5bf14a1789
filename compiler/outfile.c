/* outfile.c - safe writing of generated files (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

int make_dirs(const char *dir)
{
    char *path = xstrdup(dir);
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "regc: cannot create directory %s: %s\n", path, strerror(errno));
                free(path);
                return -1;
            }
            *p = saved;
            if (saved == '\0')
                break;
        }
    }
    free(path);
    return 0;
}

static bool same_contents(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool same = true;
    char buf[8192];
    size_t off = 0, n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (off + n > len || memcmp(buf, text + off, n) != 0) {
            same = false;
            break;
        }
        off += n;
    }
    fclose(f);
    return same && off == len;
}

/* Writes text to tmp; 0, or -1 with a message and no tmp left. One
 * write() for the whole text: regc gen writes some 200,000 files. */
static int write_tmp(const char *tmp, const char *text, size_t len)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        fprintf(stderr, "regc: cannot write %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    bool ok = true;
    for (size_t off = 0; ok && off < len;) {
        ssize_t n = write(fd, text + off, len - off);
        if (n > 0)
            off += (size_t)n;
        else if (n < 0 && errno == EINTR)
            continue;
        else
            ok = false;
    }
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        fprintf(stderr, "regc: cannot write %s: %s\n", tmp, strerror(saved ? saved : EIO));
        remove(tmp);
        return -1;
    }
    return 0;
}

int write_if_changed(const char *path, const char *text)
{
    size_t len = strlen(text);
    if (same_contents(path, text, len))
        return 0;
    char *tmp = xasprintf("%s.tmp", path);
    if (write_tmp(tmp, text, len) != 0) {
        free(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "regc: cannot write %s: %s\n", path, strerror(errno));
        remove(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

int write_staged(staged_writes *s, const char *path, const char *text, bool may_exist)
{
    size_t len = strlen(text);
    if (may_exist && same_contents(path, text, len))
        return 0;
    char *tmp = xasprintf("%s.tmp", path);
    if (write_tmp(tmp, text, len) != 0) {
        free(tmp);
        return -1;
    }
    free(tmp);
    staged_add(s, path);
    return 0;
}

void staged_add(staged_writes *s, const char *path)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->paths = xrealloc(s->paths, s->cap * sizeof *s->paths);
    }
    s->paths[s->count++] = xstrdup(path);
}

static void staged_clear(staged_writes *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->paths[i]);
    free(s->paths);
    s->paths = NULL;
    s->count = s->cap = 0;
}

int staged_commit(staged_writes *s)
{
    int status = 0;
    for (size_t i = 0; i < s->count; i++) {
        char *tmp = xasprintf("%s.tmp", s->paths[i]);
        if (rename(tmp, s->paths[i]) != 0) {
            fprintf(stderr, "regc: cannot write %s: %s\n", s->paths[i], strerror(errno));
            remove(tmp);
            status = -1;
        }
        free(tmp);
    }
    staged_clear(s);
    return status;
}

void staged_abandon(staged_writes *s)
{
    for (size_t i = 0; i < s->count; i++) {
        char *tmp = xasprintf("%s.tmp", s->paths[i]);
        remove(tmp);
        free(tmp);
    }
    staged_clear(s);
}
