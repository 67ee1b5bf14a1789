/* backends.h - the generators that turn a checked regulation into files.
 *
 * Each back end renders text into memory; the `gen` command writes it to
 * generated/<region>/ and `export` prints it. A back end reads the lowered
 * model of a regulation that passed sema and the checks (lower.h). */
#ifndef REGC_BACKENDS_H
#define REGC_BACKENDS_H

#include "ast.h"
#include "lower.h"

/* The machine-readable model (docs/model.md). The caller frees the text. */
char *emit_json(const lowered *l);

/* One output file of a back end: a name relative to generated/<region>/
 * and its contents. */
typedef struct {
    char *name;
    char *text;
} out_file;

typedef struct out_files {
    out_file *files;
    size_t count;
} out_files;

void out_files_add(out_files *o, char *name, char *text);   /* takes ownership */
void out_files_free(out_files *o);

/* A back end adds the files it generates for one regulation. */
typedef void (*backend_fn)(const lowered *l, out_files *out);

/* A back end over all regulations of one region (the region header). */
typedef void (*region_backend_fn)(const char *region, const lowered *const *lows, size_t n,
                                  out_files *out);

void backend_json(const lowered *l, out_files *out);
void backend_c(const lowered *l, out_files *out);
void backend_c_region(const char *region, const lowered *const *lows, size_t n, out_files *out);
void backend_c_region_ids(const char *region, const char *const *ids, size_t n, out_files *out);
/* Flow diagrams (docs/diagrams.md): <service>.<variant>.dot|.mmd per variant,
 * <service>.flow.<channel>.dot|.mmd per information-system flow. */
void backend_dot(const lowered *l, out_files *out);
void backend_mermaid(const lowered *l, out_files *out);

/* BPMN 2.0 with its diagram laid out (emit_bpmn.c, docs/diagrams.md): one
 * document per regulation, <service>.bpmn. The caller frees the text. */
char *emit_bpmn(const lowered *l);
void backend_bpmn(const lowered *l, out_files *out);

/* The page a reviewer reads (emit_page.c, docs/diagrams.md): <service>.md per
 * regulation, with its tables, mermaid diagrams and findings, and README.md,
 * the index of a region. */
char *emit_page(const lowered *l);
/* The region's index page (README.md) from a row per regulation. */
char *page_index_row(const lowered *l);
/* The same from findings already made: `regc gen` passes those of the unit
 * (unit.h), which the front end's one run of the checks kept; others call
 * page_findings (every warning on; diag_free it). */
void page_findings(const lowered *l, diag_list *d);
char *emit_page_found(const lowered *l, const diag_list *found);
char *page_index_row_found(const lowered *l, size_t nwarnings);
void backend_page_region(const char *region, const char *const *rows, size_t n, out_files *out);

#endif
