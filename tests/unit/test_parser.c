/* test_parser.c - unit tests of the front end: parser, tree, sema and fmt.
 *
 * Each construct of docs/language.md is parsed into the tree and its fields
 * checked; locations are checked against the byte offset of the text they
 * point at. The round trip (parse -> fmt -> parse gives the same tree, and
 * fmt is idempotent) runs on every rules/<region>/<service>.reg found at run
 * time, on the example of docs/language.md and on an input with comments in
 * awkward places. Run from the top of the tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glob.h>

#include "ast.h"
#include "diag.h"
#include "fmt.h"
#include "parse.h"
#include "sema.h"
#include "strbuf.h"
#include "unit.h"

/* ---- helpers ------------------------------------------------------------- */

/* A parsed text with what it needs to stay alive: the tree points into
 * nothing outside its arena, but diagnostics quote the source. */
typedef struct {
    source src;
    diag_list diags;
    regulation *reg;
} parsed;

static parsed *parse_text(const char *path, const char *text)
{
    parsed *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->src.path = path;
    p->src.text = text;
    p->src.len = strlen(text);
    diag_init(&p->diags, NULL);
    p->reg = parse_source(&p->src, &p->diags);
    assert_non_null(p->reg);
    return p;
}

static void parsed_free(parsed *p)
{
    if (!p)
        return;
    ast_free(p->reg);
    diag_free(&p->diags);
    free(p);
}

/* Fails the test with the diagnostics shown when there is any error. */
static void expect_no_errors(parsed *p)
{
    if (p->diags.errors) {
        diag_print_text(&p->diags, stderr, false);
        fail_msg("%s: %d unexpected error(s)", p->src.path, p->diags.errors);
    }
}

/* Parses and resolves text that must be correct. */
static parsed *check_text(const char *path, const char *text)
{
    parsed *p = parse_text(path, text);
    expect_no_errors(p);
    sema_check(p->reg, &p->src, &p->diags);
    expect_no_errors(p);
    return p;
}

/* Line `line` (1-based) of text, as a pointer to its first byte. */
static const char *line_start(const char *text, int line)
{
    const char *s = text;
    for (int l = 1; l < line; l++) {
        s = strchr(s, '\n');
        assert_non_null(s);
        s++;
    }
    return s;
}

/* Asserts that loc points at the first `needle` on line `line` of text:
 * the right line, the byte column where it starts, and, when len is
 * nonzero, the number of bytes underlined. */
static void expect_loc(const char *text, srcloc loc, int line, const char *needle, int len)
{
    const char *s = line_start(text, line);
    const char *end = strchr(s, '\n');
    const char *hit = strstr(s, needle);
    if (!hit || (end && hit > end))
        fail_msg("test bug: `%s` is not on line %d", needle, line);
    assert_int_equal(loc.line, line);
    assert_int_equal(loc.col, (int)(hit - s) + 1);
    if (len)
        assert_int_equal(loc.len, len);
}

static const step *find_step(const step_list *l, const char *id)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].id.name, id) == 0)
            return &l->items[i];
    fail_msg("no step `%s`", id);
    return NULL;
}

static const variant_decl *find_variant(const regulation *r, const char *id)
{
    for (size_t i = 0; i < r->nvariants; i++)
        if (strcmp(r->variants[i].id.name, id) == 0)
            return &r->variants[i];
    fail_msg("no variant `%s`", id);
    return NULL;
}

/* ---- one file with every construct of the language ----------------------- */

/* Line numbers matter: the location tests refer to them. */
static const char FULL[] =
    "// header comment\n"                                                           /* 1 */
    "regulation full_example {\n"                                                   /* 2 */
    "  title kk \"Толық мысал\"\n"                                                  /* 3 */
    "  title ru \"Полный пример\"\n"                                                /* 4 */
    "  title en \"Full example\"\n"                                                 /* 5 */
    "  region zhambyl\n"                                                            /* 6 */
    "  act \"Жамбыл облысы әкімдігінің 2015-09-02 № 222 қаулысы\"\n"                /* 7 */
    "  amended \"2016-01-10 № 5\"\n"                                                /* 8 */
    "  amended \"2019-05-03 № 149\"\n"                                              /* 9 */
    "  standard \"ҚР ИДМ 2015-04-30 № 556 бұйрығы\"\n"                              /* 10 */
    "  valid from 2015-10-16 until 2016-05-18\n"                                    /* 11 */
    "  repealed \"Жамбыл облысы әкімдігінің 28.04.2016 № 148 қаулысы\"\n"           /* 12 */
    "  provider \"облыстың жергілікті атқарушы органы\"\n"                          /* 13 */
    "  form electronic, paper\n"                                                    /* 14 */
    "\n"                                                                            /* 15 */
    "  channel portal \"www.egov.kz\"\n"                                            /* 16 */
    "  channel state_corporation \"Мемлекеттік корпорация\"\n"                      /* 17 */
    "\n"                                                                            /* 18 */
    "  result licence \"лицензия\"\n"                                               /* 19 */
    "  result refusal \"дәлелді бас тарту\" negative\n"                             /* 20 */
    "\n"                                                                            /* 21 */
    "  actor office \"кеңсе\"  // trailing   \n"                                    /* 22 */
    "  actor head \"басшы\"\n"                                                      /* 23 */
    "  actor courier \"курьер\" external\n"                                         /* 24 */
    "\n"                                                                            /* 25 */
    "  variant issue \"беру\" result licence\n"                                     /* 26 */
    "    term at most 10wd from \"құжаттарды тапсырған сәт\" cite \"5-т.\"\n"       /* 27 */
    "  variant reissue \"қайта ресімдеу\" result licence term 3wd cite \"6-т.\"\n"  /* 28 */
    "  variant duplicate \"телнұсқа\" result licence {\n"                          /* 29 */
    "    step copy \"телнұсқа дайындау\" by office takes 2h cite \"7-т.\" -> end\n" /* 30 */
    "  }\n"                                                                         /* 31 */
    "\n"                                                                            /* 32 */
    "  step register \"тіркеу\"\n"                                                  /* 33 */
    "    by office takes at most 30m [reissue 20m, portal at most 15m, state_corporation 2h] cite \"5-т. 1)\"\n" /* 34 */
    "    on incomplete \"толық емес\" -> result refusal\n"                          /* 35 */
    "    on rejected \"бас тарту\" -> sign with refusal\n"                          /* 36 */
    "    -> review\n"                                                               /* 37 */
    "  step review \"қарау\" by head takes 1wd [reissue 2cd] cite \"5-т. 2)\"\n"    /* 38 */
    "    -> sign\n"                                                                 /* 39 */
    "  step sign \"қол қою\" by head takes 3h cite \"5-т. 3)\" -> end\n"            /* 40 */
    "\n"                                                                            /* 41 */
    "  flow portal \"портал арқылы\" takes 20m cite \"11-т.\" {\n"                  /* 42 */
    "    process p1 \"авторландыру\" cite \"1-процесс\"\n"                          /* 43 */
    "    check c1 \"ЭЦҚ тексеру\" else p3 cite \"1-шарт\"\n"                        /* 44 */
    "    process p2 \"сұрау жіберу\" takes at most 5m -> end\n"                     /* 45 */
    "    process p3 \"хабарлама\" -> error\n"                                       /* 46 */
    "  }\n"                                                                         /* 47 */
    "  flow state_corporation {\n"                                                 /* 48 */
    "    process s1 \"қабылдау\" -> s2\n"                                           /* 49 */
    "    process s2 \"жіберу\" -> end\n"                                            /* 50 */
    "  }\n"                                                                         /* 51 */
    "}\n";                                                                          /* 52 */

