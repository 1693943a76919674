"""gunicorn's settings for Quartiere. gunicorn reads ``gunicorn.conf.py`` from its working
directory (the checkout), so ``gunicorn quartiere.wsgi --bind ...`` takes these without
naming the file; an option given on the command line wins over the same setting here.

Threaded workers (``gthread``): each worker's main thread keeps telling the master it is
alive while its threads serve the requests, so ``timeout`` no longer cuts a long response.
A sync worker is killed ``timeout`` seconds (30 by default) into any request: the export of
years of reports, streamed for minutes, reached the office cut in the middle of a row
(docs/operations.md, «Long downloads»). ``timeout`` still restarts a worker that stops
answering the master altogether.

Each thread holds its own database connection: workers × threads connections at most.
"""

worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 30
