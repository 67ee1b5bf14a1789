/* line_reader.c - lines from a file descriptor, bounded memory
 * (line_reader.h). */
#include "line_reader.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

int reader_open(reader *rd, int fd)
{
    memset(rd, 0, sizeof *rd);
    rd->fd = fd;
    rd->cap = REG_LINE_MAX + 1;
    rd->buf = malloc(rd->cap);
    return rd->buf ? 0 : -1;
}

void reader_close(reader *rd)
{
    free(rd->buf);
    rd->buf = NULL;
}

/* The next line (without its newline) in line and len, valid until the next
 * call. With `pending` set, answers RD_IDLE instead of blocking when the
 * input has nothing ready: the caller commits what it holds first. */
rd_result next_line(reader *rd, int pending, const char **line, size_t *len)
{
    for (;;) {
        char *nl = memchr(rd->buf + rd->scan, '\n', rd->end - rd->scan);
        if (nl) {
            size_t at = (size_t)(nl - rd->buf);
            *line = rd->buf + rd->start;
            *len = at - rd->start;
            rd->start = rd->scan = at + 1;
            if (rd->skipping) {
                rd->skipping = 0;
                return RD_TOO_LONG;
            }
            return RD_LINE;
        }
        rd->scan = rd->end;
        if (rd->skipping || rd->end - rd->start > REG_LINE_MAX) {
            /* Too long: drop what we hold and keep dropping up to the
             * newline, so the line never sits in memory. */
            rd->skipping = 1;
            rd->start = rd->end = rd->scan = 0;
        }
        if (rd->eof) {
            if (rd->skipping) {
                rd->skipping = 0;
                return RD_TOO_LONG;
            }
            if (rd->end > rd->start) {
                /* A last line without a newline still counts. */
                *line = rd->buf + rd->start;
                *len = rd->end - rd->start;
                rd->start = rd->scan = rd->end;
                return RD_LINE;
            }
            return RD_END;
        }
        if (rd->start > 0) {
            memmove(rd->buf, rd->buf + rd->start, rd->end - rd->start);
            rd->end -= rd->start;
            rd->scan -= rd->start;
            rd->start = 0;
        }
        if (pending) {
            struct pollfd p = { .fd = rd->fd, .events = POLLIN };
            int ready;
            do
                ready = poll(&p, 1, 0);
            while (ready < 0 && errno == EINTR);
            if (ready == 0)
                return RD_IDLE;
        }
        ssize_t n;
        do
            n = read(rd->fd, rd->buf + rd->end, rd->cap - rd->end);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            return RD_ERROR;
        if (n == 0)
            rd->eof = 1;
        rd->end += (size_t)n;
    }
}

