/* validity.c - entry into force and repeal, from the clauses to dates
 * (validity.h). */
#include "validity.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../runtime/timefmt.h"

/* The first day an act applies when it is published on `pub` and takes
 * effect `days` calendar days after: those days pass whole first. */
static bool first_day(const char *pub, int days, char out[11])
{
    int64_t d;
    if (!pub || reg_parse_date(pub, &d) != 0)
        return false;
    return reg_format_date(d + days + 1, out) == 0;
}

/* The earliest and latest first day of one act; false when the clauses
 * give none or cannot be computed. */
static bool act_window(const force_decl *f, char earliest[11], char latest[11])
{
    if (!f->present)
        return false;
    if (f->fixed) {
        if (!f->on.text || strlen(f->on.text) != 10)
            return false;
        memcpy(earliest, f->on.text, 11);
        memcpy(latest, f->on.text, 11);
        return true;
    }
    if (!f->has_pub || f->after.unit != REG_UNIT_CD)
        return false;
    return first_day(f->pub_earliest.text, f->after.amount, earliest) &&
           first_day(f->pub_latest.text, f->after.amount, latest);
}

static bool uncertain(const force_decl *f)
{
    return f->present && !f->fixed && f->has_pub && f->pub_earliest.text && f->pub_latest.text &&
           strcmp(f->pub_earliest.text, f->pub_latest.text) != 0;
}

static void add_note(validity *v, const char *what, const force_decl *f)
{
    size_t n = strlen(v->note);
    snprintf(v->note + n, sizeof v->note - n, "%spublication of the %s not known: between %s and %s",
             n ? "; " : "", what, f->pub_earliest.text, f->pub_latest.text);
}

bool validity_resolve(const regulation *r, validity *out)
{
    memset(out, 0, sizeof *out);
    if (r->has_valid) {
        if (r->valid_from.text)
            memcpy(out->from, r->valid_from.text, 11);
        memcpy(out->from_certain, out->from, 11);
        if (r->valid_until.text)
            memcpy(out->until, r->valid_until.text, 11);
        memcpy(out->until_earliest, out->until, 11);
        return true;
    }
    bool ok = true;
    if (r->entry.present) {
        ok &= act_window(&r->entry, out->from, out->from_certain);
        if (uncertain(&r->entry))
            add_note(out, "approving act", &r->entry);
    }
    if (r->repeal.present) {
        ok &= act_window(&r->repeal, out->until_earliest, out->until);
        if (uncertain(&r->repeal))
            add_note(out, "repealing act", &r->repeal);
    }
    return ok;
}

static void check_act(const force_decl *f, const char *who, const source *src, diag_list *d)
{
    if (f->has_pub && !f->present)
        diag_hint(diag_error(d, src, f->pub_loc, "`%spublished` without `%sin force`", who, who),
                  "say how the act takes effect, e.g. `%sin force 10cd after publication`", who);
    if (!f->present)
        return;
    if (f->fixed) {
        if (f->has_pub)
            diag_hint(diag_error(d, src, f->pub_loc, "`%spublished` has no effect: the act is `in force on %s`",
                                 who, f->on.text ? f->on.text : "?"),
                      "keep the publication in a comment, or write `%sin force 10cd after publication`", who);
        return;
    }
    if (f->after.unit != REG_UNIT_CD && f->after.unit != UNIT_INVALID)
        diag_hint(diag_error(d, src, f->after.loc, "`%sin force` counts calendar days", who),
                  "the acts say \"күнтізбелік он күн өткен соң\": write `%sin force %dcd after publication`",
                  who, (int)f->after.amount);
    if (!f->has_pub) {
        diag_hint(diag_error(d, src, f->loc, "`%sin force ... after publication` without the publication date",
                             who),
                  "add `%spublished on DATE \"source\"`, or when the date is not known `%spublished between "
                  "DATE \"why\" and DATE \"why\"` with the earliest and latest dates it can have been",
                  who, who);
        return;
    }
    if (f->pub_earliest.text && f->pub_latest.text && strcmp(f->pub_latest.text, f->pub_earliest.text) < 0)
        diag_hint(diag_error(d, src, f->pub_latest.loc, "the latest publication date (%s) is before the earliest (%s)",
                             f->pub_latest.text, f->pub_earliest.text),
                  "write `published between EARLIEST \"why\" and LATEST \"why\"`");
}

void validity_check(const regulation *r, const source *src, diag_list *d)
{
    if (r->has_valid && (r->entry.present || r->repeal.present || r->entry.has_pub || r->repeal.has_pub)) {
        const force_decl *f = r->entry.present ? &r->entry : &r->repeal;
        diag_hint(diag_error(d, src, f->present ? f->loc : f->pub_loc,
                             "`valid from` and `in force` both give the validity"),
                  "use `valid from DATE until DATE` for fixed dates, or the acts' own rule "
                  "(`in force`, `published`, `repeal in force`, `repeal published`), not both");
        return;
    }
    check_act(&r->entry, "", src, d);
    check_act(&r->repeal, "repeal ", src, d);
    if ((r->repeal.present || r->repeal.has_pub) && r->nrepealed == 0)
        diag_hint(diag_error(d, src, r->repeal.present ? r->repeal.loc : r->repeal.pub_loc,
                             "a repeal without the repealing act"),
                  "name it: `repealed \"... № N қаулысы\"`");
    validity v;
    if (!r->has_valid && validity_resolve(r, &v) && v.from[0] && v.until_earliest[0] &&
        strcmp(v.until_earliest, v.from_certain) <= 0)
        diag_hint(diag_error(d, src, r->repeal.loc, "the repeal may take effect (%s) before the regulation "
                             "surely applies (%s)", v.until_earliest, v.from_certain),
                  "check the publication dates of the two acts");
}

static void warn_act(const force_decl *f, const char *what, const char *first, const char *last,
                     const source *src, diag_list *d)
{
    if (!uncertain(f) || strcmp(f->pub_latest.text, f->pub_earliest.text) < 0)
        return;
    diag_hint(diag_warning(d, src, f->pub_loc, "uncertain-validity",
                           "the publication date of the %s is not known: it %s between %s and %s",
                           what, strcmp(what, "approving act") == 0 ? "applies from a day" : "is repealed on a day",
                           first, last),
              "published no earlier than %s (%s) and no later than %s (%s); cases submitted on these days are "
              "accepted and marked `validity uncertain`; write `published on DATE \"source\"` once the date is found",
              f->pub_earliest.text, f->why_earliest, f->pub_latest.text, f->why_latest);
}

void validity_warn(const regulation *r, const source *src, diag_list *d)
{
    validity v;
    if (r->has_valid || !validity_resolve(r, &v))
        return;
    warn_act(&r->entry, "approving act", v.from, v.from_certain, src, d);
    warn_act(&r->repeal, "repealing act", v.until_earliest, v.until, src, d);
}
