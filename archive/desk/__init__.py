"""The journalist's desk: one Arabic page over the archive (search, attention, export).

Datasette-free: params.py reads and checks a request's query string, sql.py builds the
index-backed SQL, dates.py writes dates in Arabic, export.py formats export rows. The Datasette
route is archive/datasette/plugins/arshif_desk.py.
"""
