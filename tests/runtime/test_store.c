/* test_store.c - the SQLite case store, restoring cases from it, and the
 * run loop (reg_run_stream) on the fixture machine
 * (tests/runtime/fixture/licence.reg). The PostgreSQL back end runs the
 * same scenarios end to end in tests/suites/store_pg.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "engine.h"
#include "fixture.h"
#include "run.h"
#include "store.h"
#include "timefmt.h"

static reg_calendar *cal;
static char dir[64];
static const reg_region region = { "fixture", fixture_machines, 0, NULL };

static int64_t T(const char *s)
{
    int64_t t;
    assert_int_equal(reg_parse_time(s, &t), 0);
    return t;
}

static int setup(void **state)
{
    (void)state;
    const char *path = getenv("REG_CALENDAR");
    char err[256];
    snprintf(dir, sizeof dir, "/tmp/regc-test-store.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    return reg_calendar_load(path ? path : "rules/calendar/kz.cal", &cal, err, sizeof err);
}

static int teardown(void **state)
{
    (void)state;
    reg_calendar_free(cal);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fresh store file for one test. */
static reg_store *fresh(const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s.db", dir, name);
    char err[600];
    reg_store *s = reg_store_open(path, 1, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    return s;
}

static int count_rows(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static const char *journal_mode(const char *path)
{
    static char mode[16];
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return mode;
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static reg_case_row case_row(const char *id, const char *region_name, int64_t step_deadline, int64_t term_deadline,
                             int finished)
{
    reg_case_row c;
    memset(&c, 0, sizeof c);
    reg_store_copy(c.case_id, sizeof c.case_id, id);
    reg_store_copy(c.region, sizeof c.region, region_name);
    reg_store_copy(c.service, sizeof c.service, "licence");
    reg_store_copy(c.variant, sizeof c.variant, "issue");
    reg_store_copy(c.state, sizeof c.state, finished ? "result.licence" : "issue.register");
    reg_store_copy(c.result, sizeof c.result, "licence");
    c.finished = finished;
    c.submitted = c.last_event = T("2026-12-11T10:00");
    c.step_start = finished ? REG_NO_TIME : c.submitted;
    c.step_deadline = finished ? REG_NO_TIME : step_deadline;
    c.term_deadline = term_deadline;
    return c;
}

static void migrations_run_once_and_newer_schemas_are_refused(void **state)
{
    (void)state;
    char path[128], err[600];
    reg_store *s = fresh("schema", path, sizeof path);
    reg_store_close(s);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM schema_version"), REG_STORE_SCHEMA);
    assert_int_equal(count_rows(path, "SELECT max(version) FROM schema_version"), REG_STORE_SCHEMA);
    /* Opening again applies nothing. */
    s = reg_store_open(path, 0, err, sizeof err);
    assert_non_null(s);
    reg_store_close(s);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM schema_version"), REG_STORE_SCHEMA);
    assert_string_equal(journal_mode(path), "wal");
    /* A store from a newer build is left alone. */
    exec_sql(path, "INSERT INTO schema_version VALUES (99, 'later')");
    assert_null(reg_store_open(path, 0, err, sizeof err));
    assert_non_null(strstr(err, "newer"));
    /* Reading commands never create a store. */
    char missing[128];
    snprintf(missing, sizeof missing, "%s/missing.db", dir);
    assert_null(reg_store_open(missing, 0, err, sizeof err));
    assert_non_null(strstr(err, "no store"));
    assert_int_equal(access(missing, F_OK), -1);
    /* Not a database at all. */
    char junk[128];
    snprintf(junk, sizeof junk, "%s/junk.db", dir);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("this is not an SQLite file, just some text long enough to look like a header\n", f);
    fclose(f);
    assert_null(reg_store_open(junk, 0, err, sizeof err));
}

static void journal_ids_are_unique(void **state)
{
    (void)state;
    char path[128];
    reg_store *s = fresh("journal", path, sizeof path);
    reg_event_row e, got;
    memset(&e, 0, sizeof e);
    strcpy(e.event_id, "e1");
    strcpy(e.case_id, "c1");
    strcpy(e.type, "submit");
    strcpy(e.service, "licence");
    strcpy(e.state, "issue.register");
    strcpy(e.result, "licence");
    e.at = T("2026-12-11T10:00");
    e.step_deadline = T("2026-12-11T11:00");
    e.term_deadline = REG_NO_TIME;
    const char *raw = "{\"event_id\":\"e1\"}";
    assert_int_equal(reg_store_begin(s, 1), 0);
    assert_int_equal(reg_store_insert_event(s, &e, raw, strlen(raw)), 1);
    assert_true(e.seq > 0);
    assert_int_equal(reg_store_insert_event(s, &e, raw, strlen(raw)), 0);
    assert_int_equal(reg_store_commit(s), 0);
    char *back = NULL;
    assert_int_equal(reg_store_find_event(s, "e1", &got, &back), 1);
    assert_string_equal(back, raw);
    free(back);
    assert_string_equal(got.state, "issue.register");
    assert_int_equal(got.step_deadline, e.step_deadline);
    assert_int_equal(got.term_deadline, REG_NO_TIME);
    assert_int_equal(reg_store_find_event(s, "e2", &got, NULL), 0);
    /* A rolled-back event is gone. */
    strcpy(e.event_id, "e2");
    assert_int_equal(reg_store_begin(s, 1), 0);
    assert_int_equal(reg_store_insert_event(s, &e, raw, strlen(raw)), 1);
    reg_store_rollback(s);
    assert_int_equal(reg_store_find_event(s, "e2", &got, NULL), 0);
    reg_store_close(s);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM journal"), 1);
}

static void cases_round_trip(void **state)
{
    (void)state;
    char path[128];
    reg_store *s = fresh("cases", path, sizeof path);
    reg_case_row c = case_row("c1", "fixture", T("2026-12-11T11:00"), REG_NO_TIME, 0), got;
    assert_int_equal(reg_store_begin(s, 1), 0);
    assert_int_equal(reg_store_insert_case(s, &c), 1);
    assert_int_equal(reg_store_insert_case(s, &c), 0);
    c.late = 1;
    strcpy(c.channel, "portal");
    assert_int_equal(reg_store_update_case(s, &c), 1);
    reg_case_row other = case_row("nobody", "fixture", 0, 0, 0);
    assert_int_equal(reg_store_update_case(s, &other), 0);
    assert_int_equal(reg_store_commit(s), 0);
    assert_int_equal(reg_store_get_case(s, "c1", 0, &got), 1);
    assert_int_equal(got.late, 1);
    assert_string_equal(got.channel, "portal");
    assert_int_equal(got.term_deadline, REG_NO_TIME);
    assert_int_equal(got.step_deadline, c.step_deadline);
    assert_int_equal(reg_store_get_case(s, "c2", 0, &got), 0);
    reg_store_close(s);
}

typedef struct {
    char ids[8][REG_STORE_ID_MAX + 1];
    int n;
} id_list;

static int take_id(const reg_case_row *row, void *arg)
{
    id_list *l = arg;
    if (l->n < 8)
        snprintf(l->ids[l->n++], sizeof l->ids[0], "%s", row->case_id);
    return 0;
}

static void overdue_reads_the_due_index(void **state)
{
    (void)state;
    char path[128];
    reg_store *s = fresh("overdue", path, sizeof path);
    reg_case_row rows[] = {
        case_row("late_step", "fixture", T("2026-12-11T11:00"), T("2026-12-17T18:00"), 0),
        case_row("late_term", "fixture", T("2026-12-20T11:00"), T("2026-12-14T18:00"), 0),
        case_row("on_time", "fixture", T("2026-12-16T11:00"), T("2026-12-17T18:00"), 0),
        case_row("finished", "fixture", 0, T("2026-12-12T18:00"), 1),
        case_row("elsewhere", "other", T("2026-12-11T11:00"), REG_NO_TIME, 0),
    };
    assert_int_equal(reg_store_begin(s, 1), 0);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(reg_store_insert_case(s, &rows[i]), 1);
    assert_int_equal(reg_store_commit(s), 0);
    id_list l = { .n = 0 };
    assert_int_equal(reg_store_overdue(s, "fixture", T("2026-12-15T10:00"), take_id, &l), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.ids[0], "late_step"); /* ordered by the earliest deadline */
    assert_string_equal(l.ids[1], "late_term");
    /* At the deadline itself a case is not overdue yet. */
    l.n = 0;
    assert_int_equal(reg_store_overdue(s, "fixture", T("2026-12-11T11:00"), take_id, &l), 0);
    assert_int_equal(l.n, 0);
    reg_store_close(s);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM cases WHERE due IS NULL"), 1);
    /* The query is an index range scan, not a scan of every case. */
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "EXPLAIN QUERY PLAN SELECT case_id FROM cases WHERE region = ?1 AND "
                                        "due < ?2 ORDER BY due, case_id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int uses_index = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        uses_index |= strstr((const char *)sqlite3_column_text(st, 3), "USING INDEX cases_due") != NULL;
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_true(uses_index);
}

static void restore_gives_back_the_case(void **state)
{
    (void)state;
    const reg_machine *m = &fixture_licence_machine;
    reg_case c, back;
    char why[256];
    assert_int_equal(reg_case_submit(&c, m, cal, "issue", "portal", T("2026-12-11T10:00"), why, sizeof why),
                     REG_OK_APPLIED);
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_COMPLETE, "register", NULL, T("2026-12-11T10:30"), why, sizeof why),
                     REG_OK_APPLIED);
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_BRANCH, "review", "incomplete", T("2026-12-11T11:00"), why,
                                    sizeof why),
                     REG_OK_APPLIED);
    reg_case_saved saved = { "issue", "portal", reg_case_state(&c)->name, m->results[c.mc.result].id, 1,
                             c.submitted, c.last_event, c.step_start, c.step_deadline, c.term_deadline,
                             c.term_anchor };
    assert_int_equal(reg_case_restore(&back, m, &saved, why, sizeof why), 0);
    assert_int_equal(back.mc.state, c.mc.state);
    assert_int_equal(back.mc.result, c.mc.result);
    assert_int_equal(back.mc.late, 1);
    assert_int_equal(back.channel, c.channel);
    assert_int_equal(back.step_deadline, c.step_deadline);
    /* The restored case goes on like the original. */
    assert_int_equal(reg_case_apply(&back, cal, REG_EV_COMPLETE, "sign", NULL, T("2026-12-11T12:00"), why, sizeof why),
                     REG_OK_APPLIED);
    /* Names that the machine does not have. */
    reg_case_saved bad = saved;
    bad.state = "issue.gone";
    assert_int_equal(reg_case_restore(&back, m, &bad, why, sizeof why), -1);
    assert_non_null(strstr(why, "issue.gone"));
    bad = saved;
    bad.variant = "duplicate"; /* issue.sign is not a step of duplicate */
    assert_int_equal(reg_case_restore(&back, m, &bad, why, sizeof why), -1);
    bad = saved;
    bad.channel = "fax";
    assert_int_equal(reg_case_restore(&back, m, &bad, why, sizeof why), -1);
    bad = saved;
    bad.result = "medal";
    assert_int_equal(reg_case_restore(&back, m, &bad, why, sizeof why), -1);
    saved.state = "result.refusal";
    assert_int_equal(reg_case_restore(&back, m, &saved, why, sizeof why), 0);
    assert_true(reg_case_finished(&back));
}