static int setup_full(void **state)
{
    *state = check_text("full.reg", FULL);
    return 0;
}

static int teardown_full(void **state)
{
    parsed_free(*state);
    return 0;
}

static void test_header(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    assert_string_equal(r->id.name, "full_example");
    assert_int_equal(r->ntitles, 3);
    assert_string_equal(r->titles[0].lang.name, "kk");
    assert_string_equal(r->titles[0].text, "Толық мысал");
    assert_string_equal(r->titles[1].lang.name, "ru");
    assert_string_equal(r->titles[1].text, "Полный пример");
    assert_string_equal(r->titles[2].lang.name, "en");
    assert_string_equal(r->titles[2].text, "Full example");
    assert_int_equal(r->nregions, 1);
    assert_string_equal(r->regions[0].name, "zhambyl");
    assert_int_equal(r->nacts, 1);
    assert_string_equal(r->acts[0].text, "Жамбыл облысы әкімдігінің 2015-09-02 № 222 қаулысы");
    assert_int_equal(r->namended, 2);
    assert_string_equal(r->amended[0].text, "2016-01-10 № 5");
    assert_string_equal(r->amended[1].text, "2019-05-03 № 149");
    assert_int_equal(r->nstandards, 1);
    assert_int_equal(r->nrepealed, 1);
    assert_string_equal(r->repealed[0].text, "Жамбыл облысы әкімдігінің 28.04.2016 № 148 қаулысы");
    assert_int_equal(r->nproviders, 1);
    assert_true(r->has_valid);
    assert_string_equal(r->valid_from.text, "2015-10-16");
    assert_string_equal(r->valid_until.text, "2016-05-18");
    assert_int_equal(r->nforms, 2);
    assert_string_equal(r->forms[0].name, "electronic");
    assert_string_equal(r->forms[1].name, "paper");

    /* Clauses are remembered in the order they were written. */
    static const item_kind order[] = {
        ITEM_TITLE, ITEM_TITLE, ITEM_TITLE, ITEM_REGION, ITEM_ACT, ITEM_AMENDED, ITEM_AMENDED,
        ITEM_STANDARD, ITEM_VALID, ITEM_REPEALED, ITEM_PROVIDER, ITEM_FORM,
        ITEM_CHANNEL, ITEM_CHANNEL, ITEM_RESULT, ITEM_RESULT, ITEM_ACTOR, ITEM_ACTOR, ITEM_ACTOR,
        ITEM_VARIANT, ITEM_VARIANT, ITEM_VARIANT, ITEM_STEP, ITEM_STEP, ITEM_STEP,
        ITEM_FLOW, ITEM_FLOW,
    };
    assert_int_equal(r->nitems, sizeof order / sizeof order[0]);
    for (size_t i = 0; i < r->nitems; i++)
        assert_int_equal(r->items[i].kind, order[i]);
    assert_int_equal(r->items[6].index, 1); /* the second `amended` */
}

static void test_valid_open_ended(void **state)
{
    (void)state;
    parsed *p = parse_text("open.reg", "regulation x { valid from 2020-02-29 }");
    expect_no_errors(p);
    assert_true(p->reg->has_valid);
    assert_string_equal(p->reg->valid_from.text, "2020-02-29");
    assert_null(p->reg->valid_until.text);
    parsed_free(p);
}

