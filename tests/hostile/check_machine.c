/* check_machine.c - links against one generated state machine and proves
 * every string literal of its rule file is in the machine byte for byte.
 *
 *   cc -DMACHINE=<region>_<service>_machine check_machine.c <service>.c ...
 *   check_machine RULE.reg
 *
 * A literal that a back end cut short (an unescaped quote, a trigraph, a
 * stray backslash) or changed is missing from the machine's strings and is
 * reported. Prints the Kazakh title between brackets so the suite also sees
 * one label printed back as bytes. Exit 0 when all are found, 1 otherwise. */
#include <stdio.h>
#include <string.h>

#include "literals.h"
#include "machine.h"

extern const reg_machine MACHINE;

static const char **strings;
static size_t nstrings;

static void add(const char *s)
{
    if (!s)
        return;
    strings = realloc(strings, (nstrings + 1) * sizeof *strings);
    if (!strings)
        literals_fail("out of memory");
    strings[nstrings++] = s;
}

static void collect(const reg_machine *m)
{
    add(m->title_kk);
    add(m->title_ru);
    add(m->title_en);
    add(m->act);
    add(m->standard);
    add(m->repealed);
    add(m->provider);
    for (size_t i = 0; i < m->nactors; i++)
        add(m->actors[i].label);
    for (size_t i = 0; i < m->nresults; i++)
        add(m->results[i].label);
    for (size_t i = 0; i < m->nchannels; i++)
        add(m->channels[i].label);
    for (size_t i = 0; i < m->nvariants; i++) {
        add(m->variants[i].label);
        add(m->variants[i].term_from);
        add(m->variants[i].cite);
    }
    for (size_t i = 0; i < m->nstates; i++) {
        const reg_state *s = &m->states[i];
        add(s->action);
        add(s->cite);
        for (size_t k = 0; k < s->nbranches; k++)
            add(s->branches[k].condition);
    }
    for (size_t i = 0; i < m->nflows; i++) {
        const reg_flow *f = &m->flows[i];
        add(f->label);
        add(f->cite);
        for (size_t k = 0; k < f->nitems; k++) {
            add(f->items[k].text);
            add(f->items[k].cite);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 2)
        literals_fail("usage: check_machine RULE.reg");
    literal_list lits;
    literals_read(argv[1], &lits);
    collect(&MACHINE);
    int missing = 0;
    for (size_t i = 0; i < lits.count; i++) {
        size_t k = 0;
        while (k < nstrings && strcmp(strings[k], lits.items[i]) != 0)
            k++;
        if (k == nstrings) {
            fputs("not in the machine: ", stdout);
            literals_show(stdout, lits.items[i]);
            fputc('\n', stdout);
            missing++;
        }
    }
    printf("title_kk=[%s]\n", MACHINE.title_kk ? MACHINE.title_kk : "");
    return missing ? 1 : 0;
}
