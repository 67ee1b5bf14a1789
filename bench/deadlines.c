/* deadlines.c - working-time deadline queries per second.
 *
 *   deadlines [--queries N] [--seed S] [--reps R] [--naive-reps R] CALENDAR
 *
 * Draws N queries with a seeded PRNG: a start at any minute of the
 * calendar's years (2015-2026 for kz.cal) and a duration in one of the four
 * units, uniformly: 1-480 m, 1-40 h, 1-30 wd, 1-60 cd. It times
 * reg_deadline_step and reg_deadline_term over all of them against the
 * day-by-day reference versions (reg_*_naive) on the same queries, after
 * checking that both give the same answer to every query. Queries whose
 * deadline falls past the calendar's last year get REG_E_RANGE from both;
 * they are timed like the others and counted in the output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "deadline.h"
#include "timefmt.h"

typedef int (*deadline_fn)(const reg_calendar *, int64_t, int64_t, reg_unit, int64_t *);

typedef struct {
    int64_t start, amount;
    reg_unit unit;
} query;

static uint64_t rng;

static uint64_t rng_next(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One pass: the deadlines go to out (when given) and into the returned sum,
 * which the caller prints so that no pass can be optimised away. */
static int64_t pass(deadline_fn fn, const reg_calendar *cal, const query *q, size_t n, int64_t *out,
                    int *rc)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t d = 0;
        int r = fn(cal, q[i].start, q[i].amount, q[i].unit, &d);
        sum += d + r;
        if (out) {
            out[i] = d;
            rc[i] = r;
        }
    }
    return sum;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Times `reps` passes; returns the median and writes the fastest and slowest. */
static double timed(deadline_fn fn, const reg_calendar *cal, const query *q, size_t n, int reps,
                    double *lo, double *hi, int64_t *sink)
{
    double *t = malloc((size_t)reps * sizeof *t);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        *sink += pass(fn, cal, q, n, NULL, NULL);
        t[r] = now() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double med = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
    *lo = t[0];
    *hi = t[reps - 1];
    free(t);
    return med;
}

int main(int argc, char **argv)
{
    size_t n = 1000000;
    uint64_t seed = 1;
    int reps = 11, naive_reps = 3;
    const char *cal_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--naive-reps") == 0 && i + 1 < argc)
            naive_reps = atoi(argv[++i]);
        else
            cal_path = argv[i];
    }
    if (!cal_path || n == 0 || reps < 1 || naive_reps < 1) {
        fputs("usage: deadlines [--queries N] [--seed S] [--reps R] [--naive-reps R] CALENDAR\n",
              stderr);
        return 2;
    }
    char err[512];
    reg_calendar *cal;
    if (reg_calendar_load(cal_path, &cal, err, sizeof err) != 0) {
        fprintf(stderr, "deadlines: %s\n", err);
        return 1;
    }
    int first, last;
    reg_calendar_years(cal, &first, &last);
    int64_t from = reg_days_from_civil(first, 1, 1) * REG_MINUTES_PER_DAY;
    int64_t to = reg_days_from_civil(last + 1, 1, 1) * REG_MINUTES_PER_DAY;
    static const int64_t max_amount[] = { 480, 40, 30, 60 }; /* m, h, wd, cd */
    query *q = malloc(n * sizeof *q);
    int64_t *fast_out = malloc(n * sizeof *fast_out), *naive_out = malloc(n * sizeof *naive_out);
    int *fast_rc = malloc(n * sizeof *fast_rc), *naive_rc = malloc(n * sizeof *naive_rc);
    if (!q || !fast_out || !naive_out || !fast_rc || !naive_rc) {
        fputs("deadlines: out of memory\n", stderr);
        return 1;
    }
    rng = seed;
    for (size_t i = 0; i < n; i++) {
        q[i].start = from + (int64_t)(rng_next() % (uint64_t)(to - from));
        q[i].unit = (reg_unit)(rng_next() % 4);
        q[i].amount = 1 + (int64_t)(rng_next() % (uint64_t)max_amount[q[i].unit]);
    }

    static const struct {
        const char *name;
        deadline_fn fast, naive;
    } kinds[] = {
        { "step", reg_deadline_step, reg_deadline_step_naive },
        { "term", reg_deadline_term, reg_deadline_term_naive },
    };
    int64_t sink = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        /* The same answers first: a fast wrong answer is no result. */
        sink += pass(kinds[k].fast, cal, q, n, fast_out, fast_rc);
        sink += pass(kinds[k].naive, cal, q, n, naive_out, naive_rc);
        size_t out_of_range = 0;
        for (size_t i = 0; i < n; i++) {
            if (fast_rc[i] != naive_rc[i] || (fast_rc[i] == 0 && fast_out[i] != naive_out[i])) {
                fprintf(stderr, "deadlines: %s disagrees with the naive version on query %zu\n",
                        kinds[k].name, i);
                return 1;
            }
            out_of_range += fast_rc[i] == REG_E_RANGE;
        }
        double flo, fhi, nlo, nhi;
        double fmed = timed(kinds[k].fast, cal, q, n, reps, &flo, &fhi, &sink);
        double nmed = timed(kinds[k].naive, cal, q, n, naive_reps, &nlo, &nhi, &sink);
        printf("deadlines fn=%s impl=indexed queries=%zu out_of_range=%zu reps=%d median_s=%.6f "
               "min_s=%.6f max_s=%.6f queries_per_s=%.0f\n",
               kinds[k].name, n, out_of_range, reps, fmed, flo, fhi, n / fmed);
        printf("deadlines fn=%s impl=naive queries=%zu out_of_range=%zu reps=%d median_s=%.6f "
               "min_s=%.6f max_s=%.6f queries_per_s=%.0f\n",
               kinds[k].name, n, out_of_range, naive_reps, nmed, nlo, nhi, n / nmed);
    }
    /* Printed to stderr so the sums are used and the table stays clean. */
    fprintf(stderr, "deadlines: checksum %lld\n", (long long)sink);
    free(q), free(fast_out), free(naive_out), free(fast_rc), free(naive_rc);
    reg_calendar_free(cal);
    return 0;
}
