# Shortcuts; the two README commands are bin/run and bin/test.
.PHONY: run test setup bench bench-pg loadtest lock messages

run:
	bin/run

test:
	bin/test

setup:
	bin/setup --demo

# Regional-scale benchmark on its own database (var/bench.sqlite3, or <DATABASE_URL name>_bench).
bench: setup
	DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python manage.py bench $(BENCH_ARGS)

bench-pg: setup
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bareme DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python manage.py bench $(BENCH_ARGS)

# Load test: production settings under gunicorn (2 workers) on PostgreSQL bareme_load (recreated).
loadtest: setup
	DJANGO_SETTINGS_MODULE=config.settings.load .venv/bin/python manage.py loadtest $(LOADTEST_ARGS)

lock:
	bin/lock

messages:
	.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=tests --ignore=var --no-location
