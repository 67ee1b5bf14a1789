/* parser.y - the grammar of the rule language (bison).
 *
 * One file holds one `regulation { ... }`. Clauses start with a keyword, so
 * newlines carry no meaning and error recovery can resynchronise on the next
 * clause keyword: a run reports every syntax error of the file, not just the
 * first. Actions only build the tree; names are checked later by sema.c. */
%code requires {
#include "ast.h"
#include "parse_state.h"
typedef void *yyscan_t;
}

%code {
#include <stdbool.h>
#include <string.h>

int yylex(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner);
int regc_is_keyword(const char *s);

static srcloc at(YYLTYPE l)
{
    srcloc s = { l.first_line, l.first_column,
                 l.last_line == l.first_line ? l.last_column - l.first_column : 1 };
    return s;
}

#define PUSH(arr, n) ((arr) = arena_push(&st->reg->mem, (arr), &(n), sizeof *(arr)), &(arr)[(n) - 1])

static void add_item(lex_state *st, item_kind kind, size_t index, YYLTYPE l)
{
    regulation *r = st->reg;
    item_ref *it = PUSH(r->items, r->nitems);
    it->kind = kind;
    it->index = index;
    it->loc = at(l);
    it->end_line = l.last_line;
}

/* A clause that may start with `repeal`: without it, the clause starts at
 * its keyword, not where the empty `repeal` was matched (the end of the
 * previous token), so that comments before it stay before it. */
static YYLTYPE from_keyword(YYLTYPE whole, YYLTYPE keyword, bool repeal)
{
    if (!repeal) {
        whole.first_line = keyword.first_line;
        whole.first_column = keyword.first_column;
    }
    return whole;
}

static void twice(lex_state *st, YYLTYPE l, const char *clause, const char *owner)
{
    diag_hint(diag_error(st->diags, st->src, at(l), "`%s` given twice for %s", clause, owner),
              "each clause appears once; remove one of them");
}

static void yyerror(YYLTYPE *l, yyscan_t scanner, lex_state *st, const char *msg)
{
    (void)scanner;
    diag_error(st->diags, st->src, at(*l), "%s", msg);
}
}

%define api.pure full
/* Exact lists of expected tokens in messages ("did you mean `takes`?"). */
%define parse.lac full
%define parse.error custom
%locations
%param {yyscan_t scanner}
%parse-param {lex_state *st}

%union {
    char *str;
    ident id;
    duration dur;
    target tgt;
    flow_target ftgt;
    bool flag;
    size_t count;
}

%token <id> IDENT "identifier"
%token <str> STRING "string"
%token <dur> DURATION "duration"
%token <str> DATE "date"
%token ARROW "->"
%token KW_ACT "act" KW_ACTOR "actor" KW_AMENDED "amended" KW_AT "at" KW_BY "by"
%token KW_CHANNEL "channel" KW_CHECK "check" KW_CITE "cite" KW_ELSE "else" KW_END "end"
%token KW_ERROR "error" KW_EXTERNAL "external" KW_FLOW "flow" KW_FORM "form" KW_FROM "from"
%token KW_MOST "most" KW_NEGATIVE "negative" KW_ON "on" KW_ONLY "only" KW_PROCESS "process" KW_STEPS "steps"
%token <id> KW_PROVIDER "provider" KW_REGION "region" KW_REGULATION "regulation"
%token KW_REPEALED "repealed" KW_RESULT "result" KW_STANDARD "standard" KW_STEP "step"
%token KW_TAKES "takes" KW_TERM "term" KW_TITLE "title" KW_UNTIL "until" KW_VALID "valid"
%token KW_VARIANT "variant" KW_WITH "with"
%token KW_AFTER "after" KW_AND "and" KW_BETWEEN "between" KW_FORCE "force" KW_IN "in"
%token KW_PUBLICATION "publication" KW_PUBLISHED "published" KW_REPEAL "repeal" KW_EVENT "event"
%token KW_OF "of" KW_WORDING "wording" KW_GAP "gap"

%type <tgt> target
%type <ftgt> flow_target
%type <flag> opt_at_most opt_negative opt_external opt_repeal
%type <str> opt_from opt_string
%type <id> opt_with channel_name

%%

file
    : %empty
    | file regulation
    ;

regulation
    : KW_REGULATION IDENT '{'
        {
            if (st->nregulations++ > 0)
                diag_hint(diag_error(st->diags, st->src, at(@1), "a second regulation in one file"),
                          "write one regulation per file: rules/<region>/<service>.reg");
            else {
                st->reg->id = $2;
                st->reg->loc = at(@1);
            }
        }
      items '}'
        { st->reg->end_line = @6.last_line; }
    ;

