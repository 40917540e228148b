# Shortcuts; each one is a script in scripts/.
.PHONY: run test bench bench-quick screenshots fuzz

run:
	scripts/run.sh

test:
	scripts/test.sh

bench:
	scripts/bench.sh

bench-quick:
	scripts/bench.sh --quick --levels 100,500

screenshots:
	scripts/screenshots.sh

fuzz:
	scripts/fuzz.sh
