# regions.mk - region binaries from a directory of generated C, built the way
# the top-level Makefile builds build/bin/<region> (its region_rules): each
# generated .c compiled with the project's flags, lib<region>.a, and the link
# of region_main.c against libregapp.a, lib<region>.a and libregrt.a.
# bench/run.sh times it with -j2 on the national corpus:
#
#   make -f bench/regions.mk -j2 GEN=DIR OUT=DIR BUILD=build REGIONS="..." RT_LIBS="..."

CC      ?= cc
OPT     ?= -O2 -g
CFLAGS  := -std=c11 $(OPT) -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
RT_CFLAGS := $(CFLAGS) -Iruntime -I/usr/include/postgresql
RT_LIBS ?= -lcjson -lsqlite3 -lpq

.PHONY: all
all: $(REGIONS:%=$(OUT)/bin/%)

# UNITY=1 (the default, as the Makefile builds): a region's generated .c files
# compiled together as one translation unit, <region>_all.c. UNITY=0: one
# compiler process per file, the earlier arrangement, kept for comparison.
UNITY ?= 1

define region
ifeq ($(UNITY),1)
$(1)_OBJ := $(OUT)/obj/$(1)/$(1)_all.o

$(OUT)/obj/$(1)/$(1)_all.c:
	@mkdir -p $$(dir $$@)
	@for f in $$(notdir $$(wildcard $(GEN)/$(1)/*.c)); do echo "#include \"$$$$f\""; done > $$@
else
$(1)_OBJ := $$(patsubst $(GEN)/$(1)/%.c,$(OUT)/obj/$(1)/%.o,$$(wildcard $(GEN)/$(1)/*.c))
endif

$(OUT)/obj/$(1)/%.o: $(GEN)/$(1)/%.c
	@mkdir -p $$(dir $$@)
	@$$(CC) $$(CFLAGS) -Iruntime -I$(GEN)/$(1) -c $$< -o $$@

$(OUT)/obj/$(1)/$(1)_all.o: $(OUT)/obj/$(1)/$(1)_all.c
	@$$(CC) $$(CFLAGS) -Iruntime -I$(GEN)/$(1) -c $$< -o $$@

$(OUT)/lib/lib$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(dir $$@)
	@rm -f $$@ && ar rcs $$@ $$^

$(OUT)/obj/main/$(1).o: runtime/region_main.c
	@mkdir -p $$(dir $$@)
	@$$(CC) $$(RT_CFLAGS) -DREGION=$(1) -c $$< -o $$@

$(OUT)/bin/$(1): $(OUT)/obj/main/$(1).o $(BUILD)/lib/libregapp.a $(OUT)/lib/lib$(1).a $(BUILD)/lib/libregrt.a
	@mkdir -p $$(dir $$@)
	@$$(CC) $$^ $$(RT_LIBS) -o $$@
endef
$(foreach r,$(REGIONS),$(eval $(call region,$(r))))