items
    : %empty
    | items item
    ;

text_clause
    : KW_ACT STRING
        { text_decl *t = PUSH(st->reg->acts, st->reg->nacts); t->text = $2; t->loc = at(@2);
          add_item(st, ITEM_ACT, st->reg->nacts - 1, @$); }
    | KW_AMENDED STRING
        { text_decl *t = PUSH(st->reg->amended, st->reg->namended); t->text = $2; t->loc = at(@2);
          add_item(st, ITEM_AMENDED, st->reg->namended - 1, @$); }
    | KW_STANDARD STRING
        { text_decl *t = PUSH(st->reg->standards, st->reg->nstandards); t->text = $2; t->loc = at(@2);
          add_item(st, ITEM_STANDARD, st->reg->nstandards - 1, @$); }
    | KW_REPEALED STRING
        { text_decl *t = PUSH(st->reg->repealed, st->reg->nrepealed); t->text = $2; t->loc = at(@2);
          add_item(st, ITEM_REPEALED, st->reg->nrepealed - 1, @$); }
    | KW_PROVIDER STRING
        { text_decl *t = PUSH(st->reg->providers, st->reg->nproviders); t->text = $2; t->loc = at(@2);
          add_item(st, ITEM_PROVIDER, st->reg->nproviders - 1, @$); }
    ;

item
    : KW_TITLE IDENT STRING
        { title_decl *t = PUSH(st->reg->titles, st->reg->ntitles);
          t->lang = $2; t->text = $3; t->loc = at(@1);
          add_item(st, ITEM_TITLE, st->reg->ntitles - 1, @$); }
    | KW_REGION IDENT
        { ident *r = PUSH(st->reg->regions, st->reg->nregions); *r = $2;
          add_item(st, ITEM_REGION, st->reg->nregions - 1, @$); }
    | text_clause
    | KW_VALID KW_FROM DATE
        {
            regulation *r = st->reg;
            if (r->nvalid++ > 0)
                twice(st, @1, "valid", "the regulation");
            r->has_valid = true;
            r->valid_from.text = $3;
            r->valid_from.loc = at(@3);
            r->valid_until.text = NULL;
        }
      opt_until
        { add_item(st, ITEM_VALID, 0, @$); }
    | opt_repeal KW_IN KW_FORCE
        {
            force_decl *f = $1 ? &st->reg->repeal : &st->reg->entry;
            if (f->nin_force++ > 0)
                twice(st, @2, $1 ? "repeal in force" : "in force", "the regulation");
            f->present = true;
            f->loc = at(@2);
            st->cur_force = f;
        }
      in_force_rule
        { add_item(st, ITEM_IN_FORCE, $1 ? 1 : 0, from_keyword(@$, @2, $1)); }
    | opt_repeal KW_PUBLISHED
        {
            force_decl *f = $1 ? &st->reg->repeal : &st->reg->entry;
            if (f->npublished++ > 0)
                twice(st, @2, $1 ? "repeal published" : "published", "the regulation");
            f->has_pub = true;
            f->pub_loc = at(@2);
            st->cur_force = f;
        }
      publication
        { add_item(st, ITEM_PUBLISHED, $1 ? 1 : 0, from_keyword(@$, @2, $1)); }
    | KW_WORDING KW_OF IDENT opt_gap
        {
            if (st->reg->wording_of.name)
                twice(st, @1, "wording of", "the regulation");
            st->reg->wording_of = $3;
            add_item(st, ITEM_WORDING, 0, @$);
        }
    | KW_FORM
        { $<count>$ = st->reg->nforms; }
      form_list
        {
            add_item(st, ITEM_FORM, $<count>2, @$);
            st->reg->items[st->reg->nitems - 1].count = st->reg->nforms - $<count>2;
        }
    | KW_CHANNEL channel_name STRING
        { channel_decl *c = PUSH(st->reg->channels, st->reg->nchannels);
          c->id = $2; c->label = $3; c->loc = at(@1);
          add_item(st, ITEM_CHANNEL, st->reg->nchannels - 1, @$); }
    | KW_RESULT IDENT STRING opt_negative
        { result_decl *d = PUSH(st->reg->results, st->reg->nresults);
          d->id = $2; d->label = $3; d->negative = $4; d->loc = at(@1);
          add_item(st, ITEM_RESULT, st->reg->nresults - 1, @$); }
    | KW_ACTOR IDENT STRING opt_external
        { actor_decl *a = PUSH(st->reg->actors, st->reg->nactors);
          a->id = $2; a->label = $3; a->external = $4; a->loc = at(@1);
          add_item(st, ITEM_ACTOR, st->reg->nactors - 1, @$); }
    | variant
        { add_item(st, ITEM_VARIANT, st->reg->nvariants - 1, @$); }
    | step
        { add_item(st, ITEM_STEP, st->reg->steps.count - 1, @$); }
    | flow
        { add_item(st, ITEM_FLOW, st->reg->nflows - 1, @$); }
    | error
    ;

