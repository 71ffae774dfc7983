"""The one hook by which collection tells the apps above it that a record's effect changed.

Collection is the producer of credit records and knows nothing of who consumes them. When a record starts or
stops counting, it sends one of these signals; dynamic management connects its receivers in
`DynamicConfig.ready()` (ciqcredit/dynamic/receivers.py). Signals are sent synchronously with `send()`, inside
the transaction that changed the record: a receiver's writes commit or roll back with it, and a receiver's
error aborts the change.

- `record_became_effective(record, actor)`: the record now counts (confirmation, e-CIQ arrival, correction,
  reinstatement).
- `record_withdrawn(record, actor, reason)`: an effective record stopped counting (revoked, corrected,
  superseded).
- `records_became_effective(records, actor, on)`: a bulk load changed the effective records of many
  enterprises; `records` maps each enterprise id to one of its changed records, `on` is the load's day.
"""

from django.dispatch import Signal

record_became_effective = Signal()
record_withdrawn = Signal()
records_became_effective = Signal()
