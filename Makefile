# regc - compiler for the regulations of state services.
#
#   make                 build regc, the generated code and the region binaries
#   make test            unit, golden, diagnostics and end-to-end tests, plain and under ASan+UBSan
#   make check-generated fail when generated/ is not what the rules produce
#   make deps            install what building needs (as root) or print the command
#   make test-deps       the same for what testing needs (make test runs both)
#   make coverage        line and branch coverage of compiler/ and runtime/ by make test's suites
#   make fuzz            build the libFuzzer harnesses and run each FUZZ_SECONDS (default 60)
#   make bench           quick benchmarks (never part of make test); results in docs/performance.md
#   make bench-national  the same at national scale (15,000 rule files, a million cases)
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
COV     ?=
CFLAGS  := -std=c11 $(OPT) $(WARN) $(SAN) $(COV) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
LDFLAGS := $(SAN) $(COV)
# Every object also writes which headers it read (BUILD/obj/.../x.d), so a
# changed header rebuilds exactly what includes it.
DEPFLAGS = -MMD -MP

# Libraries by pkg-config. `make` installs them first (scripts/deps.sh) and
# then builds in a sub-make, which reads these after the install.
PKG_CONFIG ?= pkg-config
RT_PKGS     := libcjson sqlite3 libpq
RT_PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(RT_PKGS) 2>/dev/null)
RT_LIBS       := $(shell $(PKG_CONFIG) --libs $(RT_PKGS) 2>/dev/null)
CJSON_LIBS    := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

# The flex/bison outputs are build products; they get the same warnings
# except the ones their generated code cannot avoid.
GEN_CFLAGS := $(CFLAGS) -Wno-unused-function -Wno-sign-compare -Wno-unused-parameter

COMPILER_SRC := $(filter-out compiler/main.c,$(wildcard compiler/*.c))
COMPILER_OBJ := $(COMPILER_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/parser.o $(BUILD)/obj/gen/lexer.o
REGC         := $(BUILD)/bin/regc
INCLUDES     := -Icompiler -I$(BUILD)/gen -Iruntime
# regc checks the calendar with the runtime's own reader.
# regc test drives the runtime's engine on machines built in memory.
REGC_RT_OBJ  := $(BUILD)/obj/runtime/calendar.o $(BUILD)/obj/runtime/timefmt.o $(BUILD)/obj/runtime/calendar_horizon.o \
	$(BUILD)/obj/runtime/engine.o $(BUILD)/obj/runtime/intake.o $(BUILD)/obj/runtime/flow_place.o $(BUILD)/obj/runtime/machine_tables.o $(BUILD)/obj/runtime/deadline.o \
	$(BUILD)/obj/runtime/deadline_mark.o

RULES := $(sort $(wildcard rules/*/*.reg))

.PHONY: all build-all deps test-deps regc generate calendar-check diagrams regions fuzz bench bench-national test test-unit \
	test-asan check-generated coverage clean
.DEFAULT_GOAL := all

# The packages first, alone: the build runs in a sub-make once they are
# installed, so nothing races the install under -j.
all:
	@sh scripts/deps.sh build
	@$(MAKE) --no-print-directory build-all

build-all: regc generate calendar-check
	@$(MAKE) --no-print-directory diagrams regions

# The calendar loads with the runtime's reader; a warning when its years, or
# its confirmed years, end within 60 days (docs/semantics.md, "Adding a year").
calendar-check: $(REGC)
	$(Q)$(REGC) check --calendar rules/calendar/kz.cal

deps:
	@sh scripts/deps.sh build

test-deps:
	@sh scripts/deps.sh build test

regc: $(REGC)

$(BUILD)/gen/parser.c $(BUILD)/gen/parser.h: grammar/parser.y
	@mkdir -p $(BUILD)/gen
	$(Q)bison -Wall -Werror --defines=$(BUILD)/gen/parser.h -o $(BUILD)/gen/parser.c $<

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h: grammar/lexer.l
	@mkdir -p $(BUILD)/gen
	$(Q)flex --header-file=$(BUILD)/gen/lexer.h -o $(BUILD)/gen/lexer.c $<

$(BUILD)/obj/gen/parser.o: $(BUILD)/gen/parser.c $(BUILD)/gen/lexer.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GEN_CFLAGS) $(DEPFLAGS) $(INCLUDES) -c $< -o $@

$(BUILD)/obj/gen/lexer.o: $(BUILD)/gen/lexer.c $(BUILD)/gen/parser.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GEN_CFLAGS) $(DEPFLAGS) $(INCLUDES) -c $< -o $@

# The scanner and parser headers are made, not written: every compiler
# source waits for them (the .d files name the rest).
$(BUILD)/obj/compiler/%.o: compiler/%.c | $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) $(INCLUDES) -c $< -o $@

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