static void test_channels_results_actors(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    assert_int_equal(r->nchannels, 2);
    assert_string_equal(r->channels[0].id.name, "portal");
    assert_string_equal(r->channels[0].label, "www.egov.kz");
    assert_string_equal(r->channels[1].id.name, "state_corporation");
    assert_string_equal(r->channels[1].label, "Мемлекеттік корпорация");

    assert_int_equal(r->nresults, 2);
    assert_string_equal(r->results[0].id.name, "licence");
    assert_false(r->results[0].negative);
    assert_string_equal(r->results[1].id.name, "refusal");
    assert_string_equal(r->results[1].label, "дәлелді бас тарту");
    assert_true(r->results[1].negative);

    assert_int_equal(r->nactors, 3);
    assert_string_equal(r->actors[0].id.name, "office");
    assert_false(r->actors[0].external);
    assert_string_equal(r->actors[2].id.name, "courier");
    assert_string_equal(r->actors[2].label, "курьер");
    assert_true(r->actors[2].external);
}

static void test_variants(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    assert_int_equal(r->nvariants, 3);

    const variant_decl *issue = &r->variants[0];
    assert_string_equal(issue->id.name, "issue");
    assert_string_equal(issue->label, "беру");
    assert_string_equal(issue->result.name, "licence");
    assert_true(issue->has_term);
    assert_true(issue->term.at_most);
    assert_int_equal(issue->term.amount, 10);
    assert_int_equal(issue->term.unit, REG_UNIT_WD);
    assert_string_equal(issue->term_from, "құжаттарды тапсырған сәт");
    assert_string_equal(issue->cite, "5-т.");
    assert_false(issue->has_steps);

    const variant_decl *reissue = &r->variants[1];
    assert_true(reissue->has_term);
    assert_false(reissue->term.at_most);
    assert_int_equal(reissue->term.amount, 3);
    assert_int_equal(reissue->term.unit, REG_UNIT_WD);
    assert_null(reissue->term_from);
    assert_string_equal(reissue->cite, "6-т.");

    const variant_decl *dup = &r->variants[2];
    assert_false(dup->has_term);
    assert_null(dup->cite);
    assert_true(dup->has_steps);
}

static void test_variant_block(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    const variant_decl *dup = find_variant(r, "duplicate");
    assert_int_equal(dup->steps.count, 1);
    const step *copy = &dup->steps.items[0];
    assert_string_equal(copy->id.name, "copy");
    assert_string_equal(copy->action, "телнұсқа дайындау");
    assert_string_equal(copy->actor.name, "office");
    assert_int_equal(copy->dur.amount, 2);
    assert_int_equal(copy->dur.unit, REG_UNIT_H);
    assert_int_equal(copy->nnexts, 1);
    assert_int_equal(copy->nexts[0].kind, TARGET_END);
    assert_int_equal(copy->index, 0);

    /* The block's steps are not shared steps. */
    assert_int_equal(r->steps.count, 3);
    assert_ptr_equal(variant_steps(r, dup), &dup->steps);
    assert_ptr_equal(variant_steps(r, find_variant(r, "issue")), &r->steps);
    assert_ptr_equal(variant_steps(r, find_variant(r, "reissue")), &r->steps);
}

static void test_steps_and_overrides(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    const step *reg = find_step(&r->steps, "register");
    assert_string_equal(reg->action, "тіркеу");
    assert_string_equal(reg->actor.name, "office");
    assert_true(reg->has_duration);
    assert_true(reg->dur.at_most);
    assert_int_equal(reg->dur.amount, 30);
    assert_int_equal(reg->dur.unit, REG_UNIT_M);
    assert_string_equal(reg->cite, "5-т. 1)");
    assert_int_equal(reg->index, 0);

    assert_int_equal(reg->noverrides, 3);
    assert_string_equal(reg->overrides[0].key.name, "reissue");
    assert_int_equal(reg->overrides[0].dur.amount, 20);
    assert_int_equal(reg->overrides[0].dur.unit, REG_UNIT_M);
    assert_false(reg->overrides[0].dur.at_most);
    assert_string_equal(reg->overrides[1].key.name, "portal");
    assert_true(reg->overrides[1].dur.at_most);
    assert_int_equal(reg->overrides[1].dur.amount, 15);
    assert_string_equal(reg->overrides[2].key.name, "state_corporation");
    assert_int_equal(reg->overrides[2].dur.amount, 2);
    assert_int_equal(reg->overrides[2].dur.unit, REG_UNIT_H);

    const step *review = find_step(&r->steps, "review");
    assert_int_equal(review->index, 1);
    assert_int_equal(review->dur.unit, REG_UNIT_WD);
    assert_int_equal(review->noverrides, 1);
    assert_int_equal(review->overrides[0].dur.unit, REG_UNIT_CD);
    assert_int_equal(review->overrides[0].dur.amount, 2);
}

static void test_branch_targets(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    const step *reg = find_step(&r->steps, "register");
    assert_int_equal(reg->nbranches, 2);

    const branch *b0 = &reg->branches[0];
    assert_string_equal(b0->outcome.name, "incomplete");
    assert_string_equal(b0->condition, "толық емес");
    assert_int_equal(b0->to.kind, TARGET_RESULT);
    assert_string_equal(b0->to.result.name, "refusal");
    assert_null(b0->to.step.name);

    const branch *b1 = &reg->branches[1];
    assert_string_equal(b1->outcome.name, "rejected");
    assert_int_equal(b1->to.kind, TARGET_STEP);
    assert_string_equal(b1->to.step.name, "sign");
    assert_string_equal(b1->to.result.name, "refusal"); /* `with refusal` */

    assert_int_equal(reg->nnexts, 1);
    assert_int_equal(reg->nexts[0].kind, TARGET_STEP);
    assert_string_equal(reg->nexts[0].step.name, "review");
    assert_null(reg->nexts[0].result.name);

    const step *sign = find_step(&r->steps, "sign");
    assert_int_equal(sign->nbranches, 0);
    assert_int_equal(sign->nnexts, 1);
    assert_int_equal(sign->nexts[0].kind, TARGET_END);
}

static void test_flows(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    assert_int_equal(r->nflows, 2);

    const flow_decl *f = &r->flows[0];
    assert_string_equal(f->channel.name, "portal");
    assert_string_equal(f->label, "портал арқылы");
    assert_true(f->has_duration);
    assert_int_equal(f->dur.amount, 20);
    assert_int_equal(f->dur.unit, REG_UNIT_M);
    assert_string_equal(f->cite, "11-т.");
    assert_int_equal(f->nitems, 4);

    const flow_item *p1 = &f->items[0];
    assert_int_equal(p1->kind, FLOW_PROCESS);
    assert_string_equal(p1->id.name, "p1");
    assert_string_equal(p1->text, "авторландыру");
    assert_string_equal(p1->cite, "1-процесс");
    assert_false(p1->has_duration);
    assert_int_equal(p1->next.kind, FLOW_TO_NEXT);

    const flow_item *c1 = &f->items[1];
    assert_int_equal(c1->kind, FLOW_CHECK);
    assert_string_equal(c1->text, "ЭЦҚ тексеру");
    assert_int_equal(c1->next.kind, FLOW_TO_NEXT);
    assert_int_equal(c1->fail.kind, FLOW_TO_ITEM);
    assert_string_equal(c1->fail.item.name, "p3");
    assert_string_equal(c1->cite, "1-шарт");

    const flow_item *p2 = &f->items[2];
    assert_true(p2->has_duration);
    assert_true(p2->dur.at_most);
    assert_int_equal(p2->dur.amount, 5);
    assert_int_equal(p2->next.kind, FLOW_TO_END);
    assert_null(p2->cite);

    assert_int_equal(f->items[3].next.kind, FLOW_TO_ERROR);

    const flow_decl *g = &r->flows[1];
    assert_string_equal(g->channel.name, "state_corporation");
    assert_null(g->label);
    assert_null(g->cite);
    assert_false(g->has_duration);
    assert_int_equal(g->nitems, 2);
    assert_int_equal(g->items[0].next.kind, FLOW_TO_ITEM);
    assert_string_equal(g->items[0].next.item.name, "s2");
}

static void test_comments(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    assert_int_equal(r->ncomments, 2);
    assert_int_equal(r->comments[0].line, 1);
    assert_int_equal(r->comments[0].col, 1);
    assert_string_equal(r->comments[0].text, "// header comment");
    assert_true(r->comments[0].own_line);

    /* A comment after code: its blanks at the end of the line are dropped. */
    assert_int_equal(r->comments[1].line, 22);
    expect_loc(FULL, (srcloc){ r->comments[1].line, r->comments[1].col, 0 }, 22, "// trailing", 0);
    assert_string_equal(r->comments[1].text, "// trailing");
    assert_false(r->comments[1].own_line);
}

static void test_comment_own_line_with_indent(void **state)
{
    (void)state;
    parsed *p = parse_text("c.reg",
                           "regulation x {\n"
                           "\t  // indented with a tab\n"
                           "  region zhambyl // after a clause\n"
                           "}\n"
                           "// after the file's regulation\n");
    expect_no_errors(p);
    const regulation *r = p->reg;
    assert_int_equal(r->ncomments, 3);
    assert_true(r->comments[0].own_line);
    assert_int_equal(r->comments[0].col, 4);
    assert_false(r->comments[1].own_line);
    assert_true(r->comments[2].own_line);
    assert_int_equal(r->comments[2].line, 5);
    parsed_free(p);
}

static void test_locations(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    expect_loc(FULL, r->loc, 2, "regulation", 10);
    expect_loc(FULL, r->id.loc, 2, "full_example", 12);
    assert_int_equal(r->end_line, 52);

    expect_loc(FULL, r->titles[1].loc, 4, "title", 0);
    expect_loc(FULL, r->titles[1].lang.loc, 4, "ru", 2);
    expect_loc(FULL, r->regions[0].loc, 6, "zhambyl", 7);
    expect_loc(FULL, r->valid_from.loc, 11, "2015-10-16", 10);
    expect_loc(FULL, r->valid_until.loc, 11, "2016-05-18", 10);
    expect_loc(FULL, r->forms[1].loc, 14, "paper", 5);
    expect_loc(FULL, r->results[1].loc, 20, "result", 0);
    expect_loc(FULL, r->actors[2].id.loc, 24, "courier", 7);

    const variant_decl *issue = &r->variants[0];
    expect_loc(FULL, issue->loc, 26, "variant", 0);
    expect_loc(FULL, issue->result.loc, 26, "licence", 7);
    expect_loc(FULL, issue->term.loc, 27, "10wd", 4);
    assert_int_equal(issue->end_line, 27);
    assert_int_equal(r->variants[2].end_line, 31);

    const step *reg = &r->steps.items[0];
    expect_loc(FULL, reg->loc, 33, "step", 0);
    expect_loc(FULL, reg->id.loc, 33, "register", 8);
    assert_int_equal(reg->end_line, 37);
    expect_loc(FULL, reg->actor.loc, 34, "office", 6);
    expect_loc(FULL, reg->dur.loc, 34, "30m", 3);
    expect_loc(FULL, reg->overrides[1].key.loc, 34, "portal", 6);
    expect_loc(FULL, reg->overrides[1].dur.loc, 34, "15m", 3);
    expect_loc(FULL, reg->branches[0].loc, 35, "on", 0);
    expect_loc(FULL, reg->branches[0].outcome.loc, 35, "incomplete", 10);
    /* A target covers all its words; the names in it have their own places. */
    expect_loc(FULL, reg->branches[0].to.loc, 35, "result refusal", 14);
    expect_loc(FULL, reg->branches[0].to.result.loc, 35, "refusal", 7);
    expect_loc(FULL, reg->branches[1].to.loc, 36, "sign with refusal", 17);
    expect_loc(FULL, reg->branches[1].to.step.loc, 36, "sign", 4);
    expect_loc(FULL, reg->nexts[0].loc, 37, "review", 6);
    assert_int_equal(r->steps.items[2].end_line, 40);

    const flow_decl *f = &r->flows[0];
    expect_loc(FULL, f->loc, 42, "flow", 0);
    expect_loc(FULL, f->channel.loc, 42, "portal", 6);
    assert_int_equal(f->end_line, 47);
    expect_loc(FULL, f->items[1].loc, 44, "check", 0);
    expect_loc(FULL, f->items[1].id.loc, 44, "c1", 2);
    expect_loc(FULL, f->items[1].fail.loc, 44, "p3", 2);
    expect_loc(FULL, f->items[2].dur.loc, 45, "5m", 2);

    /* Items span from their keyword to their last line. */
    const item_ref *last_step = &r->items[24];
    assert_int_equal(last_step->kind, ITEM_STEP);
    assert_int_equal(last_step->loc.line, 40);
    assert_int_equal(last_step->end_line, 40);
    const item_ref *first_flow = &r->items[25];
    assert_int_equal(first_flow->loc.line, 42);
    assert_int_equal(first_flow->end_line, 47);
}

