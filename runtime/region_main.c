/* region_main.c - the entry point of a region binary. The build compiles
 * it once per region with REGION set to the region's name, and links the
 * region's generated machines (generated/<region>/<region>.c). */
#include <stddef.h>

#include "cli.h"
#include "machine.h"

#ifndef REGION
#error "compile with -DREGION=<region>"
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define STR_(a) #a
#define STR(a) STR_(a)

extern const reg_machine *const CAT(REGION, _machines)[];
extern const size_t CAT(REGION, _machine_count);

int main(int argc, char **argv)
{
    return reg_cli_main(argc, argv, STR(REGION), CAT(REGION, _machines), CAT(REGION, _machine_count));
}
