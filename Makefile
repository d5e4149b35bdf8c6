# Top-level wrapper around CMake/CTest. The two commands a newcomer types:
#   make demo    build, create demo.db from ../shared/data, serve it on LISTEN
#   make check   build with ASan+UBSan and run every test
# `make` alone builds the release binary at build/khum.
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
SHARED  ?= $(or $(KHUM_SHARED),$(CURDIR)/../shared)
DB      ?= demo.db
LISTEN  ?= 127.0.0.1:8080

.PHONY: all deps build check demo bench fuzz clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build -j $(JOBS)

# The sanitizer tree is built with clang, which also builds the libFuzzer
# targets that `make check` runs briefly.
build-asan/CMakeCache.txt:
	@CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKHUM_SANITIZE=ON \
	  -DKHUM_FUZZ=ON >/dev/null

# The tests that keep data also run against a throwaway PostgreSQL server on
# loopback (scripts/pg-start), unless KHUM_TEST_PG names one already. The
# release build (gcc -O2, what `make demo` runs) is built first: its warnings
# are not clang's, and -Werror makes each of them a failure here, not in a demo.
check: deps build build-asan/CMakeCache.txt
	@cmake --build build-asan -j $(JOBS)
	@pg=$${KHUM_TEST_PG:-$$(scripts/pg-start)} && cd build-asan && \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  KHUM_TEST_PG=$$pg KHUM_SHARED=$(SHARED) ctest --output-on-failure -j $(JOBS)

demo: build
	@KHUM_SHARED=$(SHARED) build/khum demo --db $(DB)
	@echo "khum: the API is at http://$(LISTEN)/api/v1/ (docs/server.md); Ctrl-C stops"
	@build/khum serve --db $(DB) --listen $(LISTEN)

bench: build
	@scripts/install-deps
	@for b in bench/*/run; do echo "== $$b"; KHUM_SHARED=$(SHARED) $$b || exit 1; done

fuzz:
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DKHUM_SANITIZE=ON -DKHUM_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@fuzz/run build-fuzz $${FUZZ_SECONDS:-60}

clean:
	rm -rf build build-asan build-fuzz