static void test_string_escapes(void **state)
{
    (void)state;
    static const char text[] =
        "regulation x {\n"
        "  title kk \"a\\\"b\\\\c\\nd\\te\"\n"
        "  act \"Қазақ тілі: «тырнақша»\"\n"
        "  provider \"\"\n"
        "}\n";
    parsed *p = parse_text("esc.reg", text);
    expect_no_errors(p);
    assert_string_equal(p->reg->titles[0].text, "a\"b\\c\nd\te");
    assert_string_equal(p->reg->acts[0].text, "Қазақ тілі: «тырнақша»");
    assert_string_equal(p->reg->providers[0].text, "");

    /* fmt writes the escapes back, and they read as the same text. */
    char *out = fmt_regulation(p->reg);
    assert_non_null(strstr(out, "title kk \"a\\\"b\\\\c\\nd\\te\""));
    parsed *q = parse_text("esc-fmt.reg", out);
    expect_no_errors(q);
    assert_string_equal(q->reg->titles[0].text, "a\"b\\c\nd\te");
    parsed_free(q);
    free(out);
    parsed_free(p);
}

static void test_step_duration_per_variant(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    const variant_decl *issue = find_variant(r, "issue");
    const variant_decl *reissue = find_variant(r, "reissue");
    const variant_decl *dup = find_variant(r, "duplicate");
    const step *reg = find_step(&r->steps, "register");
    const step *review = find_step(&r->steps, "review");
    const step *sign = find_step(&r->steps, "sign");

    /* No override for the variant: the step's own duration. */
    assert_ptr_equal(step_duration(reg, issue), &reg->dur);
    assert_ptr_equal(step_duration(reg, NULL), &reg->dur);
    assert_ptr_equal(step_duration(reg, dup), &reg->dur);
    assert_ptr_equal(step_duration(sign, reissue), &sign->dur);

    /* The variant's override wins. */
    const duration *d = step_duration(reg, reissue);
    assert_ptr_equal(d, &reg->overrides[0].dur);
    assert_int_equal(d->amount, 20);
    assert_int_equal(d->unit, REG_UNIT_M);
    d = step_duration(review, reissue);
    assert_int_equal(d->amount, 2);
    assert_int_equal(d->unit, REG_UNIT_CD);
    assert_ptr_equal(step_duration(review, issue), &review->dur);

    /* Working minutes under an 8-hour day; calendar days have none. */
    assert_int_equal(duration_minutes(&reg->dur, 480), 30);
    assert_int_equal(duration_minutes(&review->dur, 480), 480);
    assert_int_equal(duration_minutes(&sign->dur, 480), 180);
    assert_int_equal(duration_minutes(step_duration(review, reissue), 480), -1);
}

static void test_sema_resolves_refs(void **state)
{
    const regulation *r = ((parsed *)*state)->reg;
    const step *reg = find_step(&r->steps, "register");
    const step *review = find_step(&r->steps, "review");
    const step *sign = find_step(&r->steps, "sign");

    assert_ptr_equal(reg->actor_ref, &r->actors[0]);
    assert_ptr_equal(review->actor_ref, &r->actors[1]);
    assert_ptr_equal(sign->actor_ref, &r->actors[1]);

    assert_ptr_equal(reg->nexts[0].step_ref, review);
    assert_null(reg->nexts[0].result_ref);
    assert_ptr_equal(reg->branches[0].to.result_ref, &r->results[1]);
    assert_null(reg->branches[0].to.step_ref);
    assert_ptr_equal(reg->branches[1].to.step_ref, sign);
    assert_ptr_equal(reg->branches[1].to.result_ref, &r->results[1]);
    assert_null(sign->nexts[0].step_ref);
    assert_null(sign->nexts[0].result_ref);

    /* Override keys: variants and channels share the brackets. */
    assert_false(reg->overrides[0].key_is_channel);
    assert_true(reg->overrides[1].key_is_channel);
    assert_true(reg->overrides[2].key_is_channel);
    assert_false(review->overrides[0].key_is_channel);

    for (size_t i = 0; i < r->nvariants; i++)
        assert_ptr_equal(r->variants[i].result_ref, &r->results[0]);

    const variant_decl *dup = find_variant(r, "duplicate");
    assert_ptr_equal(dup->steps.items[0].actor_ref, &r->actors[0]);

    assert_int_equal(r->flows[0].items[1].fail.item_index, 3);
    assert_int_equal(r->flows[1].items[0].next.item_index, 1);
}

