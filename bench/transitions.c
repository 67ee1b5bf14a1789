/* transitions.c - transitions per second of regulation 001's machine.
 *
 *   transitions script [--cases N] [--seed S] FILE   write the event script
 *   transitions run [--reps R] [--engine-reps R] CALENDAR FILE
 *   transitions jsonl [--from K] [--cases N] [--submits-only] FILE   events for `run`
 *
 * `script` walks the generated machine of rules/zhambyl/grain_warehouse_licence.reg
 * with a seeded PRNG choosing, for each case, its variant and channel, and
 * for each step whether it completes, takes one of its branches to the
 * refusal, is refused outright, or first gets a timer event. It writes the
 * cases and their events to FILE together with the results they must end
 * with. xstate_grain.mjs reads the same file, so all runners do the same
 * work. Layout, little-endian:
 *
 *   0   "REGSCRPT", u32 version (1), u32 ncases, u32 nevents
 *   20  u32 expected[5]: cases ending licence, reissued_licence, duplicate,
 *       refusal, and cases marked late
 *   40  ncases  x u8   variant | channel << 4
 *       ncases  x u8   number of events of the case
 *       ncases  x i32  submission time, minutes (runtime/timefmt.h)
 *       nevents x u8   event (reg_event) | outcome << 2
 *       nevents x u16  minutes since the case's previous event
 *
 * `run` drives every case of the script through
 *   generated  the generated machine's tables, stepped by reg_machine_apply
 *              (runtime/machine_tables.c) on a reg_machine_case;
 *   handwritten  the hand-written switch (handwritten_grain.c);
 *   engine     reg_case_submit/reg_case_apply: names, times and deadlines;
 * timing each pass over all cases, generated and hand-written alternately
 * so that both see the same machine conditions, and prints one line per
 * runner with the median, fastest and slowest pass. Every pass must end
 * with the expected results, or the run fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "engine.h"
#include "grain_warehouse_licence.h"
#include "handwritten_grain.h"
#include "machine_tables.h"
#include "intake.h"
#include "timefmt.h"

#define HEADER 40

static const reg_machine *const M = &zhambyl_grain_warehouse_licence_machine;

typedef struct {
    uint32_t ncases, nevents;
    uint32_t expected[5];
    uint8_t *variant, *nev, *ev;
    int32_t *submitted;
    uint16_t *delay;
} script;

/* ---- the PRNG: splitmix64 ---- */

static uint64_t rng;

static uint64_t rng_next(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n) { return (uint32_t)(rng_next() % n); }

/* ---- writing and reading the script ---- */

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int cmd_script(int argc, char **argv)
{
    uint32_t ncases = 1000000;
    uint64_t seed = 1;
    const char *path = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc)
            ncases = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else
            path = argv[i];
    }
    if (!path || ncases == 0) {
        fputs("usage: transitions script [--cases N] [--seed S] FILE\n", stderr);
        return 2;
    }
    /* A case has at most a timer before each step and one event per step. */
    size_t cap = (size_t)ncases * 2 * M->first_result_state;
    uint8_t *variant = malloc(ncases), *nev = malloc(ncases), *ev = malloc(cap);
    int32_t *submitted = malloc((size_t)ncases * 4);
    uint16_t *delay = malloc(cap * 2);
    if (!variant || !nev || !ev || !submitted || !delay) {
        fputs("transitions: out of memory\n", stderr);
        return 1;
    }
    uint32_t expected[5] = { 0 };
    size_t n = 0;
    /* Submissions while 001 is in force: from its first day (2017-10-03, ten
     * days after the earliest publication) up to 2020-10-12. */
    int64_t from = reg_days_from_civil(2017, 10, 3) * 1440, until = reg_days_from_civil(2020, 10, 12) * 1440;
    rng = seed;
    for (uint32_t i = 0; i < ncases; i++) {
        uint32_t v = rnd(M->nvariants), ch = rnd(M->nchannels);
        variant[i] = (uint8_t)(v | ch << 4);
        submitted[i] = (int32_t)(from + (int64_t)rnd((uint32_t)(until - from)));
        reg_machine_case c = { M->variants[v].first_state, M->variants[v].result, 0, 0 };
        size_t first = n;
        while (c.state < M->first_result_state) {
            const reg_state *s = &M->states[c.state];
            uint32_t r = rnd(1000);
            reg_event e;
            uint16_t outcome = 0;
            if (r < 15) {
                e = REG_EV_REFUSE; /* 1.5%: refused at any step */
            } else if (r < 75 && !c.late) {
                e = REG_EV_TIMER; /* 6%: the step runs late */
            } else if (r < 250 && s->nbranches > 0) {
                e = REG_EV_BRANCH; /* 17.5% of branching steps take a branch */
                outcome = s->branches[rnd(s->nbranches)].outcome;
            } else {
                e = REG_EV_COMPLETE;
            }
            if (reg_machine_apply(M, &c, e, outcome) != REG_STEP_OK) {
                fputs("transitions: the machine refused a scripted event\n", stderr);
                return 1;
            }
            ev[n] = (uint8_t)(e | outcome << 2);
            delay[n] = (uint16_t)rnd(2 * 1440);
            n++;
        }
        nev[i] = (uint8_t)(n - first);
        expected[c.result]++;
        expected[4] += c.late;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 1;
    }
    uint8_t head[HEADER];
    memcpy(head, "REGSCRPT", 8);
    put32(head + 8, 1);
    put32(head + 12, ncases);
    put32(head + 16, (uint32_t)n);
    for (int k = 0; k < 5; k++)
        put32(head + 20 + 4 * k, expected[k]);
    fwrite(head, 1, HEADER, f);
    fwrite(variant, 1, ncases, f);
    fwrite(nev, 1, ncases, f);
    for (uint32_t i = 0; i < ncases; i++) {
        uint8_t b[4];
        put32(b, (uint32_t)submitted[i]);
        fwrite(b, 1, 4, f);
    }
    fwrite(ev, 1, n, f);
    for (size_t i = 0; i < n; i++) {
        uint8_t b[2] = { (uint8_t)delay[i], (uint8_t)(delay[i] >> 8) };
        fwrite(b, 1, 2, f);
    }
    if (fclose(f) != 0) {
        perror(path);
        return 1;
    }
    printf("script: %u cases, %zu events -> %s\n", ncases, n, path);
    free(variant), free(nev), free(ev), free(submitted), free(delay);
    return 0;
}

