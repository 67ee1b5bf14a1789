# regc - compiler for the regulations of state services.
#
#   make                 build regc, the generated code and the region binaries
#   make test            unit, golden, diagnostics and end-to-end tests, plain and under ASan+UBSan
#   make check-generated fail when generated/ is not what the rules produce
#   make deps            install missing Debian packages (as root) or print the command
#   make fuzz            build the libFuzzer harnesses and run each FUZZ_SECONDS (default 60)
#   make bench           benchmarks (never part of make test); results in docs/performance.md
#
# Data flow: rules/*.reg -> grammar/ -> compiler/ -> generated/ -> (+ runtime/) -> build/bin/<region>

CC      ?= cc
# Quiet by default; `make V=1` shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
endif
BUILD   ?= build
OPT     ?= -O2 -g
SAN     ?=
WARN    := -Wall -Wextra -Werror
CFLAGS  := -std=c11 $(OPT) $(WARN) $(SAN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
LDFLAGS := $(SAN)

# The flex/bison outputs are build products; they get the same warnings
# except the ones their generated code cannot avoid.
GEN_CFLAGS := $(CFLAGS) -Wno-unused-function -Wno-sign-compare -Wno-unused-parameter

COMPILER_SRC := $(filter-out compiler/main.c,$(wildcard compiler/*.c))
COMPILER_OBJ := $(COMPILER_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/parser.o $(BUILD)/obj/gen/lexer.o
REGC         := $(BUILD)/bin/regc
INCLUDES     := -Icompiler -I$(BUILD)/gen -Iruntime
# regc checks the calendar with the runtime's own reader.
REGC_RT_OBJ  := $(BUILD)/obj/runtime/calendar.o $(BUILD)/obj/runtime/timefmt.o $(BUILD)/obj/runtime/calendar_horizon.o

RULES := $(sort $(wildcard rules/*/*.reg))

.PHONY: all deps regc generate calendar-check diagrams regions fuzz bench test test-unit test-asan check-generated clean
.DEFAULT_GOAL := all

all: deps regc generate calendar-check
	@$(MAKE) --no-print-directory diagrams regions

# The calendar loads with the runtime's reader; a warning when its years, or
# its confirmed years, end within 60 days (docs/semantics.md, "Adding a year").
calendar-check: $(REGC)
	$(Q)$(REGC) check --calendar rules/calendar/kz.cal

deps:
	@sh scripts/deps.sh

regc: $(REGC)

$(BUILD)/gen/parser.c $(BUILD)/gen/parser.h: grammar/parser.y
	@mkdir -p $(BUILD)/gen
	$(Q)bison -Wall -Werror --defines=$(BUILD)/gen/parser.h -o $(BUILD)/gen/parser.c $<

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h: grammar/lexer.l
	@mkdir -p $(BUILD)/gen
	$(Q)flex --header-file=$(BUILD)/gen/lexer.h -o $(BUILD)/gen/lexer.c $<

$(BUILD)/obj/gen/parser.o: $(BUILD)/gen/parser.c $(BUILD)/gen/lexer.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GEN_CFLAGS) $(INCLUDES) -c $< -o $@

$(BUILD)/obj/gen/lexer.o: $(BUILD)/gen/lexer.c $(BUILD)/gen/parser.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GEN_CFLAGS) $(INCLUDES) -c $< -o $@

$(BUILD)/obj/compiler/%.o: compiler/%.c $(wildcard compiler/*.h) $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(INCLUDES) -c $< -o $@

$(BUILD)/lib/libregc.a: $(COMPILER_OBJ) $(REGC_RT_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(REGC): $(BUILD)/obj/compiler/main.o $(BUILD)/lib/libregc.a
	@mkdir -p $(dir $@)
	@echo "  LINK  $@"
	$(Q)$(CC) $(LDFLAGS) $^ -o $@

# ---- generated/ ----

# regc writes only files whose contents change, so this is cheap to rerun.
generate: $(BUILD)/generated.stamp

$(BUILD)/generated.stamp: $(REGC) $(RULES)
	@echo "  GEN   generated/"
	$(Q)$(REGC) gen -o generated $(RULES)
	@touch $@

# Regenerates into a temporary directory and compares: generated/ must be
# exactly what the committed rules produce.
check-generated: $(REGC)
	@tmp=$$(mktemp -d) && \
	$(REGC) gen -o $$tmp $(RULES) && \
	if diff -ru generated $$tmp; then echo "generated/ is up to date"; rm -rf $$tmp; \
	else echo "generated/ is stale: run make and commit generated/"; rm -rf $$tmp; exit 1; fi

# Every DOT file renders to SVG without a single warning from Graphviz.
# (Evaluated in a sub-make, after generation, so the wildcard sees new files.)
DOT_FILES := $(wildcard generated/*/*.dot)
SVG_FILES := $(DOT_FILES:generated/%.dot=$(BUILD)/diagrams/%.svg)

diagrams: $(SVG_FILES)

$(BUILD)/diagrams/%.svg: generated/%.dot
	@mkdir -p $(dir $@)
	@dot -Tsvg $< -o $@ 2> $@.log; rc=$$?; \
	if [ $$rc -ne 0 ] || [ -s $@.log ]; then cat $@.log; rm -f $@; echo "dot failed on $<"; exit 1; fi; rm -f $@.log

# ---- runtime and region binaries ----

# All regions with rule files, or just REGION=name.
REGIONS := $(sort $(patsubst rules/%/,%,$(dir $(RULES))))
ifdef REGION
REGIONS := $(REGION)
endif

