/* check_term.c - the term-exceeded check per channel (see check_term.h).
 *
 * Each way is one pass of a longest-path walk over the components of the
 * variant's graph (graph.h): a loop counts each of its steps once. The
 * intake time of a channel's flow comes before the provider's first step;
 * a later part of the case (the handover after the provider) belongs here
 * too, as one more addend of way_measure(). */
#include "check_term.h"

#include "json_out.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

/* The working day of the calendar (docs/semantics.md): 8 hours. */
enum { DAY_MINUTES = 480 };

/* Working minutes of a duration for the bound: a calendar day counts as a
 * working day (docs/checks.md says why this is an upper bound). */
static long long bound_minutes(const duration *d)
{
    return d->unit == REG_UNIT_CD ? d->amount * DAY_MINUTES : duration_minutes(d, DAY_MINUTES);
}

typedef struct {
    long long minutes;      /* from the component's start to a result */
    long long cd;           /* calendar days among them */
    const lw_target *via;   /* where the longest way leaves the component */
} span;

/* The longest way from each component to a result, over the components in
 * ascending order (each after those it leads to). A loop counts each of its
 * steps once. */
static void longest(const graph *g, const lw_variant *v, size_t channel, span *best)
{
    for (size_t k = 0; k < g->ncomp; k++) {
        best[k] = (span){ -1, 0, NULL };
        if (!g->exits[k])
            continue;
        long long own = 0, own_cd = 0, after = -1, after_cd = 0;
        const lw_target *via = NULL;
        for (size_t m = g->first[k]; m < g->first[k + 1]; m++) {
            const lw_step *s = &v->steps[g->member[m]];
            const duration *d = lw_duration_on(s, channel);
            /* A step the channel skips takes no time on its way. */
            if (lw_applies_on(s, channel)) {
                own += bound_minutes(d);
                if (d->unit == REG_UNIT_CD)
                    own_cd += d->amount;
            }
            for (size_t e = 0; e < lw_ntargets(s); e++) {
                const lw_target *t = lw_target_at(s, e);
                long long len = 0, cd = 0;
                if (t->kind == LW_TO_STEP) {
                    size_t kw = g->comp[t->step];
                    if (kw == k || !g->exits[kw])
                        continue;
                    len = best[kw].minutes;
                    cd = best[kw].cd;
                }
                if (len > after) {
                    after = len;
                    after_cd = cd;
                    via = t;
                }
            }
        }
        best[k] = (span){ own + after, own_cd + after_cd, via };
    }
}

/* One way through a variant: a channel's (LW_NONE: a case without one). */
typedef struct {
    size_t channel;
    const duration *intake; /* the channel flow's time before the first step, or NULL */
    span *best;             /* per component */
    long long minutes;      /* the whole way, intake included */
    long long cd;
} way;

/* The step the term counts from: `term ... from step S`, else the first.
 * From an event the engine counts at the event, which comes after the
 * submission; counting every step from the first is the upper bound. */
static size_t term_start(const lw_variant *lv)
{
    const variant_decl *v = lv->src;
    if (v->term_anchor.name && v->anchor_is_step)
        for (size_t i = 0; i < lv->nsteps; i++)
            if (strcmp(lv->steps[i].src->id.name, v->term_anchor.name) == 0)
                return i;
    return 0;
}

/* The intake time of a channel's flow (`flow C ... takes 20m`). It counts
 * only when the term counts from the submission: an anchored term starts
 * after the documents have reached the provider. */
static const duration *intake_of(const lowered *low, const lw_variant *lv, size_t channel)
{
    if (channel == LW_NONE || lv->src->term_anchor.name)
        return NULL;
    const lw_flow *f = lw_find_flow(low, low->r->channels[channel].id.name);
    return f && f->src->has_duration ? &f->src->dur : NULL;
}

static void way_measure(way *w, const lowered *low, const graph *g, const lw_variant *lv, size_t start)
{
    w->intake = intake_of(low, lv, w->channel);
    w->best = xcalloc(g->ncomp, sizeof *w->best);
    longest(g, lv, w->channel, w->best);
    const span *s = &w->best[g->comp[start]];
    w->minutes = s->minutes + (w->intake ? bound_minutes(w->intake) : 0);
    w->cd = s->cd + (w->intake && w->intake->unit == REG_UNIT_CD ? w->intake->amount : 0);
}