# The shipped rules draw warnings that docs/findings.md explains one by one
# (the acts lack terms, name actors that do nothing, ...): one line here
# says how many, `regc check` lists them. Errors are printed in full.
$(BUILD)/generated.stamp: $(REGC) $(RULES)
	@echo "  GEN   generated/"
	$(Q)$(REGC) gen -o generated $(RULES) 2> $(BUILD)/gen.log; rc=$$?; \
	if [ $$rc -ne 0 ]; then cat $(BUILD)/gen.log; exit $$rc; fi; \
	grep -e '-Wwording-edited' $(BUILD)/gen.log >&2 || true; \
	n=$$(grep -c ': warning: ' $(BUILD)/gen.log); \
	if [ $$n -gt 0 ]; then echo "  regc: $$n warnings about the shipped rules, explained in docs/findings.md;" \
		"to list them: $(REGC) check rules/*/*.reg"; fi
	@touch $@

# Regenerates into a temporary directory and compares: generated/ must be
# exactly what the committed rules produce.
check-generated: $(REGC)
	@tmp=$$(mktemp -d) && \
	{ $(REGC) gen -o $$tmp $(RULES) 2> $$tmp.log || { cat $$tmp.log; rm -rf $$tmp $$tmp.log; exit 1; }; } && \
	rm -f $$tmp.log && \
	if diff -ru -x .regc-gen-stamp generated $$tmp; then echo "generated/ is up to date"; rm -rf $$tmp; \
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

