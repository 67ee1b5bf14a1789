/* check_json.c - parses a generated JSON model with cJSON and proves every
 * string literal of its rule file is one of the model's string values.
 *
 *   check_json RULE.reg MODEL.json
 *
 * Exit 0 when the model parses and every literal is found, 1 otherwise. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "literals.h"

static int found(const cJSON *node, const char *s)
{
    if (cJSON_IsString(node) && strcmp(node->valuestring, s) == 0)
        return 1;
    for (const cJSON *c = node->child; c; c = c->next)
        if (found(c, s))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        literals_fail("usage: check_json RULE.reg MODEL.json");
    literal_list lits;
    literals_read(argv[1], &lits);
    char *text = literals_slurp(argv[2]);
    cJSON *doc = cJSON_Parse(text);
    if (!doc) {
        printf("%s: not valid JSON near byte %ld\n", argv[2], (long)(cJSON_GetErrorPtr() - text));
        return 1;
    }
    int missing = 0;
    for (size_t i = 0; i < lits.count; i++)
        if (!found(doc, lits.items[i])) {
            fputs("not in the model: ", stdout);
            literals_show(stdout, lits.items[i]);
            fputc('\n', stdout);
            missing++;
        }
    cJSON_Delete(doc);
    free(text);
    return missing ? 1 : 0;
}