RT_CFLAGS   := $(CFLAGS) -Iruntime -I/usr/include/postgresql -DREG_DEFAULT_CALENDAR='"$(abspath rules/calendar/kz.cal)"'
# The core (calendar, deadlines, engine) goes into lib<region>.a for
# embedding; the command line and the case store only into the binaries, so
# an embedding program needs no SQLite, libpq or cJSON.
RT_APP_SRC  := $(wildcard runtime/cli.c runtime/store*.c runtime/run.c runtime/status.c runtime/overdue.c runtime/case_view.c runtime/mark_out.c runtime/calendar_cmd.c runtime/region.c runtime/line_reader.c runtime/event.c runtime/answer.c runtime/apply.c runtime/cmd_run.c)
RT_LIB_SRC  := $(filter-out $(RT_APP_SRC) runtime/region_main.c,$(wildcard runtime/*.c))
RT_LIB_OBJ  := $(RT_LIB_SRC:%.c=$(BUILD)/obj/%.o)
RT_APP_OBJ  := $(RT_APP_SRC:%.c=$(BUILD)/obj/%.o)
RT_LIBS     := -lcjson -lsqlite3 -lpq

$(BUILD)/obj/runtime/%.o: runtime/%.c $(wildcard runtime/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(RT_CFLAGS) -c $< -o $@

$(BUILD)/lib/libregrt.a: $(RT_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libregapp.a: $(RT_APP_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

# lib<region>.a: the region's machines and the runtime, for embedding.
define region_rules
$(1)_GEN_OBJ := $$(patsubst generated/%.c,$(BUILD)/obj/generated/%.o,$$(wildcard generated/$(1)/*.c))

$(BUILD)/obj/generated/$(1)/%.o: generated/$(1)/%.c $$(wildcard generated/$(1)/*.h) runtime/machine.h
	@mkdir -p $$(dir $$@)
	$(Q)$$(CC) $$(CFLAGS) -Iruntime -Igenerated/$(1) -c $$< -o $$@

$(BUILD)/lib/lib$(1).a: $$($(1)_GEN_OBJ) $(RT_LIB_OBJ)
	@mkdir -p $$(dir $$@)
	$(Q)rm -f $$@ && ar rcs $$@ $$^

$(BUILD)/obj/region/$(1)_main.o: runtime/region_main.c runtime/cli.h runtime/machine.h
	@mkdir -p $$(dir $$@)
	$(Q)$$(CC) $$(RT_CFLAGS) -DREGION=$(1) -c $$< -o $$@

$(BUILD)/bin/$(1): $(BUILD)/obj/region/$(1)_main.o $(BUILD)/lib/libregapp.a $(BUILD)/lib/lib$(1).a
	@mkdir -p $$(dir $$@)
	@echo "  LINK  $$@"
	$(Q)$$(CC) $$(LDFLAGS) $$^ $(RT_LIBS) -o $$@
endef
$(foreach r,$(REGIONS),$(eval $(call region_rules,$(r))))

regions: $(REGIONS:%=$(BUILD)/bin/%) $(BUILD)/lib/libregrt.a

# ---- tests ----

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/lib/libregc.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(INCLUDES) $< $(BUILD)/lib/libregc.a -lcmocka -o $@ $(LDFLAGS)

# Runtime tests run on machines generated from tests/runtime/fixture/*.reg
# (region `fixture`), so they do not change when the real rules do.
FIXTURE_RULES := $(wildcard tests/runtime/fixture/*.reg)
RT_TESTS      := $(patsubst tests/runtime/%.c,$(BUILD)/tests/%,$(wildcard tests/runtime/test_*.c))

$(BUILD)/testgen.stamp: $(REGC) $(FIXTURE_RULES)
	$(Q)$(REGC) gen -o $(BUILD)/testgen $(FIXTURE_RULES)
	@touch $@

$(BUILD)/lib/libfixture.a: $(BUILD)/testgen.stamp runtime/machine.h
	@mkdir -p $(BUILD)/obj/testgen
	$(Q)for f in $(BUILD)/testgen/fixture/*.c; do \
		$(CC) $(CFLAGS) -Iruntime -I$(BUILD)/testgen/fixture -c $$f -o $(BUILD)/obj/testgen/$$(basename $$f .c).o || exit 1; \
	done
	$(Q)rm -f $@ && ar rcs $@ $(BUILD)/obj/testgen/*.o

$(BUILD)/tests/%: tests/runtime/%.c $(BUILD)/lib/libfixture.a $(BUILD)/lib/libregapp.a $(BUILD)/lib/libregrt.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(RT_CFLAGS) -I$(BUILD)/testgen/fixture $< $(BUILD)/lib/libregapp.a $(BUILD)/lib/libfixture.a $(BUILD)/lib/libregrt.a $(RT_LIBS) -lcmocka -o $@ $(LDFLAGS)

test: all
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-asan
	@sh tests/summary.sh $(BUILD)/test-results $(BUILD)/asan/test-results

# One run of every suite against the binaries in $(BUILD); results land in
# $(BUILD)/test-results, one file per suite, summed up by tests/summary.sh.
test-unit: $(REGC) $(UNIT_TESTS) $(RT_TESTS)
	@sh tests/run.sh $(BUILD)

test-asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" regc-and-tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		sh tests/run.sh $(BUILD)/asan

regc-and-tests: $(REGC) $(UNIT_TESTS) $(RT_TESTS) regions

# ---- fuzzing and benchmarks ----

FUZZ_SECONDS ?= 60

fuzz: deps regc
	@sh tests/fuzz/build.sh $(BUILD)
	@sh tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

bench: all $(BUILD)/lib/libregrt.a $(BUILD)/lib/libregapp.a
	@sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