/* `after gap "reason" cite "citation"`: the law leaves days between the
 * previous wording's end and this one's start (compiler/versions.h). */
opt_gap
    : %empty
    | KW_AFTER KW_GAP STRING KW_CITE STRING
        { gap_decl *g = &st->reg->gap;
          g->present = true; g->loc = at(@2); g->reason = $3; g->cite = $5; }
    ;

opt_repeal
    : %empty        { $$ = false; }
    | KW_REPEAL     { $$ = true; }
    ;

/* The act's own words: "... күнтізбелік он күн өткен соң қолданысқа
 * енгізіледі" is `in force 10cd after publication`. */
in_force_rule
    : KW_ON DATE
        { st->cur_force->fixed = true; st->cur_force->on.text = $2; st->cur_force->on.loc = at(@2); }
    | DURATION KW_AFTER KW_PUBLICATION
        { st->cur_force->after = $1; }
    ;

/* `published on DATE "source"`, or, when the date is not known,
 * `published between DATE "source" and DATE "source"`. */
publication
    : KW_ON DATE STRING
        { force_decl *f = st->cur_force;
          f->pub_earliest.text = f->pub_latest.text = $2;
          f->pub_earliest.loc = f->pub_latest.loc = at(@2);
          f->why_earliest = f->why_latest = $3; }
    | KW_BETWEEN DATE STRING KW_AND DATE STRING
        { force_decl *f = st->cur_force;
          f->pub_earliest.text = $2; f->pub_earliest.loc = at(@2); f->why_earliest = $3;
          f->pub_latest.text = $5; f->pub_latest.loc = at(@5); f->why_latest = $6; }
    ;

opt_until
    : %empty
    | KW_UNTIL DATE
        { st->reg->valid_until.text = $2; st->reg->valid_until.loc = at(@2); }
    ;

form_list
    : IDENT
        { ident *f = PUSH(st->reg->forms, st->reg->nforms); *f = $1; }
    | form_list ',' IDENT
        { ident *f = PUSH(st->reg->forms, st->reg->nforms); *f = $3; }
    ;

/* `provider` is both a clause and the usual name of the provider's own
 * channel; where a channel is named, the keyword is taken as a name. */
channel_name
    : IDENT         { $$ = $1; }
    | KW_PROVIDER   { $$ = $1; }
    ;

opt_negative
    : %empty        { $$ = false; }
    | KW_NEGATIVE   { $$ = true; }
    ;

opt_external
    : %empty        { $$ = false; }
    | KW_EXTERNAL   { $$ = true; }
    ;

opt_at_most
    : %empty        { $$ = false; }
    | KW_AT KW_MOST { $$ = true; }
    ;

/* ---- variants ---- */

variant
    : KW_VARIANT IDENT STRING KW_RESULT IDENT
        {
            variant_decl *v = PUSH(st->reg->variants, st->reg->nvariants);
            v->id = $2;
            v->label = $3;
            v->result = $5;
            v->loc = at(@1);
            st->cur_variant = v;
        }
      variant_clauses variant_block
        { st->cur_variant->end_line = @$.last_line; st->cur_variant = NULL; }
    ;

variant_clauses
    : %empty
    | variant_clauses variant_clause
    ;

variant_clause
    : KW_TERM opt_at_most DURATION opt_from
        {
            variant_decl *v = st->cur_variant;
            if (v->has_term)
                twice(st, @1, "term", "this variant");
            v->has_term = true;
            v->term = $3;
            v->term.at_most = $2;
            v->term_from = $4;
        }
    | KW_CITE STRING
        {
            if (st->cur_variant->cite)
                twice(st, @1, "cite", "this variant");
            st->cur_variant->cite = $2;
        }
    ;

/* `from "words"` labels the start of the term; `from event ID "words"`
 * counts it from an event the case receives (the exam), `from step ID
 * "words"` from the moment the case reaches a step. */