/* The ways of a variant: [0] without a channel, then one per channel. */
static size_t ways_measure(way *ways, const lowered *low, const graph *g, const lw_variant *lv, size_t start)
{
    size_t n = 1 + low->r->nchannels;
    for (size_t i = 0; i < n; i++) {
        ways[i].channel = i == 0 ? LW_NONE : i - 1;
        way_measure(&ways[i], low, g, lv, start);
    }
    return n;
}

static void ways_free(way *ways, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ways[i].best);
}

/* "2 wd 5 h": whole working days, hours and minutes of an 8-hour day. */
static void put_minutes(strbuf *b, long long m)
{
    long long wd = m / DAY_MINUTES, h = m % DAY_MINUTES / 60, mi = m % 60;
    const char *sep = "";
    if (wd) {
        sb_printf(b, "%lld wd", wd);
        sep = " ";
    }
    if (h) {
        sb_printf(b, "%s%lld h", sep, h);
        sep = " ";
    }
    if (mi || m == 0)
        sb_printf(b, "%s%lld m", sep, mi);
}

static void put_duration(strbuf *b, const duration *d)
{
    sb_printf(b, "%lld%s", d->amount, unit_name(d->unit));
}

static void put_term(strbuf *b, const duration *term)
{
    if (term->unit == REG_UNIT_CD)
        sb_printf(b, "%lld cd, taken as %lld wd", term->amount, term->amount);
    else
        put_minutes(b, bound_minutes(term));
}

/* At most this many parts of a long way are named in a hint. */
enum { PATH_HEAD = 8, PATH_TAIL = 4, LOOP_SHOWN = 8 };

static void put_component(strbuf *b, const graph *g, size_t k, const lw_variant *v, size_t channel)
{
    size_t n = g->first[k + 1] - g->first[k];
    if (g->loop[k])
        sb_add(b, "(a loop counted once: ");
    for (size_t m = 0; m < n && m < LOOP_SHOWN; m++) {
        const lw_step *s = &v->steps[g->member[g->first[k] + m]];
        sb_printf(b, "%s%s ", m ? ", " : "", s->src->id.name);
        if (lw_applies_on(s, channel))
            put_duration(b, lw_duration_on(s, channel));
        else
            sb_add(b, "skipped");
    }
    if (n > LOOP_SHOWN)
        sb_printf(b, " and %zu more", n - LOOP_SHOWN);
    if (g->loop[k])
        sb_add(b, ")");
}

static void put_path(strbuf *b, const lowered *low, const graph *g, const lw_variant *v, const way *w,
                     size_t start)
{
    if (w->intake) {
        sb_printf(b, "intake %s ", low->r->channels[w->channel].id.name);
        put_duration(b, w->intake);
        sb_add(b, " -> ");
    }
    /* Each component leads to a lower number, so the walk ends. */
    size_t *path = xrealloc(NULL, g->ncomp * sizeof *path);
    size_t len = 0, k = g->comp[start];
    const lw_target *t;
    for (;;) {
        path[len++] = k;
        t = w->best[k].via;
        if (t->kind != LW_TO_STEP)
            break;
        k = g->comp[t->step];
    }
    for (size_t i = 0; i < len; i++) {
        if (len > PATH_HEAD + PATH_TAIL + 1 && i == PATH_HEAD) {
            sb_printf(b, " -> ... %zu more ...", len - PATH_HEAD - PATH_TAIL);
            i = len - PATH_TAIL - 1;
            continue;
        }
        if (i)
            sb_add(b, " -> ");
        put_component(b, g, path[i], v, w->channel);
    }
    if (t->kind == LW_TO_END)
        sb_add(b, " -> end");
    else
        sb_printf(b, " -> result %s", t->src->result.name);
    free(path);
}

static const char *channel_name(const lowered *low, size_t channel)
{
    return channel == LW_NONE ? NULL : low->r->channels[channel].id.name;
}

/* Warns for the way w, told for w and for every later channel in told[]
 * (the channels whose way is the same, step for step). */
static void report(const lowered *low, const source *src, diag_list *d, const graph *g, const lw_variant *lv,
                   const way *ways, size_t nways, const way *w, const bool *same, size_t start)
{
    const variant_decl *v = lv->src;
    long long term = bound_minutes(&v->term);
    strbuf took, limit, hint;
    sb_init(&took);
    sb_init(&limit);
    sb_init(&hint);
    put_minutes(&took, w->minutes);
    if (w->cd)
        sb_printf(&took, " (counting %lld cd as %lld wd)", w->cd, w->cd);
    if (w->channel != LW_NONE) {
        size_t nsame = 0;
        for (size_t i = 1; i < nways; i++)
            nsame += same[i];
        sb_printf(&took, " through channel%s `%s`", nsame > 1 ? "s" : "", channel_name(low, w->channel));
        for (size_t i = 1; i < nways; i++)
            if (same[i] && &ways[i] != w)
                sb_printf(&took, ", `%s`", channel_name(low, ways[i].channel));
    }
    put_term(&limit, &v->term);
    sb_add(&hint, "the longest way: ");
    put_path(&hint, low, g, lv, w, start);
    /* The channels that fit show that the excess is this channel's. */
    for (size_t i = 1; i < nways; i++)
        if (ways[i].minutes <= term) {
            sb_printf(&hint, "; through channel `%s` it takes ", channel_name(low, ways[i].channel));
            put_minutes(&hint, ways[i].minutes);
            sb_add(&hint, ", within the term");
        }
    const char *from = v->term_anchor.name && v->anchor_is_step ? " from step `" : NULL;
    diagnostic *rec = diag_warning(d, src, v->term.loc, "term-exceeded", "steps of variant `%s`%s%s%s take %s, its term is %s",
                                   v->id.name, from ? from : "", from ? v->term_anchor.name : "", from ? "`" : "",
                                   took.data, limit.data);
    diag_hint(rec, "%s", hint.data);
    sb_free(&took);
    sb_free(&limit);
    sb_free(&hint);
}

/* The channel's way differs from the one of a case without a channel: a
 * duration of its own, a step it skips, or an intake time. */
static bool way_differs(const lw_variant *v, const way *w)
{
    if (w->intake)
        return true;
    for (size_t i = 0; i < v->nsteps; i++) {
        if (!lw_applies_on(&v->steps[i], w->channel))
            return true;
        for (size_t k = 0; k < v->steps[i].nby_channel; k++)
            if (v->steps[i].by_channel[k].channel == w->channel)
                return true;
    }
    return false;
}

/* The way of every channel, as its hint shows it: two channels whose ways
 * read the same are told in one warning. */
static char **way_texts(const lowered *low, const graph *g, const lw_variant *lv, const way *ways, size_t n,
                        size_t start)
{
    char **text = xcalloc(n, sizeof *text);
    for (size_t i = 0; i < n; i++) {
        strbuf b;
        sb_init(&b);
        sb_printf(&b, "%lld ", ways[i].minutes);
        put_path(&b, low, g, lv, &ways[i], start);
        text[i] = xstrdup(b.data);
        sb_free(&b);
    }
    return text;
}