static int script_read(const char *path, script *s)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    uint8_t head[HEADER];
    if (fread(head, 1, HEADER, f) != HEADER || memcmp(head, "REGSCRPT", 8) != 0 ||
        get32(head + 8) != 1) {
        fprintf(stderr, "%s: not an event script\n", path);
        fclose(f);
        return -1;
    }
    s->ncases = get32(head + 12);
    s->nevents = get32(head + 16);
    for (int k = 0; k < 5; k++)
        s->expected[k] = get32(head + 20 + 4 * k);
    s->variant = malloc(s->ncases);
    s->nev = malloc(s->ncases);
    s->submitted = malloc((size_t)s->ncases * 4);
    s->ev = malloc(s->nevents);
    s->delay = malloc((size_t)s->nevents * 2);
    uint8_t *raw = malloc((size_t)s->ncases * 4 + (size_t)s->nevents * 2);
    int ok = s->variant && s->nev && s->submitted && s->ev && s->delay && raw &&
             fread(s->variant, 1, s->ncases, f) == s->ncases &&
             fread(s->nev, 1, s->ncases, f) == s->ncases &&
             fread(raw, 4, s->ncases, f) == s->ncases;
    for (uint32_t i = 0; ok && i < s->ncases; i++)
        s->submitted[i] = (int32_t)get32(raw + 4 * i);
    ok = ok && fread(s->ev, 1, s->nevents, f) == s->nevents &&
         fread(raw, 2, s->nevents, f) == s->nevents;
    for (uint32_t i = 0; ok && i < s->nevents; i++)
        s->delay[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
    free(raw);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "%s: truncated event script\n", path);
        return -1;
    }
    return 0;
}

static void script_free(script *s)
{
    free(s->variant), free(s->nev), free(s->submitted), free(s->ev), free(s->delay);
}

/* ---- the runners ---- */

typedef struct {
    uint32_t results[5]; /* as script.expected */
    uint32_t errors;     /* events refused, or cases left open */
} tally;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void run_generated(const script *s, tally *t)
{
    const uint8_t *ev = s->ev;
    for (uint32_t i = 0; i < s->ncases; i++) {
        const reg_variant *v = &M->variants[s->variant[i] & 15];
        reg_machine_case c = { v->first_state, v->result, 0, 0 };
        for (uint32_t k = s->nev[i]; k > 0; k--, ev++)
            t->errors += reg_machine_apply(M, &c, (reg_event)(*ev & 3), (uint16_t)(*ev >> 2)) != REG_STEP_OK;
        t->results[c.result]++;
        t->results[4] += c.late;
        t->errors += c.state < M->first_result_state;
    }
}

static void run_handwritten(const script *s, tally *t)
{
    const uint8_t *ev = s->ev;
    for (uint32_t i = 0; i < s->ncases; i++) {
        hw_case c;
        hw_grain_start(&c, s->variant[i] & 15);
        for (uint32_t k = s->nev[i]; k > 0; k--, ev++)
            t->errors += hw_grain_apply(&c, *ev & 3, *ev >> 2) != 0;
        t->results[c.result]++;
        t->results[4] += c.late;
        t->errors += !hw_grain_finished(&c);
    }
}

