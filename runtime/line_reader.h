/* line_reader.h - reading lines from a file descriptor with bounded
 * memory: a line longer than REG_LINE_MAX is skipped without being held,
 * and a caller that holds uncommitted work can ask not to block. */
#ifndef REG_LINE_READER_H
#define REG_LINE_READER_H

#include <stddef.h>

typedef enum { RD_LINE, RD_TOO_LONG, RD_IDLE, RD_END, RD_ERROR } rd_result;

typedef struct {
    int fd;
    char *buf;
    size_t cap;     /* REG_LINE_MAX + 1: a full line and its newline */
    size_t start;   /* the unread data is buf[start, end) */
    size_t end;
    size_t scan;    /* buf[start, scan) holds no newline */
    int eof;
    int skipping;   /* inside a line longer than REG_LINE_MAX */
} reader;

/* A reader of fd; 0, or -1 when out of memory. */
int reader_open(reader *rd, int fd);
void reader_close(reader *rd);

/* The next line (without its newline) in line and len, valid until the next
 * call. With `pending` set, answers RD_IDLE instead of blocking when the
 * input has nothing ready: the caller commits what it holds first. */
rd_result next_line(reader *rd, int pending, const char **line, size_t *len);

#endif