void check_term(const lowered *low, const source *src, diag_list *d, const graph *g, const lw_variant *lv)
{
    const variant_decl *v = lv->src;
    size_t start = term_start(lv);
    if (!v->has_term || !graph_exits(g, start) || !diag_warning_enabled(d->warn, "term-exceeded"))
        return;
    way *ways = xcalloc(1 + low->r->nchannels, sizeof *ways);
    size_t n = ways_measure(ways, low, g, lv, start);
    long long term = bound_minutes(&v->term);
    char **text = way_texts(low, g, lv, ways, n, start);
    bool *told = xcalloc(n, sizeof *told), *same = xcalloc(n, sizeof *same);
    /* A channel that runs the steps as a case without a channel does is
     * told as that way, without its name; each other channel on its own. */
    bool plain_channel = n == 1, named_over = false;
    for (size_t i = 1; i < n; i++)
        if (!way_differs(lv, &ways[i])) {
            plain_channel = true;
            told[i] = true;
        }
    for (size_t i = 1; i < n; i++) {
        if (told[i] || ways[i].minutes <= term)
            continue;
        memset(same, 0, n * sizeof *same);
        for (size_t j = i; j < n; j++)
            if (!told[j] && strcmp(text[j], text[i]) == 0)
                same[j] = told[j] = true;
        report(low, src, d, g, lv, ways, n, &ways[i], same, start);
        named_over = true;
    }
    /* A case without a channel runs every step; when every channel has a
     * way of its own it is told only if no channel already is. */
    if (ways[0].minutes > term && (plain_channel || !named_over)) {
        memset(same, 0, n * sizeof *same);
        report(low, src, d, g, lv, ways, n, &ways[0], same, start);
    }
    for (size_t i = 0; i < n; i++)
        free(text[i]);
    free(text);
    free(told);
    free(same);
    ways_free(ways, n);
    free(ways);
}

/* One way's figures, as text (a line) or as a JSON object. */
static void put_figures(strbuf *b, const lowered *low, const graph *g, const lw_variant *lv, const way *w,
                        size_t start, bool json)
{
    const variant_decl *v = lv->src;
    long long term = bound_minutes(&v->term);
    strbuf t, path;
    sb_init(&t);
    sb_init(&path);
    put_term(&t, &v->term);
    if (v->term_anchor.name)
        sb_printf(&t, " from %s %s", v->anchor_is_step ? "step" : "event", v->term_anchor.name);
    put_path(&path, low, g, lv, w, start);
    const char *ch = w->channel == LW_NONE ? NULL : channel_name(low, w->channel);
    if (json) {
        /* ids are identifiers, safe as they are; the texts are quoted */
        sb_printf(b, "{\"service\": \"%s\", \"variant\": \"%s\", \"channel\": ", low->r->id.name, v->id.name);
        if (ch)
            sb_printf(b, "\"%s\"", ch);
        else
            sb_add(b, "null");
        sb_printf(b, ", \"minutes\": %lld, \"term_minutes\": %lld, \"term\": ", w->minutes, term);
        json_append_string(b, t.data);
        sb_printf(b, ", \"exceeded\": %s, \"way\": ", w->minutes > term ? "true" : "false");
        json_append_string(b, path.data);
        sb_add(b, "}");
    } else {
        sb_printf(b, "%s %s %s: ", low->r->id.name, v->id.name, ch ? ch : "-");
        put_minutes(b, w->minutes);
        sb_printf(b, " of %s%s%s\n", t.data, w->minutes > term ? ", exceeded: " : ", within: ", path.data);
    }
    sb_free(&t);
    sb_free(&path);
}

static void term_figures(const lowered *low, FILE *out, bool json, bool *first)
{
    for (size_t i = 0; i < low->nvariants; i++) {
        const lw_variant *lv = &low->variants[i];
        const variant_decl *v = lv->src;
        if (!v->has_term || lv->nsteps == 0)
            continue;
        graph g;
        graph_build(&g, lv);
        size_t start = term_start(lv);
        if (graph_exits(&g, start)) {
            way *ways = xcalloc(1 + low->r->nchannels, sizeof *ways);
            size_t n = ways_measure(ways, low, &g, lv, start);
            strbuf b;
            sb_init(&b);
            /* Without channels the one way is the case's; with them, each channel's. */
            for (size_t w = n > 1 ? 1 : 0; w < n; w++) {
                if (json)
                    sb_add(&b, *first ? "\n  " : ",\n  ");
                *first = false;
                put_figures(&b, low, &g, lv, &ways[w], start, json);
            }
            fputs(b.data ? b.data : "", out);
            sb_free(&b);
            ways_free(ways, n);
            free(ways);
        }
        graph_free(&g);
    }
}

void term_figures_print(const lowered *low, FILE *out)
{
    bool first = true;
    term_figures(low, out, false, &first);
}

void term_figures_json(const lowered *low, FILE *out, bool *first) { term_figures(low, out, true, first); }
