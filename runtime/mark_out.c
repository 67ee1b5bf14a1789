/* mark_out.c - deadlines with their marks in command output (mark_out.h). */
#include "mark_out.h"

#include <stdio.h>
#include <string.h>

#include "timefmt.h"

int reg_mark_note(reg_mark_notes *notes, const reg_calendar *cal, reg_mark mark)
{
    char buf[512];
    reg_mark_text(cal, mark, buf, sizeof buf);
    if (!buf[0])
        return 0;
    for (int i = 0; i < notes->n; i++)
        if (strcmp(notes->text[i], buf) == 0)
            return i + 1;
    if (notes->n == REG_MAX_MARK_NOTES)
        return notes->n; /* never reached: a case has two deadlines, a timeline one kind of note a year */
    snprintf(notes->text[notes->n], sizeof notes->text[0], "%s", buf);
    return ++notes->n;
}

void reg_mark_notes_print(const reg_mark_notes *notes)
{
    if (notes->n)
        printf("\n");
    for (int i = 0; i < notes->n; i++)
        printf("  [%d] %s\n", i + 1, notes->text[i]);
}

void reg_json_marked_time(cJSON *o, const char *key, const reg_calendar *cal, reg_mark mark, int64_t t)
{
    char name[64], text[REG_TIME_BUFSZ], note[512];
    int has = (mark.kind == REG_MARK_DEFINITE || mark.kind == REG_MARK_PROVISIONAL) && reg_format_time(t, text) == 0;
    cJSON_AddItemToObject(o, key, has ? cJSON_CreateString(text) : cJSON_CreateNull());
    snprintf(name, sizeof name, "%s_status", key);
    cJSON_AddStringToObject(o, name, reg_mark_name(mark.kind));
    reg_mark_text(cal, mark, note, sizeof note);
    if (note[0]) {
        snprintf(name, sizeof name, "%s_note", key);
        cJSON_AddStringToObject(o, name, note);
    }
}

void reg_marked_time_text(reg_mark_notes *notes, const reg_calendar *cal, reg_mark mark, int64_t t, int weekday,
                          char *buf, size_t len)
{
    static const char *const names[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    char text[REG_TIME_BUFSZ + 12] = "-";
    int n = reg_mark_note(notes, cal, mark);
    if ((mark.kind == REG_MARK_DEFINITE || mark.kind == REG_MARK_PROVISIONAL) && reg_format_time(t, text) == 0 &&
        weekday)
        snprintf(text + strlen(text), sizeof text - strlen(text), " %s", names[reg_weekday(reg_day_of(t))]);
    if (mark.kind == REG_MARK_UNKNOWN)
        snprintf(text, sizeof text, "unknown");
    if (n > 0)
        snprintf(buf, len, "%s%s [%d]", text, mark.kind == REG_MARK_PROVISIONAL ? " (provisional)" : "", n);
    else
        snprintf(buf, len, "%s", text);
}