RT_CFLAGS   := $(CFLAGS) -Iruntime $(RT_PKG_CFLAGS) -DREG_DEFAULT_CALENDAR='"$(abspath rules/calendar/kz.cal)"'
# The core (calendar, deadlines, engine) goes into lib<region>.a for
# embedding; the command line and the case store only into the binaries, so
# an embedding program needs no SQLite, libpq or cJSON.
RT_APP_SRC  := $(wildcard runtime/cli.c runtime/store*.c runtime/run.c runtime/status.c runtime/overdue.c runtime/case_view.c runtime/mark_out.c runtime/calendar_cmd.c runtime/region.c runtime/line_reader.c runtime/event.c runtime/answer.c runtime/apply.c runtime/cmd_run.c runtime/migrate.c)
RT_LIB_SRC  := $(filter-out $(RT_APP_SRC) runtime/region_main.c,$(wildcard runtime/*.c))
RT_LIB_OBJ  := $(RT_LIB_SRC:%.c=$(BUILD)/obj/%.o)
RT_APP_OBJ  := $(RT_APP_SRC:%.c=$(BUILD)/obj/%.o)

$(BUILD)/obj/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(RT_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/lib/libregrt.a: $(RT_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libregapp.a: $(RT_APP_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

# lib<region>.a: the region's machines and the runtime, for embedding.
# A region's generated .c files are compiled together, as one translation
# unit (<region>_all.c includes them all; their static names carry the
# machine's prefix, so they do not clash): one compiler process per region
# instead of one per regulation, about a sixth of the time (docs/performance.md).
# The list is rewritten only when it changes, so an unchanged region is not
# recompiled; the dependency file follows the included .c and .h files.
define region_rules
$(1)_GEN_SRC := $$(wildcard generated/$(1)/*.c)
$(1)_GEN_OBJ := $(BUILD)/obj/generated/$(1)/$(1)_all.o

$(BUILD)/obj/generated/$(1)/$(1)_all.c: FORCE
	@mkdir -p $$(dir $$@)
	$(Q)for f in $$(notdir $$($(1)_GEN_SRC)); do echo "#include \"$$$$f\""; done > $$@.tmp; \
	if cmp -s $$@.tmp $$@; then rm -f $$@.tmp; else mv $$@.tmp $$@; fi

$(BUILD)/obj/generated/$(1)/$(1)_all.o: $(BUILD)/obj/generated/$(1)/$(1)_all.c
	$(Q)$$(CC) $$(CFLAGS) $$(DEPFLAGS) -Iruntime -Igenerated/$(1) -c $$< -o $$@

$(BUILD)/lib/lib$(1).a: $$($(1)_GEN_OBJ) $(RT_LIB_OBJ)
	@mkdir -p $$(dir $$@)
	$(Q)rm -f $$@ && ar rcs $$@ $$^

$(BUILD)/obj/region/$(1)_main.o: runtime/region_main.c
	@mkdir -p $$(dir $$@)
	$(Q)$$(CC) $$(RT_CFLAGS) $$(DEPFLAGS) -DREGION=$(1) -c $$< -o $$@

$(BUILD)/bin/$(1): $(BUILD)/obj/region/$(1)_main.o $(BUILD)/lib/libregapp.a $(BUILD)/lib/lib$(1).a
	@mkdir -p $$(dir $$@)
	@echo "  LINK  $$@"
	$(Q)$$(CC) $$(LDFLAGS) $$^ $(RT_LIBS) -o $$@
endef
$(foreach r,$(REGIONS),$(eval $(call region_rules,$(r))))
.PHONY: FORCE
FORCE:

regions: $(REGIONS:%=$(BUILD)/bin/%) $(BUILD)/lib/libregrt.a

# ---- tests ----

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/lib/libregc.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) $(INCLUDES) $(CMOCKA_CFLAGS) $< $(BUILD)/lib/libregc.a $(CMOCKA_LIBS) -o $@ $(LDFLAGS)

# Runtime tests run on machines generated from tests/runtime/fixture/*.reg
# (region `fixture`), so they do not change when the real rules do.
FIXTURE_RULES := $(wildcard tests/runtime/fixture/*.reg)
RT_TESTS      := $(patsubst tests/runtime/%.c,$(BUILD)/tests/%,$(wildcard tests/runtime/test_*.c))

$(BUILD)/testgen.stamp: $(REGC) $(FIXTURE_RULES)
	$(Q)$(REGC) gen -o $(BUILD)/testgen $(FIXTURE_RULES) 2> $(BUILD)/testgen.log || { cat $(BUILD)/testgen.log; exit 1; }
	@touch $@

$(BUILD)/lib/libfixture.a: $(BUILD)/testgen.stamp runtime/machine.h
	@mkdir -p $(BUILD)/obj/testgen
	$(Q)for f in $(BUILD)/testgen/fixture/*.c; do \
		$(CC) $(CFLAGS) -Iruntime -I$(BUILD)/testgen/fixture -c $$f -o $(BUILD)/obj/testgen/$$(basename $$f .c).o || exit 1; \
	done
	$(Q)rm -f $@ && ar rcs $@ $(BUILD)/obj/testgen/*.o

$(BUILD)/tests/%: tests/runtime/%.c $(BUILD)/lib/libfixture.a $(BUILD)/lib/libregapp.a $(BUILD)/lib/libregrt.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(RT_CFLAGS) $(DEPFLAGS) $(CMOCKA_CFLAGS) -I$(BUILD)/testgen/fixture $< $(BUILD)/lib/libregapp.a \
		$(BUILD)/lib/libfixture.a $(BUILD)/lib/libregrt.a $(RT_LIBS) $(CMOCKA_LIBS) -o $@ $(LDFLAGS)

test:
	@sh scripts/deps.sh build test
	@$(MAKE) --no-print-directory build-all
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-asan
	@sh tests/summary.sh $(BUILD)/test-results $(BUILD)/asan/test-results

# One run of every suite against the binaries in $(BUILD); results land in
# $(BUILD)/test-results, one file per suite, summed up by tests/summary.sh.
test-unit: $(REGC) $(UNIT_TESTS) $(RT_TESTS)
	@sh tests/run.sh $(BUILD) plain

test-asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" regc-and-tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		sh tests/run.sh $(BUILD)/asan sanitizer

regc-and-tests: $(REGC) $(UNIT_TESTS) $(RT_TESTS) regions

# ---- coverage ----

# The suites of make test's plain pass on a build instrumented for gcov,
# then the figures per directory (scripts/coverage.sh). Never part of
# make test; the build lives in $(BUILD)/coverage.
coverage:
	@sh scripts/deps.sh build test coverage
	@$(MAKE) --no-print-directory build-all
	@find $(BUILD)/coverage -name '*.gcda' -delete 2>/dev/null || true
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/coverage OPT="-O0 -g" COV="--coverage" regc-and-tests
	@sh tests/run.sh $(BUILD)/coverage coverage > $(BUILD)/coverage/tests.log 2>&1; \
		tail -n 3 $(BUILD)/coverage/tests.log | grep -v '^$$' || true
	@sh scripts/coverage.sh $(BUILD)/coverage

# ---- fuzzing and benchmarks ----

FUZZ_SECONDS ?= 60

fuzz:
	@sh scripts/deps.sh build fuzz
	@$(MAKE) --no-print-directory regc
	@sh tests/fuzz/build.sh $(BUILD)
	@sh tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

bench:
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(BUILD)/lib/libregrt.a $(BUILD)/lib/libregapp.a
	@sh bench/run.sh $(BUILD)

# The same scripts at national scale: 15,000 rule files, a million stored cases.
bench-national:
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(BUILD)/lib/libregrt.a $(BUILD)/lib/libregapp.a
	@BENCH_PER_REGION=750 BENCH_STORE_CASES=1000000 sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)

# The header dependencies written by -MMD.
-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null)
