# Developer and CI entry points. Every target is a thin wrapper over a script in scripts/.
#   make run                  the suite on this machine (private RabbitMQ in .run/broker)
#   make test [ARGS=...]      lint, private broker, build, swift test ARGS
#   make test-faults          the fault suite: the five services under kills and outages, counted
#                             (writes the table in docs/reliability.md)
#   make bench [N=...]        the suite end to end beside the broker's ceiling: throughput, latency, memory;
#                             writes Benchmarks/results/latest.json (scripts/bench.sh lists its settings)
#   make bench-amqp           broker ceiling through the AMQP module beside plain rabbitmq-c
#   make bench-senco          the SENCO sweep over 100,000 spells, time per day swept
#   make lint / make format   check / rewrite formatting with swift format
#   make broker-start / broker-stop   the .run/broker node alone (management UI on loopback)
#   make clean                stop that node, remove .run and .build
SHELL := /bin/bash
ARGS ?=
BROKER_DIR := .run/broker

.PHONY: run test test-faults bench bench-amqp bench-senco lint format broker-start broker-stop broker-status clean

run:
	scripts/run.sh

test:
	scripts/test.sh $(ARGS)

test-faults:
	scripts/test-faults.sh

bench:
	scripts/bench.sh

bench-amqp:
	scripts/bench-amqp.sh

bench-senco:
	scripts/bench-senco.sh

lint:
	scripts/lint.sh

format:
	scripts/lint.sh --fix

broker-start:
	scripts/ensure-deps.sh
	NPQ_BROKER_MANAGEMENT=1 NPQ_BROKER_PREFER_STANDARD_PORTS=1 scripts/broker.sh start $(BROKER_DIR)
	@scripts/broker.sh status $(BROKER_DIR)
	@echo "environment for this broker: eval \"\$$(scripts/broker.sh env $(BROKER_DIR))\""

broker-stop:
	scripts/broker.sh stop $(BROKER_DIR)

broker-status:
	scripts/broker.sh status $(BROKER_DIR)

clean: broker-stop
	rm -rf .run .build
