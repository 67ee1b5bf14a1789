/* test_seed_models.c - each seed regulation's model against the act.
 *
 * tests/seeds/<region>/<service>.expect states, from the act and not from
 * the rule file, every variant with its result and term, every step with
 * its actor, duration (per channel too) and successor, every branch, and
 * per channel its flow: the intake's time, each intake check with the
 * process that ends the intake when it fails, and the handover's checks
 * and timed processes ("flow state_corporation takes 20m intake c1>p4
 * handover c2>p8 p9=20m").
 * This test asks the regc under test ($REGC, which tests/run.sh sets to
 * BUILD/bin/regc) for the JSON model of rules/<region>/<service>.reg with
 * `regc export --json`, renders it in the same line format and compares
 * variant, step and branch lines in order. It does not read generated/:
 * those files are what an earlier regc wrote (make check-generated holds
 * them to the rules). One test per .expect file. */
#include <cjson/cJSON.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct {
    char **lines;
    size_t count;
} lines;

static void add_line(lines *l, const char *s)
{
    l->lines = realloc(l->lines, (l->count + 1) * sizeof *l->lines);
    assert_non_null(l->lines);
    l->lines[l->count++] = strdup(s);
}

static void free_lines(lines *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->lines[i]);
    free(l->lines);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

/* The standard output of a command, or NULL when it cannot run or fails. */
static char *command_output(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    int status = pclose(p);
    if (!buf || status != 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static void duration_text(const cJSON *d, char *buf, size_t len)
{
    const cJSON *amount = cJSON_GetObjectItem(d, "amount");
    const cJSON *unit = cJSON_GetObjectItem(d, "unit");
    snprintf(buf, len, "%d%s", amount ? amount->valueint : -1, unit ? unit->valuestring : "?");
}

static void target_text(const cJSON *t, char *buf, size_t len)
{
    const char *kind = cJSON_GetObjectItem(t, "kind")->valuestring;
    if (strcmp(kind, "end") == 0) {
        snprintf(buf, len, "end");
    } else if (strcmp(kind, "result") == 0) {
        snprintf(buf, len, "result:%s", cJSON_GetObjectItem(t, "result")->valuestring);
    } else {
        const cJSON *res = cJSON_GetObjectItem(t, "result");
        snprintf(buf, len, "%s%s%s", cJSON_GetObjectItem(t, "step")->valuestring,
                 cJSON_IsString(res) ? "+" : "", cJSON_IsString(res) ? res->valuestring : "");
    }
}

static const cJSON *item_named(const cJSON *items, const char *id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id) == 0)
        return it;
    return NULL;
}

/* A check's failure: the process whose `->` is error, along processes. */
static const char *failure_process(const cJSON *items, const cJSON *check)
{
    const char *to = cJSON_GetObjectItem(check, "else")->valuestring, *last = "?";
    for (int n = 0; n < 64; n++) {
        const cJSON *it = item_named(items, to);
        if (!it)
            return strcmp(to, "error") == 0 ? last : to;
        last = cJSON_GetObjectItem(it, "id")->valuestring;
        to = cJSON_GetObjectItem(it, "next")->valuestring;
    }
    return last;
}

static void render_flows(const cJSON *model, lines *flows)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(model, "flows"))
    {
        char line[2048], dur[64];
        const cJSON *d = cJSON_GetObjectItem(f, "duration");
        if (cJSON_IsNull(d) || !d)
            snprintf(dur, sizeof dur, "none");
        else
            duration_text(d, dur, sizeof dur);
        int n = snprintf(line, sizeof line, "flow %s takes %s intake", f->string, dur);
        const cJSON *items = cJSON_GetObjectItem(f, "items"), *it;
        int after = 0;
        cJSON_ArrayForEach(it, items)
        {
            const char *kind = cJSON_GetObjectItem(it, "kind")->valuestring;
            const char *id = cJSON_GetObjectItem(it, "id")->valuestring;
            const cJSON *idur = cJSON_GetObjectItem(it, "duration");
            if (strcmp(kind, "steps") == 0) {
                after = 1;
                n += snprintf(line + n, sizeof line - (size_t)n, " handover");
            } else if (strcmp(kind, "check") == 0) {
                n += snprintf(line + n, sizeof line - (size_t)n, " %s>%s", id, failure_process(items, it));
            } else if (cJSON_IsObject(idur)) {
                duration_text(idur, dur, sizeof dur);
                n += snprintf(line + n, sizeof line - (size_t)n, " %s=%s", id, dur);
            }
        }
        if (!after)
            snprintf(line + n, sizeof line - (size_t)n, " (no steps item)");
        add_line(flows, line);
    }
}