/* The engine takes events as a region binary's `run` does: by name, with
 * times, computing every step's deadline on the calendar. */
static const reg_calendar *calendar;

/* A case through a channel with a flow waits in the intake at each check:
 * every check holds at `at` (a timed process is done then too). */
static int pass_intake(reg_case *c, int64_t at)
{
    int errors = 0;
    for (int n = 0; n < 256 && reg_case_in_intake(c); n++) {
        const reg_flow_item *it = reg_case_flow_item(c);
        errors += reg_case_flow_event(c, calendar, it->id, it->is_check ? "holds" : NULL, at, NULL, 0) != REG_OK_APPLIED;
    }
    return errors;
}

/* The intake's flow events of case i through channel ch, every check
 * holding at `at`, walked as the engine walks the flow. */
static void print_intake(uint32_t i, unsigned ch, const char *at)
{
    const reg_flow *f = reg_intake_flow(M, ch);
    const char *to = f && f->nitems ? f->items[0].id : "end";
    for (int n = 0, k; f && n <= f->nitems; n++, to = f->items[k].next) {
        k = reg_flow_item_index(f, to);
        if (k < 0 || f->items[k].is_steps)
            break;
        if (f->items[k].is_check || f->items[k].has_duration)
            printf("{\"event_id\":\"e%u-f%d\",\"case\":\"c%u\",\"type\":\"flow\",\"item\":\"%s\"%s,\"at\":\"%s\"}\n", i, n,
                   i, f->items[k].id, f->items[k].is_check ? ",\"outcome\":\"holds\"" : "", at);
    }
}