/* A target inside a variant's block names a step of that block, even when
 * a shared step has the same id. */
static void test_sema_block_scope(void **state)
{
    (void)state;
    static const char text[] =
        "regulation x {\n"
        "  title kk \"x\"\n"
        "  region zhambyl\n"
        "  result licence \"l\"\n"
        "  actor office \"o\"\n"
        "  variant issue \"i\" result licence\n"
        "  variant reissue \"r\" result licence {\n"
        "    step a \"a\" by office takes 1h -> b\n"
        "    step b \"b\" by office takes 1h -> end\n"
        "  }\n"
        "  step a \"a\" by office takes 2h -> b\n"
        "  step b \"b\" by office takes 2h -> end\n"
        "}\n";
    parsed *p = check_text("scope.reg", text);
    const regulation *r = p->reg;
    const variant_decl *re = find_variant(r, "reissue");
    assert_ptr_equal(re->steps.items[0].nexts[0].step_ref, &re->steps.items[1]);
    assert_ptr_equal(r->steps.items[0].nexts[0].step_ref, &r->steps.items[1]);
    parsed_free(p);

    /* A block cannot reach a shared step. */
    static const char bad[] =
        "regulation x {\n"
        "  title kk \"x\"\n"
        "  region zhambyl\n"
        "  result licence \"l\"\n"
        "  actor office \"o\"\n"
        "  variant issue \"i\" result licence\n"
        "  variant reissue \"r\" result licence {\n"
        "    step a \"a\" by office takes 1h -> shared\n"
        "  }\n"
        "  step shared \"s\" by office takes 2h -> end\n"
        "}\n";
    p = parse_text("scope-bad.reg", bad);
    expect_no_errors(p);
    assert_int_equal(sema_check(p->reg, &p->src, &p->diags), 1);
    assert_string_equal(p->diags.items[0].msg, "unknown step `shared`");
    assert_int_equal(p->diags.items[0].line, 8);
    parsed_free(p);
}

static void test_sema_counts_errors(void **state)
{
    (void)state;
    static const char text[] =
        "regulation x {\n"
        "  title kk \"x\"\n"
        "  region zhambyl\n"
        "  result licence \"l\"\n"
        "  actor office \"o\"\n"
        "  variant issue \"i\" result licenc\n"
        "  step a \"a\" by ofice takes 1h -> c\n"
        "}\n";
    parsed *p = parse_text("names.reg", text);
    expect_no_errors(p);
    assert_int_equal(sema_check(p->reg, &p->src, &p->diags), 3);
    assert_int_equal(p->diags.errors, 3);
    assert_string_equal(p->diags.items[1].msg, "unknown actor `ofice`");
    assert_string_equal(p->diags.items[1].hint, "did you mean `office`? actors are: office");
    assert_int_equal(p->diags.items[1].line, 7);
    assert_null(p->reg->steps.items[0].actor_ref);
    assert_null(p->reg->steps.items[0].nexts[0].step_ref);
    parsed_free(p);
}

/* Syntax errors do not stop the parse: each is reported, and the tree
 * holds what could be read. */
static void test_error_recovery(void **state)
{
    (void)state;
    static const char text[] =
        "regulation x {\n"
        "  title kk \"x\"\n"
        "  actor office \"o\" extrnal\n"
        "  step a \"a\" by office takes 5d -> end\n"
        "  stpe b \"b\"\n"
        "  actor head \"h\"\n"
        "}\n";
    parsed *p = parse_text("recover.reg", text);
    assert_int_equal(p->diags.errors, 3);
    assert_int_equal(p->diags.items[0].line, 3);
    assert_int_equal(p->diags.items[1].line, 4);
    assert_string_equal(p->diags.items[1].msg, "unknown duration unit `d`");
    assert_int_equal(p->diags.items[2].line, 5);
    assert_string_equal(p->diags.items[2].hint, "did you mean `step`?");
    assert_string_equal(p->reg->id.name, "x");
    assert_int_equal(p->reg->steps.count, 1);
    /* the clause with the error is dropped whole; the next one is kept */
    assert_int_equal(p->reg->nactors, 1);
    assert_string_equal(p->reg->actors[0].id.name, "head");
    parsed_free(p);
}

static void test_unit_load_missing_file(void **state)
{
    (void)state;
    const char *path = "tests/unit/no_such_file.reg";
    diag_list d;
    diag_init(&d, NULL);
    unit u;
    unit_load(&u, path, &d, true);
    assert_null(u.reg);
    assert_null(u.text);
    assert_false(u.ok);
    assert_false(u.syntax_ok);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].file, path);
    assert_int_equal(d.items[0].line, 0);
    assert_null(d.items[0].text);
    assert_true(strncmp(d.items[0].msg, "cannot open file", 16) == 0);
    assert_non_null(d.items[0].hint);
    unit_free(&u);
    diag_free(&d);
}

/* ---- round trip ---------------------------------------------------------- */

/* The first line where a and b differ, for the failure message. */
static void first_difference(const char *a, const char *b, strbuf *out)
{
    int line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++;
        b++;
    }
    int na = (int)strcspn(la, "\n"), nb = (int)strcspn(lb, "\n");
    sb_printf(out, "    line %d:\n    - %.*s\n    + %.*s\n", line, na, la, nb, lb);
}

/* fmt keeps every comment as a comment of its own, with its text, in
 * order, and on its own line or after code as it was; it may move a
 * trailing comment to the last line of its item. Describes the first
 * difference in why. */