/* Renders the model into the three kinds of lines. */
static void render(const cJSON *model, lines *variants, lines *steps, lines *branches)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(model, "variants"))
    {
        const char *name = cJSON_GetObjectItem(v, "name")->valuestring;
        char line[1024], dur[64], tgt[256];
        const cJSON *term = cJSON_GetObjectItem(v, "term");
        if (cJSON_IsNull(term))
            snprintf(dur, sizeof dur, "none");
        else
            duration_text(term, dur, sizeof dur);
        snprintf(line, sizeof line, "variant %s result %s term %s", name,
                 cJSON_GetObjectItem(v, "result")->valuestring, dur);
        add_line(variants, line);
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(v, "steps"))
        {
            const char *id = cJSON_GetObjectItem(s, "id")->valuestring;
            duration_text(cJSON_GetObjectItem(s, "duration"), dur, sizeof dur);
            int n = snprintf(line, sizeof line, "step %s %s actor %s takes %s", name, id,
                             cJSON_GetObjectItem(s, "actor")->valuestring, dur);
            const cJSON *ch;
            cJSON_ArrayForEach(ch, cJSON_GetObjectItem(s, "by_channel"))
            {
                duration_text(ch, dur, sizeof dur);
                n += snprintf(line + n, sizeof line - (size_t)n, " %s=%s", ch->string, dur);
            }
            /* A step limited to some channels: "only state_corporation,portal". */
            int k = 0;
            cJSON_ArrayForEach(ch, cJSON_GetObjectItem(s, "only"))
                n += snprintf(line + n, sizeof line - (size_t)n, "%s%s", k++ ? "," : " only ", ch->valuestring);
            target_text(cJSON_GetObjectItem(s, "next"), tgt, sizeof tgt);
            snprintf(line + n, sizeof line - (size_t)n, " next %s", tgt);
            add_line(steps, line);
            const cJSON *b;
            cJSON_ArrayForEach(b, cJSON_GetObjectItem(s, "branches"))
            {
                target_text(cJSON_GetObjectItem(b, "target"), tgt, sizeof tgt);
                snprintf(line, sizeof line, "branch %s %s %s %s", name, id,
                         cJSON_GetObjectItem(b, "outcome")->valuestring, tgt);
                add_line(branches, line);
            }
        }
    }
}

static void compare(const char *what, const char *path, const lines *expected, const lines *actual)
{
    size_t n = expected->count > actual->count ? expected->count : actual->count;
    for (size_t i = 0; i < n; i++) {
        const char *e = i < expected->count ? expected->lines[i] : "(nothing)";
        const char *a = i < actual->count ? actual->lines[i] : "(nothing)";
        if (strcmp(e, a) != 0)
            fail_msg("%s: %s line %zu differs\n  the act says: %s\n  the model has: %s", path, what, i + 1,
                     e, a);
    }
}

static void check_regulation(void **state)
{
    const char *expect_path = *state;
    /* tests/seeds/<region>/<service>.expect -> rules/<region>/<service>.reg */
    const char *regc = getenv("REGC");
    if (!regc)
        fail_msg("REGC is not set: run this test through tests/run.sh, or set REGC=build/bin/regc");
    char rule_path[1024], cmd[2300];
    const char *rel = expect_path + strlen("tests/seeds/");
    snprintf(rule_path, sizeof rule_path, "rules/%.*s.reg", (int)(strlen(rel) - strlen(".expect")), rel);
    snprintf(cmd, sizeof cmd, "'%s' export --json '%s'", regc, rule_path);
    char *text = command_output(cmd);
    if (!text)
        fail_msg("%s: `%s` failed", expect_path, cmd);
    cJSON *model = cJSON_Parse(text);
    free(text);
    assert_non_null(model);

    lines ev = { 0 }, es = { 0 }, eb = { 0 }, av = { 0 }, as = { 0 }, ab = { 0 }, ef = { 0 }, af = { 0 };
    char *exp = slurp(expect_path);
    assert_non_null(exp);
    for (char *line = strtok(exp, "\n"); line; line = strtok(NULL, "\n")) {
        size_t len = strlen(line);
        while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (strncmp(line, "variant ", 8) == 0)
            add_line(&ev, line);
        else if (strncmp(line, "step ", 5) == 0)
            add_line(&es, line);
        else if (strncmp(line, "branch ", 7) == 0)
            add_line(&eb, line);
        else if (strncmp(line, "flow ", 5) == 0)
            add_line(&ef, line);
    }
    free(exp);
    render(model, &av, &as, &ab);
    render_flows(model, &af);
    cJSON_Delete(model);
    assert_true(ev.count > 0);
    compare("variant", expect_path, &ev, &av);
    compare("step", expect_path, &es, &as);
    compare("branch", expect_path, &eb, &ab);
    compare("flow", expect_path, &ef, &af);
    free_lines(&ef);
    free_lines(&af);
    free_lines(&ev);
    free_lines(&es);
    free_lines(&eb);
    free_lines(&av);
    free_lines(&as);
    free_lines(&ab);
}

int main(void)
{
    glob_t g;
    if (glob("tests/seeds/*/*.expect", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        fprintf(stderr, "no tests/seeds/*/*.expect found (run from the repository root)\n");
        return 1;
    }
    struct CMUnitTest *tests = calloc(g.gl_pathc, sizeof *tests);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        tests[i].name = g.gl_pathv[i];
        tests[i].test_func = check_regulation;
        tests[i].initial_state = g.gl_pathv[i];
    }
    int failed = _cmocka_run_group_tests("seed models", tests, g.gl_pathc, NULL, NULL);
    free(tests);
    globfree(&g);
    return failed;
}
