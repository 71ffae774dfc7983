"""The hook by which the registry tells the apps above it that enterprises were registered.

`enterprises_registered(ids_by_code, actor)`: new enterprises were written (an import, a file, the API's single
upsert: every creation goes through the one registry writer), `ids_by_code` maps each new credit code to its
row id. Sent with `send()` inside the transaction that created them, so a receiver's writes commit or roll
back with the registration. The partner lists connect here to match entries whose credit code was not yet
known (ciqcredit/partners/receivers.py).
"""

from django.dispatch import Signal

enterprises_registered = Signal()