static bool same_comments(const regulation *a, const regulation *b, strbuf *why)
{
    size_t n = a->ncomments < b->ncomments ? a->ncomments : b->ncomments;
    for (size_t i = 0; i < n; i++) {
        const comment *x = &a->comments[i], *y = &b->comments[i];
        if (strcmp(x->text, y->text) != 0 || x->own_line != y->own_line) {
            sb_printf(why, "    comment %zu (line %d) became, on line %d of the output:\n"
                           "    - %s%s\n    + %s%s\n",
                      i + 1, x->line, y->line, x->own_line ? "" : "(after code) ", x->text,
                      y->own_line ? "" : "(after code) ", y->text);
            return false;
        }
    }
    if (a->ncomments != b->ncomments) {
        sb_printf(why, "    %zu comments became %zu\n", a->ncomments, b->ncomments);
        return false;
    }
    return true;
}

static void print_diags(const diag_list *d, strbuf *out)
{
    for (size_t i = 0; i < d->count; i++)
        sb_printf(out, "    %d:%d: %s\n", d->items[i].line, d->items[i].col, d->items[i].msg);
}

/* Checks parse -> fmt -> parse and fmt(fmt(x)) == fmt(x) on one input.
 * Returns false and describes the failure in why. */
static bool round_trip(const char *name, const char *text, size_t len, strbuf *why)
{
    bool ok = false;
    source s1 = { name, text, len };
    diag_list d1, d2;
    diag_init(&d1, NULL);
    diag_init(&d2, NULL);
    regulation *r1 = parse_source(&s1, &d1);
    regulation *r2 = NULL;
    char *f1 = NULL, *f2 = NULL, *dump1 = NULL, *dump2 = NULL;
    if (d1.errors) {
        sb_printf(why, "%s: does not parse (%d error%s):\n", name, d1.errors, d1.errors == 1 ? "" : "s");
        print_diags(&d1, why);
        goto out;
    }
    f1 = fmt_regulation(r1);
    source s2 = { "fmt output", f1, strlen(f1) };
    r2 = parse_source(&s2, &d2);
    if (d2.errors) {
        sb_printf(why, "%s: the output of fmt does not parse:\n", name);
        print_diags(&d2, why);
        goto out;
    }
    /* Past this point every check runs, so one run shows all that is wrong. */
    ok = true;
    dump1 = ast_dump(r1);
    dump2 = ast_dump(r2);
    if (strcmp(dump1, dump2) != 0) {
        sb_printf(why, "%s: fmt changed the tree:\n", name);
        first_difference(dump1, dump2, why);
        ok = false;
    }
    f2 = fmt_regulation(r2);
    if (strcmp(f1, f2) != 0) {
        sb_printf(why, "%s: fmt is not idempotent, fmt(fmt(x)) differs from fmt(x):\n", name);
        first_difference(f1, f2, why);
        ok = false;
    }
    strbuf cw;
    sb_init(&cw);
    if (!same_comments(r1, r2, &cw)) {
        sb_printf(why, "%s: fmt merged, lost or moved comments:\n%s", name, cw.data);
        ok = false;
    }
    sb_free(&cw);
out:
    free(dump1);
    free(dump2);
    free(f1);
    free(f2);
    ast_free(r1);
    ast_free(r2);
    diag_free(&d1);
    diag_free(&d2);
    return ok;
}

static void expect_round_trip(const char *name, const char *text)
{
    strbuf why;
    sb_init(&why);
    if (!round_trip(name, text, strlen(text), &why)) {
        fputs(why.data, stderr);
        sb_free(&why);
        fail_msg("round trip of %s failed", name);
    }
    sb_free(&why);
}

/* Every rule file in the tree; all are tried, then the failures listed. */
static void test_round_trip_rules(void **state)
{
    (void)state;
    glob_t g;
    int rc = glob("rules/*/*.reg", 0, NULL, &g);
    if (rc == GLOB_NOMATCH)
        fail_msg("no rules/*/*.reg found: run the tests from the top of the tree");
    assert_int_equal(rc, 0);
    strbuf why;
    sb_init(&why);
    size_t failed = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *path = g.gl_pathv[i];
        diag_list d;
        diag_init(&d, NULL);
        size_t len = 0;
        char *text = read_file(path, &len, &d);
        if (!text) {
            sb_printf(&why, "%s: cannot be read\n", path);
            failed++;
        } else if (!round_trip(path, text, len, &why)) {
            failed++;
        }
        free(text);
        diag_free(&d);
    }
    size_t total = g.gl_pathc;
    globfree(&g);
    if (failed) {
        fputs(why.data, stderr);
        sb_free(&why);
        fail_msg("round trip failed on %zu of %zu rule files", failed, total);
    }
    sb_free(&why);
}

/* The complete example of docs/language.md: its first fenced block. */
static void test_round_trip_language_example(void **state)
{
    (void)state;
    diag_list d;
    diag_init(&d, NULL);
    size_t len = 0;
    char *doc = read_file("docs/language.md", &len, &d);
    if (!doc)
        fail_msg("cannot read docs/language.md: run the tests from the top of the tree");
    diag_free(&d);
    char *open = strstr(doc, "```\n");
    assert_non_null(open);
    char *body = open + 4;
    char *close = strstr(body, "```");
    assert_non_null(close);
    *close = '\0';
    assert_non_null(strstr(body, "regulation small_vessel_certificate {"));

    /* The reference's example is itself a correct file. */
    parsed *p = check_text("docs/language.md example", body);
    assert_int_equal(p->reg->nvariants, 2);
    assert_int_equal(p->reg->steps.count, 3);
    assert_int_equal(p->reg->nflows, 1);
    parsed_free(p);

    expect_round_trip("docs/language.md example", body);
    free(doc);
}

/* Comments and blank lines where fmt has to decide where they go. */
static const char TRICKY[] =
    "// Leading comment before everything\n"
    "\n"
    "// second block of leading comments\n"
    "regulation tricky { // trailing on the header\n"
    "  title kk \"Күрделі \\\"мысал\\\"\" // trailing on a title\n"
    "\n"
    "\n"
    "  region zhambyl\n"
    "      // own-line comment between clauses, oddly indented\n"
    "  channel portal \"портал\"\n"
    "  result licence \"лицензия\"   // trailing with blanks after it   \n"
    "  result refusal \"бас тарту\" negative\n"
    "  actor office \"кеңсе\"\n"
    "  actor head \"басшы\"\n"
    "  variant issue \"беру\" result licence // trailing on a variant header\n"
    "    // inside the variant, before its term\n"
    "    term 5wd cite \"5-т.\"\n"
    "  variant reissue \"қайта\" result licence term 2wd {\n"
    "    // first thing in a variant block\n"
    "    step r1 \"тіркеу\" by office takes 1h -> r2 // trailing in a block\n"
    "    step r2 \"қол қою\" by head takes 1h\n"
    "      // inside a step of a block\n"
    "      -> end\n"
    "    // before the block's closing brace\n"
    "  }\n"
    "  step register \"тіркеу\" // trailing on a step's first line\n"
    "    // own line inside a step\n"
    "    by office\n"
    "    takes 1h [portal 20m] // trailing after overrides\n"
    "    cite \"1\"\n"
    "    on incomplete \"толық емес\" -> result refusal // trailing on a branch\n"
    "    -> sign\n"
    "  step sign \"қол қою\" by head takes 2h cite \"2\" -> end\n"
    "\n"
    "\n"
    "  // a comment after two blank lines\n"
    "  flow portal \"портал\" { // trailing on a flow header\n"
    "    // first in a flow\n"
    "    process p1 \"кіру\" cite \"1-процесс\" // trailing on a process\n"
    "    check c1 \"тексеру\" else p2\n"
    "    // between flow items\n"
    "\n"
    "    process p3 \"жіберу\" -> end\n"
    "    process p2 \"қате\" -> error\n"
    "    // before the flow's closing brace\n"
    "  }\n"
    "  // before the closing brace of the regulation\n"
    "} // trailing on the closing brace\n"
    "\n"
    "// after everything\n";

static void test_round_trip_tricky(void **state)
{
    (void)state;
    parsed *p = check_text("tricky.reg", TRICKY);
    assert_int_equal(p->reg->ncomments, 25);
    parsed_free(p);
    expect_round_trip("tricky.reg", TRICKY);
}

/* Canonical layout of a small file written all on one line. */
static void test_fmt_canonical_layout(void **state)
{
    (void)state;
    parsed *p = parse_text("one-line.reg",
                           "regulation x { title kk \"x\" region zhambyl result licence \"l\" "
                           "actor office \"o\" variant issue \"i\" result licence term at most 2wd "
                           "step a \"a\" by office takes 1h [issue 30m] cite \"1\" "
                           "on bad \"b\" -> a with licence -> end "
                           "flow portal { check c \"c\" else error cite \"2\" process p \"p\" -> end } }");
    expect_no_errors(p);
    char *out = fmt_regulation(p->reg);
    assert_string_equal(out,
                        "regulation x {\n"
                        "  title kk \"x\"\n"
                        "  region zhambyl\n"
                        "  result licence \"l\"\n"
                        "  actor office \"o\"\n"
                        "  variant issue \"i\" result licence\n"
                        "    term at most 2wd\n"
                        "  step a \"a\"\n"
                        "    by office takes 1h [issue 30m] cite \"1\"\n"
                        "    on bad \"b\" -> a with licence\n"
                        "    -> end\n"
                        "  flow portal {\n"
                        "    check c \"c\" else error cite \"2\"\n"
                        "    process p \"p\" -> end\n"
                        "  }\n"
                        "}\n");
    free(out);
    parsed_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_header, setup_full, teardown_full),
        cmocka_unit_test(test_valid_open_ended),
        cmocka_unit_test_setup_teardown(test_channels_results_actors, setup_full, teardown_full),
        cmocka_unit_test_setup_teardown(test_variants, setup_full, teardown_full),
        cmocka_unit_test_setup_teardown(test_variant_block, setup_full, teardown_full),
        cmocka_unit_test_setup_teardown(test_steps_and_overrides, setup_full, teardown_full),
        cmocka_unit_test_setup_teardown(test_branch_targets, setup_full, teardown_full),
        cmocka_unit_test_setup_teardown(test_flows, setup_full, teardown_full),
        cmocka_unit_test_setup_teardown(test_comments, setup_full, teardown_full),
        cmocka_unit_test(test_comment_own_line_with_indent),
        cmocka_unit_test_setup_teardown(test_locations, setup_full, teardown_full),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test_setup_teardown(test_step_duration_per_variant, setup_full, teardown_full),
        cmocka_unit_test_setup_teardown(test_sema_resolves_refs, setup_full, teardown_full),
        cmocka_unit_test(test_sema_block_scope),
        cmocka_unit_test(test_sema_counts_errors),
        cmocka_unit_test(test_error_recovery),
        cmocka_unit_test(test_unit_load_missing_file),
        cmocka_unit_test(test_fmt_canonical_layout),
        cmocka_unit_test(test_round_trip_tricky),
        cmocka_unit_test(test_round_trip_language_example),
        /* Last: it depends on the rule files others are editing. */
        cmocka_unit_test(test_round_trip_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