/* Runs text through reg_run_stream; returns the answers, one a line. */
static char *run_text(reg_store *s, const char *text, size_t len, int batch, reg_run_stats *stats)
{
    char in[128];
    snprintf(in, sizeof in, "%s/input.jsonl", dir);
    FILE *f = fopen(in, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    FILE *in_f = fopen(in, "rb");
    FILE *out = tmpfile();
    assert_non_null(in_f);
    assert_non_null(out);
    reg_region r = region;
    r.count = fixture_machine_count;
    assert_int_equal(reg_run_stream(&r, cal, s, fileno(in_f), out, batch, stats), 0);
    fclose(in_f);
    long size = ftell(out);
    rewind(out);
    char *answers = malloc((size_t)size + 1);
    assert_non_null(answers);
    assert_int_equal(fread(answers, 1, (size_t)size, out), (size_t)size);
    answers[size] = '\0';
    fclose(out);
    return answers;
}

/* The n-th answer (from 0) as JSON. */
static cJSON *answer(const char *answers, int n)
{
    const char *p = answers;
    for (int i = 0; i < n; i++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    const char *e = strchr(p, '\n');
    assert_non_null(e);
    cJSON *j = cJSON_ParseWithLength(p, (size_t)(e - p));
    assert_non_null(j);
    return j;
}

static void assert_field(cJSON *j, const char *key, const char *want)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    assert_true(cJSON_IsString(v));
    assert_string_equal(v->valuestring, want);
}

static const char life[] =
    "{\"event_id\":\"e1\",\"case\":\"c1\",\"type\":\"submit\",\"service\":\"licence\",\"variant\":\"issue\","
    "\"channel\":\"portal\",\"at\":\"2026-12-11T10:00\"}\n"
    "{\"event_id\":\"e2\",\"case\":\"c1\",\"type\":\"complete\",\"step\":\"register\",\"at\":\"2026-12-11T10:30\"}\n"
    "{\"event_id\":\"e3\",\"case\":\"c1\",\"type\":\"branch\",\"step\":\"review\",\"outcome\":\"forged\","
    "\"at\":\"2026-12-11T11:00\"}\n"
    "{\"event_id\":\"e4\",\"case\":\"c1\",\"type\":\"complete\",\"step\":\"sign\",\"at\":\"2026-12-11T12:00\"}\n"
    "{\"event_id\":\"e2\",\"case\":\"c1\",\"type\":\"complete\",\"step\":\"register\",\"at\":\"2026-12-11T10:30\"}\n"
    "{\"event_id\":\"e2\",\"case\":\"c1\",\"type\":\"complete\",\"step\":\"register\",\"at\":\"2026-12-11T10:31\"}\r\n"
    "{\"event_id\":\"e5\",\"case\":\"c2\",\"type\":\"submit\",\"service\":\"licence\",\"variant\":\"issue\","
    "\"at\":\"2026-12-20T10:00\"}";

static void run_applies_answers_and_batches(void **state)
{
    (void)state;
    char path[128];
    reg_store *s = fresh("run", path, sizeof path);
    reg_run_stats st;
    char *out = run_text(s, life, strlen(life), 3, &st);
    assert_int_equal(st.lines, 7);
    assert_int_equal(st.accepted, 3);
    assert_int_equal(st.duplicates, 2);
    assert_int_equal(st.rejected, 2);
    assert_int_equal(st.commits, 3); /* 3 + 3 + the last line at the end of input */
    cJSON *j = answer(out, 0);
    assert_field(j, "state", "issue.register");
    assert_field(j, "step_deadline", "2026-12-11T11:00");
    assert_field(j, "term_deadline", "2026-12-17T18:00");
    cJSON_Delete(j);
    j = answer(out, 2);
    assert_field(j, "state", "result.refusal");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "finished")));
    cJSON_Delete(j);
    j = answer(out, 3);
    assert_field(j, "reason", "case_finished");
    cJSON_Delete(j);
    j = answer(out, 4);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "duplicate")));
    assert_field(j, "state", "issue.review");
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "warning"));
    cJSON_Delete(j);
    /* Same id, other content (and a CRLF line end): still the first answer,
     * with a warning. */
    j = answer(out, 5);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "duplicate")));
    assert_field(j, "at", "2026-12-11T10:30");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(j, "warning"));
    cJSON_Delete(j);
    /* The last line has no newline, and the licence is repealed by then. */
    j = answer(out, 6);
    assert_field(j, "reason", "not_in_force");
    cJSON_Delete(j);
    free(out);
    reg_store_close(s);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM journal"), 3);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM rejections"), 2);
}

