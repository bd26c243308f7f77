"""Show the reader the library code a notebook depends on (no hidden magic)."""
import inspect


def show(obj):
    """Display the source of a function, class or method, syntax-highlighted in a notebook."""
    try:
        src = inspect.getsource(obj)
    except (TypeError, OSError) as e:
        raise TypeError(f"cannot show the source of {obj!r}: {e}") from None
    where = f"# {inspect.getmodule(obj).__name__}.{getattr(obj, '__qualname__', '')}\n"
    try:
        from IPython import get_ipython
        from IPython.display import Code, display
        if get_ipython() is not None:
            display(Code(where + src, language="python"))
            return
    except ImportError:
        pass
    print(where + src)
