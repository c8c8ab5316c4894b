"""Demo data, apart from production code: the demo store, its showcase orders and the `demo-data` command."""