static void long_lines_are_refused_and_skipped(void **state)
{
    (void)state;
    char path[128];
    reg_store *s = fresh("long", path, sizeof path);
    size_t big = (size_t)REG_LINE_MAX + 10;
    const char *tail = "\n{\"event_id\":\"x\"}\n";
    char *text = malloc(big + strlen(tail) + 1);
    assert_non_null(text);
    memset(text, 'a', big);
    strcpy(text + big, tail);
    reg_run_stats st;
    char *out = run_text(s, text, strlen(text), 1, &st);
    assert_int_equal(st.lines, 2);
    cJSON *j = answer(out, 0);
    assert_field(j, "reason", "line_too_long");
    cJSON_Delete(j);
    j = answer(out, 1);
    assert_field(j, "reason", "missing_field");
    assert_field(j, "event_id", "x");
    cJSON_Delete(j);
    free(out);
    /* A line of exactly the limit is read whole (and is not JSON). */
    memset(text, ' ', REG_LINE_MAX);
    text[0] = '{';
    text[REG_LINE_MAX] = '\n';
    out = run_text(s, text, (size_t)REG_LINE_MAX + 1, 1, &st);
    j = answer(out, 0);
    assert_field(j, "reason", "malformed_json");
    cJSON_Delete(j);
    free(out);
    free(text);
    reg_store_close(s);
}

