/* reg_unit.h - the units of a duration in the rule language.
 *
 * Shared by the compiler (which stores a unit with every duration it
 * generates) and the runtime (which turns durations into deadlines). The
 * meaning of each unit is in docs/semantics.md. */
/* The guard cannot be REG_UNIT_H: that name is the hours unit below. */
#ifndef REG_UNIT_HEADER
#define REG_UNIT_HEADER

typedef enum {
    REG_UNIT_M,  /* minutes of working time */
    REG_UNIT_H,  /* hours of working time */
    REG_UNIT_WD, /* working days */
    REG_UNIT_CD  /* calendar days */
} reg_unit;

#endif
