"""Stub of dbt's `adapter` for sqlfluff's jinja templater: a dispatched macro renders as a function call,
which is all the linter needs (the real bodies are compiled and parsed as BigQuery by `make bq-compile`)."""


def dispatch(macro_name, macro_namespace=None):
    def render(*args, **kwargs):
        parts = [str(a) for a in args] + [str(v) for v in kwargs.values()]
        return f"{macro_name}({', '.join(parts)})"

    return render