static void hostile_text_is_refused(void **state)
{
    (void)state;
    char path[128];
    reg_store *s = fresh("hostile", path, sizeof path);
    static const char text[] = "\xff\xfe\n"
                               "{\"event_id\":\"a\\u0000b\",\"case\":\"c\",\"type\":\"timer\",\"at\":\"2026-12-11T10:00\"}\n"
                               "{\"event_id\":\"a\",\"event_id\":\"b\"}\n"
                               "{\"event_id\":\"a\",\"case\":\"c\",\"type\":\"timer\",\"at\":\"2026-12-11T10:00\"} x\n"
                               "\"just a string\"\n"
                               "\n"
                               "{\"event_id\":\"\\\\u0000\",\"case\":\"c\",\"type\":\"timer\",\"at\":\"2026-12-11T10:00\"}\n"
                               "\xed\xa0\x80\n";
    reg_run_stats st;
    char *out = run_text(s, text, sizeof text - 1, 4, &st);
    assert_int_equal(st.lines, 8);
    assert_int_equal(st.rejected, 8);
    static const char *const want[] = { "malformed_json", "malformed_json", "invalid_field", "malformed_json",
                                        "malformed_json", "malformed_json", "unknown_case",  "malformed_json" };
    for (int i = 0; i < 8; i++) {
        cJSON *j = answer(out, i);
        assert_field(j, "reason", want[i]);
        cJSON_Delete(j);
    }
    free(out);
    reg_store_close(s);
    /* Refusals are logged, with the text only when it is valid UTF-8. */
    assert_int_equal(count_rows(path, "SELECT count(*) FROM rejections"), 8);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM rejections WHERE raw IS NULL"), 2);
}

static void utf8_prefix_keeps_sequences_whole(void **state)
{
    (void)state;
    const char *s = "a\xd2\x9b"; /* a, then U+049B in two bytes */
    assert_int_equal(reg_utf8_prefix(s, 3, 10), 3);
    assert_int_equal(reg_utf8_prefix(s, 3, 2), 1);
    assert_int_equal(reg_utf8_prefix(s, 3, 1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrations_run_once_and_newer_schemas_are_refused),
        cmocka_unit_test(journal_ids_are_unique),
        cmocka_unit_test(cases_round_trip),
        cmocka_unit_test(overdue_reads_the_due_index),
        cmocka_unit_test(restore_gives_back_the_case),
        cmocka_unit_test(run_applies_answers_and_batches),
        cmocka_unit_test(long_lines_are_refused_and_skipped),
        cmocka_unit_test(hostile_text_is_refused),
        cmocka_unit_test(utf8_prefix_keeps_sequences_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
