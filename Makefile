# The one door to the project. Every target bootstraps .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RECIPE ?= train/default.toml
DATA   ?=
MODEL  ?= model
FILES  ?=
OUT    ?=
ARGS   ?=

.PHONY: install train evaluate test score bench lint corpus-stats audit clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

train: $(STAMP)
	$(BIN)/diplostance train --recipe $(RECIPE) --out $(MODEL) $(if $(DATA),--data $(DATA))

evaluate: $(STAMP)
	$(BIN)/diplostance evaluate --model $(MODEL) $(if $(DATA),--data $(DATA))

# The tests check the real trained model too: build it when it is missing or stale.
$(MODEL)/metadata.json: $(STAMP) $(wildcard data/corpus/*.jsonl) $(RECIPE)
	$(BIN)/diplostance train --recipe $(RECIPE) --out $(MODEL)

test: $(STAMP) $(MODEL)/metadata.json
	$(BIN)/python -m pytest $(ARGS)

score: $(STAMP)
	@test -n "$(FILES)" || { echo "usage: make score FILES='articles/*.txt' [OUT=tags.jsonl]"; exit 2; }
	$(BIN)/diplostance score --model $(MODEL) $(if $(OUT),-o $(OUT)) $(FILES)

bench: $(STAMP)
	$(BIN)/python bench/bench_scoring.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

corpus-stats: $(STAMP)
	$(BIN)/diplostance corpus-stats --data $(or $(DATA),data)

audit: $(STAMP)
	$(BIN)/diplostance audit --data $(or $(DATA),data)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find model -mindepth 1 ! -name README.md -delete