opt_from
    : %empty          { $$ = NULL; }
    | KW_FROM STRING  { $$ = $2; }
    | KW_FROM KW_EVENT IDENT opt_string
        { st->cur_variant->term_anchor = $3; st->cur_variant->anchor_is_step = false; $$ = $4; }
    | KW_FROM KW_STEP IDENT opt_string
        { st->cur_variant->term_anchor = $3; st->cur_variant->anchor_is_step = true; $$ = $4; }
    ;

variant_block
    : %empty
    | '{'
        {
            st->cur_variant->has_steps = true;
            st->cur_variant->block_line = @1.first_line;
            st->cur_steps = &st->cur_variant->steps;
        }
      block_steps '}'
        { st->cur_steps = &st->reg->steps; }
    ;

block_steps
    : %empty
    | block_steps step
    | block_steps error
    ;

/* ---- steps ---- */

step
    : KW_STEP IDENT STRING
        {
            step_list *l = st->cur_steps;
            step *s = PUSH(l->items, l->count);
            s->id = $2;
            s->action = $3;
            s->loc = at(@1);
            s->index = l->count - 1;
            st->cur_step = s;
        }
      step_parts
        { st->cur_step->end_line = @$.last_line; }
    ;

step_parts
    : %empty
    | step_parts step_part
    ;

step_part
    : KW_BY IDENT
        {
            if (st->cur_step->actor.name)
                twice(st, @1, "by", "this step");
            st->cur_step->actor = $2;
        }
    | KW_TAKES opt_at_most DURATION
        {
            step *s = st->cur_step;
            if (s->has_duration)
                twice(st, @1, "takes", "this step");
            s->has_duration = true;
            s->dur = $3;
            s->dur.at_most = $2;
        }
      opt_overrides
    | KW_CITE STRING
        {
            if (st->cur_step->cite)
                twice(st, @1, "cite", "this step");
            st->cur_step->cite = $2;
        }
    | KW_ONLY
        {
            if (st->cur_step->nonly)
                twice(st, @1, "only", "this step");
            st->cur_step->only_loc = at(@1);
        }
      only_channels
    | KW_ON IDENT STRING ARROW target
        {
            step *s = st->cur_step;
            branch *b = PUSH(s->branches, s->nbranches);
            b->outcome = $2;
            b->condition = $3;
            b->to = $5;
            b->loc = at(@1);
        }
    | ARROW target
        {
            step *s = st->cur_step;
            target *t = PUSH(s->nexts, s->nnexts);
            *t = $2;
        }
    ;

/* `only state_corporation, provider`: the channels a step applies to. */
only_channels
    : channel_name
        { step *s = st->cur_step; *PUSH(s->only, s->nonly) = $1; }
    | only_channels ',' channel_name
        { step *s = st->cur_step; *PUSH(s->only, s->nonly) = $3; }
    ;

opt_overrides
    : %empty
    | '[' override_list ']'
    ;

override_list
    : override
    | override_list ',' override
    ;

override
    : channel_name opt_at_most DURATION
        {
            step *s = st->cur_step;
            override *o = PUSH(s->overrides, s->noverrides);
            o->key = $1;
            o->dur = $3;
            o->dur.at_most = $2;
        }
    ;

target
    : IDENT opt_with
        { memset(&$$, 0, sizeof $$); $$.kind = TARGET_STEP; $$.step = $1; $$.result = $2; $$.loc = at(@$); }
    | KW_RESULT IDENT
        { memset(&$$, 0, sizeof $$); $$.kind = TARGET_RESULT; $$.result = $2; $$.loc = at(@$); }
    | KW_END
        { memset(&$$, 0, sizeof $$); $$.kind = TARGET_END; $$.loc = at(@$); }
    ;

opt_with
    : %empty          { memset(&$$, 0, sizeof $$); }
    | KW_WITH IDENT   { $$ = $2; }
    ;

/* ---- information-system flows ---- */

flow
    : KW_FLOW channel_name opt_string
        {
            flow_decl *f = PUSH(st->reg->flows, st->reg->nflows);
            f->channel = $2;
            f->label = $3;
            f->loc = at(@1);
            st->cur_flow = f;
        }
      flow_clauses '{'
        { st->cur_flow->block_line = @6.first_line; }
      flow_items '}'
        { st->cur_flow->end_line = @$.last_line; st->cur_flow = NULL; }
    ;

opt_string
    : %empty  { $$ = NULL; }
    | STRING  { $$ = $1; }
    ;

