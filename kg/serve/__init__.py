"""``kg serve``: the explorer and the SPARQL endpoint, one ASGI application on one port.

- :mod:`kg.serve.search` — the explorer's index (``OUTDIR/explorer.sqlite``), built at the end of
  ``kg build``: nodes and edges keyed for one-node lookups, and an FTS5 table for search;
- :mod:`kg.serve.nodes` — what a node page shows, read from that index one node at a time;
- :mod:`kg.serve.sparql` — the SPARQL 1.1 Protocol over a bounded pool of query worker processes
  (:mod:`kg.serve.worker`), each holding the read-only Oxigraph store;
- :mod:`kg.serve.app` — the Starlette routes; :mod:`kg.serve.server` — uvicorn, signals, the port.

This package module stays import-light: query workers import it too.
"""