static void run_engine(const script *s, tally *t)
{
    const uint8_t *ev = s->ev;
    const uint16_t *delay = s->delay;
    for (uint32_t i = 0; i < s->ncases; i++) {
        reg_case c;
        int64_t at = s->submitted[i];
        if (reg_case_submit(&c, M, calendar, M->variants[s->variant[i] & 15].id,
                            M->channels[s->variant[i] >> 4].id, at, NULL, 0) != REG_OK_APPLIED) {
            t->errors++;
            ev += s->nev[i], delay += s->nev[i];
            continue;
        }
        t->errors += pass_intake(&c, at);
        for (uint32_t k = s->nev[i]; k > 0; k--, ev++, delay++) {
            reg_event e = (reg_event)(*ev & 3);
            at += *delay;
            const char *step = e == REG_EV_COMPLETE || e == REG_EV_BRANCH ? reg_case_state(&c)->step_id : NULL;
            const char *outcome = e == REG_EV_BRANCH ? M->outcomes[*ev >> 2] : NULL;
            t->errors += reg_case_apply(&c, calendar, e, step, outcome, at, NULL, 0) != REG_OK_APPLIED;
        }
        t->results[c.mc.result]++;
        t->results[4] += c.mc.late;
        t->errors += !reg_case_finished(&c);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int check(const char *name, const script *s, const tally *t)
{
    if (t->errors || memcmp(t->results, s->expected, sizeof t->results) != 0) {
        fprintf(stderr,
                "transitions: %s gave %u/%u/%u/%u late %u with %u errors; the script expects "
                "%u/%u/%u/%u late %u\n",
                name, t->results[0], t->results[1], t->results[2], t->results[3], t->results[4],
                t->errors, s->expected[0], s->expected[1], s->expected[2], s->expected[3],
                s->expected[4]);
        return -1;
    }
    return 0;
}

static void report(const char *name, const script *s, double *secs, int reps)
{
    qsort(secs, (size_t)reps, sizeof *secs, cmp_double);
    double med = reps % 2 ? secs[reps / 2] : (secs[reps / 2 - 1] + secs[reps / 2]) / 2;
    printf("transitions impl=%s cases=%u events=%u reps=%d median_s=%.6f min_s=%.6f max_s=%.6f "
           "cases_per_s=%.0f events_per_s=%.0f\n",
           name, s->ncases, s->nevents, reps, med, secs[0], secs[reps - 1], s->ncases / med,
           s->nevents / med);
}

static int cmd_run(int argc, char **argv)
{
    int reps = 15, engine_reps = 5;
    const char *cal_path = NULL, *path = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--engine-reps") == 0 && i + 1 < argc)
            engine_reps = atoi(argv[++i]);
        else if (!cal_path)
            cal_path = argv[i];
        else
            path = argv[i];
    }
    if (!path || reps < 1 || engine_reps < 1) {
        fputs("usage: transitions run [--reps R] [--engine-reps R] CALENDAR FILE\n", stderr);
        return 2;
    }
    char err[512];
    reg_calendar *cal;
    if (reg_calendar_load(cal_path, &cal, err, sizeof err) != 0) {
        fprintf(stderr, "transitions: %s\n", err);
        return 1;
    }
    calendar = cal;
    script s;
    if (script_read(path, &s) != 0)
        return 1;
    double *gen = calloc((size_t)reps, sizeof *gen), *hand = calloc((size_t)reps, sizeof *hand);
    double *eng = calloc((size_t)engine_reps, sizeof *eng);
    int status = 0;
    /* One untimed pass each warms the caches and the branch predictors. */
    tally warm = { { 0 }, 0 };
    run_generated(&s, &warm);
    run_handwritten(&s, &warm);
    for (int r = 0; r < reps && status == 0; r++) {
        tally tg = { { 0 }, 0 }, th = { { 0 }, 0 };
        double t0 = now();
        run_generated(&s, &tg);
        double t1 = now();
        run_handwritten(&s, &th);
        double t2 = now();
        gen[r] = t1 - t0;
        hand[r] = t2 - t1;
        status = check("generated", &s, &tg) | check("handwritten", &s, &th);
    }
    for (int r = 0; r < engine_reps && status == 0; r++) {
        tally te = { { 0 }, 0 };
        double t0 = now();
        run_engine(&s, &te);
        eng[r] = now() - t0;
        status = check("engine", &s, &te);
    }
    if (status == 0) {
        report("generated", &s, gen, reps);
        report("handwritten", &s, hand, reps);
        report("engine", &s, eng, engine_reps);
        printf("transitions sizeof_reg_case=%zu sizeof_reg_machine_case=%zu\n", sizeof(reg_case),
               sizeof(reg_machine_case));
    }
    free(gen), free(hand), free(eng);
    script_free(&s);
    reg_calendar_free(cal);
    return status ? 1 : 0;
}

/* Cases from..from+N-1 of the script as the JSON lines a region binary's `run`
 * reads, for the store benchmark. Timer events are left out: `run` accepts
 * a timer only once a deadline has passed, which the script's times do not
 * promise. With --submits-only, each case's submission and the passing of
 * its intake only: open cases at their first step, for the `overdue` figure. */
static int cmd_jsonl(int argc, char **argv)
{
    uint32_t from = 0, ncases = 0;
    int submits_only = 0;
    const char *path = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc)
            ncases = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--submits-only") == 0)
            submits_only = 1;
        else
            path = argv[i];
    }
    script s;
    if (!path) {
        fputs("usage: transitions jsonl [--from K] [--cases N] [--submits-only] FILE\n", stderr);
        return 2;
    }
    if (script_read(path, &s) != 0)
        return 1;
    if (from > s.ncases)
        from = s.ncases;
    if (ncases == 0 || ncases > s.ncases - from)
        ncases = s.ncases - from;
    static const char *const types[] = { "complete", "branch", "refuse", "timer" };
    const uint8_t *ev = s.ev;
    const uint16_t *delay = s.delay;
    for (uint32_t i = 0; i < from; i++)
        ev += s.nev[i], delay += s.nev[i];
    char at[REG_TIME_BUFSZ];
    for (uint32_t i = from; i < from + ncases; i++) {
        const reg_variant *v = &M->variants[s.variant[i] & 15];
        int64_t t = s.submitted[i];
        reg_format_time(t, at);
        printf("{\"event_id\":\"e%u-0\",\"case\":\"c%u\",\"type\":\"submit\",\"at\":\"%s\","
               "\"service\":\"%s\",\"variant\":\"%s\",\"channel\":\"%s\"}\n",
               i, i, at, M->id, v->id, M->channels[s.variant[i] >> 4].id);
        print_intake(i, s.variant[i] >> 4, at);
        reg_machine_case c = { v->first_state, v->result, 0, 0 };
        for (uint32_t k = 1; k <= s.nev[i]; k++, ev++, delay++) {
            reg_event e = (reg_event)(*ev & 3);
            t += *delay;
            if (submits_only || e == REG_EV_TIMER)
                continue;
            reg_format_time(t, at);
            printf("{\"event_id\":\"e%u-%u\",\"case\":\"c%u\",\"type\":\"%s\",\"at\":\"%s\"", i, k, i,
                   types[e], at);
            if (e == REG_EV_COMPLETE || e == REG_EV_BRANCH)
                printf(",\"step\":\"%s\"", M->states[c.state].step_id);
            if (e == REG_EV_BRANCH)
                printf(",\"outcome\":\"%s\"", M->outcomes[*ev >> 2]);
            fputs("}\n", stdout);
            reg_machine_apply(M, &c, e, (uint16_t)(*ev >> 2));
        }
    }
    script_free(&s);
    return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "script") == 0)
        return cmd_script(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return cmd_run(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "jsonl") == 0)
        return cmd_jsonl(argc, argv);
    fputs("usage: transitions script|run|jsonl ...\n", stderr);
    return 2;
}