flow_clauses
    : %empty
    | flow_clauses flow_clause
    ;

flow_clause
    : KW_TAKES opt_at_most DURATION
        {
            flow_decl *f = st->cur_flow;
            if (f->has_duration)
                twice(st, @1, "takes", "this flow");
            f->has_duration = true;
            f->dur = $3;
            f->dur.at_most = $2;
        }
    | KW_CITE STRING
        {
            if (st->cur_flow->cite)
                twice(st, @1, "cite", "this flow");
            st->cur_flow->cite = $2;
        }
    ;

flow_items
    : %empty
    | flow_items flow_item
    | flow_items error
    ;

flow_item
    : KW_PROCESS IDENT STRING
        {
            flow_decl *f = st->cur_flow;
            flow_item *it = PUSH(f->items, f->nitems);
            it->kind = FLOW_PROCESS;
            it->id = $2;
            it->text = $3;
            it->loc = at(@1);
            it->next.kind = FLOW_TO_NEXT;
            st->cur_item = it;
        }
      item_parts
        { st->cur_item->end_line = @$.last_line; }
    | KW_CHECK IDENT STRING KW_ELSE flow_target
        {
            flow_decl *f = st->cur_flow;
            flow_item *it = PUSH(f->items, f->nitems);
            it->kind = FLOW_CHECK;
            it->id = $2;
            it->text = $3;
            it->loc = at(@1);
            it->next.kind = FLOW_TO_NEXT;
            it->fail = $5;
            st->cur_item = it;
        }
      item_parts
        { st->cur_item->end_line = @$.last_line; }
    | KW_STEPS opt_string
        {
            flow_decl *f = st->cur_flow;
            flow_item *it = PUSH(f->items, f->nitems);
            it->kind = FLOW_STEPS;
            it->id.name = arena_strndup(&st->reg->mem, "steps", 5);
            it->id.loc = at(@1);
            it->text = $2;
            it->loc = at(@1);
            it->next.kind = FLOW_TO_NEXT;
            st->cur_item = it;
        }
      item_parts
        { st->cur_item->end_line = @$.last_line; }
    ;

item_parts
    : %empty
    | item_parts item_part
    ;

item_part
    : KW_TAKES opt_at_most DURATION
        {
            flow_item *it = st->cur_item;
            if (it->has_duration)
                twice(st, @1, "takes", "this flow item");
            it->has_duration = true;
            it->dur = $3;
            it->dur.at_most = $2;
        }
    | KW_CITE STRING
        {
            if (st->cur_item->cite)
                twice(st, @1, "cite", "this flow item");
            st->cur_item->cite = $2;
        }
    | ARROW flow_target
        {
            flow_item *it = st->cur_item;
            if (it->next.kind != FLOW_TO_NEXT)
                twice(st, @1, "->", it->kind == FLOW_CHECK ? "this check" : "this process");
            else
                it->next = $2;
        }
    ;

flow_target
    : IDENT     { memset(&$$, 0, sizeof $$); $$.kind = FLOW_TO_ITEM; $$.item = $1; $$.loc = at(@$); }
    | KW_STEPS  { memset(&$$, 0, sizeof $$); $$.kind = FLOW_TO_ITEM; $$.item.name = arena_strndup(&st->reg->mem, "steps", 5);
                  $$.item.loc = at(@$); $$.loc = at(@$); }
    | KW_END    { memset(&$$, 0, sizeof $$); $$.kind = FLOW_TO_END; $$.loc = at(@$); }
    | KW_ERROR  { memset(&$$, 0, sizeof $$); $$.kind = FLOW_TO_ERROR; $$.loc = at(@$); }
    ;

%%

/* Token names for messages: keywords and punctuation as `step`, token
 * classes as words ("identifier", "string"). */
static bool is_keyword_symbol(yysymbol_kind_t k)
{
    return k >= YYSYMBOL_KW_ACT && k <= YYSYMBOL_KW_WITH;
}

