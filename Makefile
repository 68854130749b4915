# Kiln: `make run` and `make test` work on a fresh Debian 12 machine.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
SANITIZE ?= OFF
JOBS ?= $(shell nproc)
DATA_DIR ?= $(CURDIR)/data
HTTP_ADDR ?= 127.0.0.1:4040
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 20

LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache,)
LINKER := $(if $(shell command -v mold 2>/dev/null),-DKILN_LINKER=mold,)

.PHONY: bench-fleet all deps configure build test run bench fuzz asan clean plugin

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DKILN_SANITIZE=$(SANITIZE) $(LAUNCHER) $(LINKER) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: deps
	@$(MAKE) --no-print-directory build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

# The installable Grafana plugin: plugin-backend/dist/ (`build` makes one on the
# host's libraries) and its zip $(BUILD_DIR)/kiln-profiling-datasource-<version>.zip,
# here with its shared libraries bundled so it runs on any x86-64 Linux Grafana.
plugin: deps
	@$(MAKE) --no-print-directory build
	scripts/build-grafana-plugin $(BUILD_DIR) --zip --bundle-libs

# The daemon on ./data at 127.0.0.1:4040 (Ctrl-C stops it and flushes).
run: deps
	@$(MAKE) --no-print-directory build
	@echo "kiln server on http://$(HTTP_ADDR), data in $(DATA_DIR); Ctrl-C stops it."
	@echo "  send a profile:   curl --data-binary 'main;work;hot 100' 'http://$(HTTP_ADDR)/ingest?name=demo'"
	@echo "                    (or a pprof: curl --data-binary @cpu.pb.gz 'http://$(HTTP_ADDR)/ingest?name=demo&format=pprof')"
	@echo "  see it:           curl -H 'Content-Type: application/json' -d '{}' http://$(HTTP_ADDR)/querier.v1.QuerierService/ProfileTypes"
	@echo "  metrics, health:  http://$(HTTP_ADDR)/metrics  http://$(HTTP_ADDR)/ready   every endpoint: docs/api.md"
	$(BUILD_DIR)/bin/kiln server --data-dir $(DATA_DIR) --http-addr $(HTTP_ADDR)

bench: deps
	@$(MAKE) --no-print-directory build
	scripts/run-benchmarks $(BUILD_DIR)

# The fleet replay (issue 3's storage and query figures); several minutes.
# Pass flags with FLEET_FLAGS="--services 4 --hours 0.5".
bench-fleet: deps
	@$(MAKE) --no-print-directory build
	$(BUILD_DIR)/bench/kiln_fleet $(FLEET_FLAGS)

# libFuzzer targets need clang; they live in their own build tree.
fuzz: deps
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DKILN_FUZZ=ON $(LAUNCHER)
	cmake --build build-fuzz -j $(JOBS) --target fuzzers
	scripts/run-fuzzers build-fuzz $(FUZZ_SECONDS)

# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps
	@$(MAKE) --no-print-directory BUILD_DIR=build-asan SANITIZE=ON BUILD_TYPE=Debug test

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz
