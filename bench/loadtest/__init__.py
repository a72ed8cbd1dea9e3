"""A load test with Locust: staff of mixed roles and victims on the portal, against the production
settings served by gunicorn on a throwaway PostgreSQL server, all on loopback.

Run: `make loadtest` or `python -m bench.loadtest [--cases 250000] [--users 50] [--victims 20] [--minutes 5]`.
`world` builds the force and the accounts, `locustfile` is what each simulated person does, `run`
starts everything in order and prints each page's figures.
"""