static const char *token_text(yysymbol_kind_t k, char *buf, size_t size)
{
    switch (k) {
    case YYSYMBOL_YYEOF: return "end of file";
    case YYSYMBOL_IDENT: return "identifier";
    case YYSYMBOL_STRING: return "string";
    case YYSYMBOL_DURATION: return "duration";
    case YYSYMBOL_DATE: return "date";
    default: break;
    }
    const char *name = yysymbol_name(k);
    size_t n = strlen(name);
    if (n >= 2 && (name[0] == '"' || name[0] == '\''))
        snprintf(buf, size, "`%.*s`", (int)(n - 2), name + 1);
    else
        snprintf(buf, size, "`%s`", name);
    return buf;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, lex_state *st)
{
    (void)scanner;
    enum { MAX_EXPECTED = 48 };
    yysymbol_kind_t expected[MAX_EXPECTED];
    int n = yypcontext_expected_tokens(ctx, expected, MAX_EXPECTED);
    yysymbol_kind_t got = yypcontext_token(ctx);
    const YYLTYPE *loc = yypcontext_location(ctx);
    char gotbuf[64], buf[64];
    const char *gottext = token_text(got, gotbuf, sizeof gotbuf);

    char list[512] = "";
    size_t used = 0;
    int shown = n < 0 ? 0 : n;
    if (shown > 6)
        shown = 6;
    for (int i = 0; i < shown && used < sizeof list; i++) {
        const char *t = token_text(expected[i], buf, sizeof buf);
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 i == 0 ? "" : i == shown - 1 ? " or " : ", ", t);
    }
    if (used >= sizeof list)
        used = sizeof list - 1;

    srcloc where = at(*loc);
    diagnostic *d;
    if (got == YYSYMBOL_YYEOF) {
        d = diag_error(st->diags, st->src, where, "unexpected end of file");
        if (st->nopen > 0 && st->nopen <= MAX_OPEN_BRACES) {
            diag_hint(d, "the `{` on line %d is not closed; add `}`", st->open_lines[st->nopen - 1]);
            return 0;
        }
    } else
        d = diag_error(st->diags, st->src, where, "unexpected %s", gottext);

    /* The most useful hint first: a keyword used as a name, a misspelt
     * keyword, then the list of what would fit here. */
    bool wants_ident = false;
    const char *kwnames[MAX_EXPECTED];
    size_t nkw = 0;
    for (int i = 0; i < (n < 0 ? 0 : n); i++) {
        if (expected[i] == YYSYMBOL_IDENT)
            wants_ident = true;
        if (is_keyword_symbol(expected[i]))
            kwnames[nkw++] = yysymbol_name(expected[i]);
    }
    if (wants_ident && is_keyword_symbol(got)) {
        diag_hint(d, "%s is a keyword and cannot be used as a name; expected %s", gottext, list);
        return 0;
    }
    if (got == YYSYMBOL_IDENT && nkw > 0) {
        /* The scanner's copy of the identifier is not available here, so
         * read the word back from the source line. */
        char word[64] = "";
        /* d->text_col is the column within d->text, which may quote only the
         * part of a long line around the error */
        if (d->text && d->text_col >= 1 && (size_t)d->text_col <= strlen(d->text)) {
            const char *p = d->text + d->text_col - 1;
            size_t k = 0;
            while (k + 1 < sizeof word && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                                           (*p >= '0' && *p <= '9') || *p == '_'))
                word[k++] = *p++;
            word[k] = '\0';
        }
        char plain[MAX_EXPECTED][32];
        const char *cands[MAX_EXPECTED];
        for (size_t i = 0; i < nkw; i++) {
            const char *k = kwnames[i];
            size_t len = strlen(k);
            if (len >= 2 && k[0] == '"')
                snprintf(plain[i], sizeof plain[i], "%.*s", (int)(len - 2), k + 1);
            else
                snprintf(plain[i], sizeof plain[i], "%s", k);
            cands[i] = plain[i];
        }
        const char *close = word[0] ? diag_closest(word, cands, nkw) : NULL;
        if (close) {
            diag_hint(d, "did you mean `%s`?", close);
            return 0;
        }
    }
    /* prev[0] is the offending token itself */
    if ((got == YYSYMBOL_KW_RESULT && st->prev[1] == IDENT && st->prev[2] == ARROW) ||
        (st->prev[1] == IDENT && st->prev[2] == KW_RESULT && st->prev[3] == IDENT &&
         st->prev[4] == ARROW)) {
        diag_hint(d, "to go on to a step and end later with a result, write `-> STEP with RESULT`");
        return 0;
    }
    if (st->prev[1] == IDENT && st->prev[2] == KW_RESULT && st->prev[3] == IDENT &&
        st->prev[4] == ARROW) {
        diag_hint(d, "to go on to a step and end later with a result, write `-> STEP with RESULT`");
        return 0;
    }
    if (n > 0)
        diag_hint(d, "expected %s%s", list, n > shown ? ", ..." : "");
    return 0;
}
