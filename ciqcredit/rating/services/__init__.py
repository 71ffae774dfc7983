"""Every state change of rating, one module per use case (each function `<entity>_<action>(*, ..., actor)`,
audited in its transaction). A new state change goes into the module of its use case, or a new one here:

- `evaluation`: periodic evaluation runs (`evaluation_run`) and their figures
- `confirmation`: bureaus confirm and adjust results, windows close (`results_confirm`, `result_adjust`)
- `grades`: grade history (`grade_change_apply`) and the grade in force on a date (`grade_on`)
- `result_decisions`: the set-based twin of `grade_change_apply` for decisions on many results
- `aa`: AA applications and batches
- `keyfiles`: key enterprises, their rules and files
- `activity`: the e-CIQ monthly activity feed

Nothing is re-exported here: import from the module, so reading a caller tells where the change lives.
"""
