# Makefile for wpgen.  `make` builds ./wpgen; `make asan` builds the
# sanitizer copy and the test programs under build/asan/; `make fuzz`
# builds the libFuzzer targets of fuzz/ under build/fuzz/ (clang).
# ./build.sh drives them; see README.md and fuzz/README.md.
# `make install PREFIX=/usr/local DESTDIR=` installs the program, its man
# page, bash completion, and the templates, catalogs and docs/format.md
# and templates.md under PREFIX/share/wpgen (found from the program's own
# path, so the tree can be moved); `make uninstall` removes those files.

# libgit2, libmicrohttpd and libxml2 are not linked into wpgen but
# opened when a command needs them (src/dynlib.h): only their headers are
# used here, and the sonames of libmicrohttpd and libxml2 are asked of
# the linker (libgit2's header says its own).  The test programs that
# read HTML with libxml2 themselves link it (XML_LIBS).
PKGS     = libcmark-gfm yaml-0.1
DL_PKGS  = libgit2 libmicrohttpd libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(DL_PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -ldl
XML_LIBS   := $(shell pkg-config --libs libxml-2.0)
soname = $(shell objdump -p "$$($(CC) -print-file-name=$(1))" \
	2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
MHD_SONAME := $(call soname,libmicrohttpd.so)
XML_SONAME := $(call soname,libxml2.so)

PREFIX  ?= /usr/local
DESTDIR ?=

CC      ?= cc
WARN     = -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
	     $(PKG_CFLAGS) $(MHD_SONAME:%=-DWP_MHD_SONAME='"%"') \
	     $(XML_SONAME:%=-DWP_XML_SONAME='"%"') -Isrc -MMD -MP
SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

# The library is src/*.c; the command line is src/cli/*.c (main.c and one
# file a command).
SRC      = $(sort $(wildcard src/*.c src/cli/*.c))
LIB_SRC  = $(filter-out src/cli/main.c,$(SRC))
TEST_SRC = $(sort $(wildcard tests/unit/*.c))
TEST_LIB = tests/harness.c

FUZZ_SRC = $(sort $(wildcard fuzz/*.c))

REL_OBJ  = $(SRC:src/%.c=build/release/%.o)
ASAN_OBJ = $(LIB_SRC:src/%.c=build/asan/%.o)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=build/asan/tests/%)
FUZZ_OBJ = $(LIB_SRC:src/%.c=build/fuzz/%.o)
FUZZ_BIN = $(FUZZ_SRC:fuzz/%.c=build/fuzz/fuzz-%)

# The fuzz targets: clang with libFuzzer, ASan and UBSan (any undefined
# behaviour stops the run).
FUZZ_CC  = clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   -fno-omit-frame-pointer

# The command that compiles each kind of object.  build/KIND/flags holds
# it, written again only when it changes (another CFLAGS, another
# compiler, a package's flags), and every object of the kind depends on
# it: objects made with other flags are made again, never linked with
# new ones.
REL_CC   = $(CC) $(CFLAGS) $(ALL_CFLAGS)
ASAN_CC  = $(CC) -O1 -g $(SAN) $(ALL_CFLAGS)
FUZZ_CC_ = $(FUZZ_CC) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	   $(ALL_CFLAGS)
same     = $(and $(findstring x$(1)x,x$(2)x),$(findstring x$(2)x,x$(1)x))
keep_flags = $(shell mkdir -p $(@D))$(if $(call same,$(1),$(file <$@)),,$(file >$@,$(1)))

all: wpgen

build/release/flags: FORCE
	@mkdir -p $(@D)
	$(call keep_flags,$(REL_CC))
	@:

build/asan/flags: FORCE
	@mkdir -p $(@D)
	$(call keep_flags,$(ASAN_CC))
	@:

build/fuzz/flags: FORCE
	@mkdir -p $(@D)
	$(call keep_flags,$(FUZZ_CC_))
	@:

wpgen: $(REL_OBJ)
	$(CC) $(CFLAGS) -o $@ $(REL_OBJ) $(PKG_LIBS) $(LDFLAGS)

build/release/%.o: src/%.c build/release/flags
	@mkdir -p $(@D)
	$(REL_CC) -c -o $@ $<

build/asan/%.o: src/%.c build/asan/flags
	@mkdir -p $(@D)
	$(ASAN_CC) -c -o $@ $<

build/asan/harness.o: tests/harness.c build/asan/flags
	@mkdir -p $(@D)
	$(ASAN_CC) -Itests -c -o $@ $<

build/asan/wpgen: $(ASAN_OBJ) build/asan/cli/main.o
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

build/asan/tests/%: tests/unit/%.c $(ASAN_OBJ) build/asan/harness.o
	@mkdir -p $(@D)
	$(ASAN_CC) -Itests -o $@ $< $(ASAN_OBJ) \
	    build/asan/harness.o $(PKG_LIBS) $(XML_LIBS)

# The XPath checker of the regression cases (tests/regress/run.sh).
build/asan/xpathcheck: tests/xpathcheck.c
	@mkdir -p $(@D)
	$(CC) -O1 -g $(ALL_CFLAGS) -o $@ $< $(PKG_LIBS) $(XML_LIBS)

asan: build/asan/wpgen $(TEST_BIN) build/asan/xpathcheck

build/fuzz/%.o: src/%.c build/fuzz/flags
	@mkdir -p $(@D)
	$(FUZZ_CC_) -c -o $@ $<

build/fuzz/fuzz-%: fuzz/%.c fuzz/fuzz.h $(FUZZ_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer $(ALL_CFLAGS) -Ifuzz \
	    -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

fuzz: $(FUZZ_BIN)

clean:
	rm -rf build wpgen

# ---- install ----

BINDIR   = $(DESTDIR)$(PREFIX)/bin
MANDIR   = $(DESTDIR)$(PREFIX)/share/man/man1
SHAREDIR = $(DESTDIR)$(PREFIX)/share/wpgen
COMPDIR  = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
# The data files, as paths under the repository (the authors' guides
# too: a new service.yaml points at docs/format.md).
DATA     = $(shell find templates -type f | LC_ALL=C sort) \
	   $(wildcard content/catalogs/*.xml) docs/format.md docs/templates.md

# BIN: the program to install (the tests install build/asan/wpgen).
BIN      = wpgen

install: $(BIN)
	install -d $(BINDIR) $(MANDIR) $(COMPDIR)
	install -m 755 $(BIN) $(BINDIR)/wpgen
	install -m 644 docs/wpgen.1 $(MANDIR)/wpgen.1
	install -m 644 completion/wpgen.bash $(COMPDIR)/wpgen
	@set -e; for f in $(DATA); do \
		to=$(SHAREDIR)/$${f#content/}; \
		install -d "$$(dirname "$$to")"; \
		install -m 644 "$$f" "$$to"; \
	done

# Removes only what install wrote, then the directories left empty.
uninstall:
	rm -f $(BINDIR)/wpgen $(MANDIR)/wpgen.1 $(COMPDIR)/wpgen
	@for f in $(DATA); do rm -f "$(SHAREDIR)/$${f#content/}"; done
	@find $(SHAREDIR) -depth -type d -empty -delete 2>/dev/null; true

FORCE:

.PHONY: all asan fuzz clean install uninstall FORCE
-include $(REL_OBJ:.o=.d) $(ASAN_OBJ:.o=.d) build/asan/cli/main.d \
	$(FUZZ_OBJ:.o=.d)
