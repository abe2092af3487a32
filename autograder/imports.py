"""Import a package's submodules without running the package's ``__init__`` first."""

import importlib.util
import sys


def lazy_package(name: str) -> None:
    """Put a stand-in for package ``name`` in ``sys.modules`` so that ``import name.sub``
    loads only ``sub``; the package's own ``__init__`` runs, in place, the first time anything
    asks the package for a name it does not have yet (PEP 562). Otter's ``__init__`` imports
    its exporters and runner (nbconvert, pandas), copydetect's its report writer (with
    matplotlib.pyplot): the grader needs neither, and each costs a third of a second or more
    on every ``mml grade`` that loads them."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return  # not a package on disk: plain imports will say what is wrong
    package = importlib.util.module_from_spec(spec)

    def first_use(attribute: str):  # the module's __getattr__
        # ``from name import sub`` asks the package for ``sub`` before importing it: a
        # submodule is imported as such, and the package stays a stand-in.
        sub = f"{name}.{attribute}"
        if not attribute.startswith("__") and importlib.util.find_spec(sub) is not None:
            return importlib.import_module(sub)
        del package.__getattr__  # once: from here on the package is what its __init__ makes
        spec.loader.exec_module(package)
        try:
            return package.__dict__[attribute]
        except KeyError:
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}") from None

    package.__getattr__ = first_use
    sys.modules[name] = package
    parent, _, child = name.rpartition(".")
    if parent:  # as an import would: ``import a.b`` then ``a.b`` finds it
        setattr(sys.modules[parent], child, package)


MATPLOTLIB_DOCS = "Properties: see https://matplotlib.org/stable/api/artist_api.html"


def brief_matplotlib_docs() -> None:
    """Before matplotlib's artists are defined: each Artist subclass writes, at import, a
    docstring for its ``set`` listing every property it has (``matplotlib.artist.kwdoc``),
    a fifth of what importing pyplot costs. A grader's processes never show a docstring, and
    that import is on the path of every run (the zygotes' warm-up, the report's). Only
    docstrings change: ``set`` and its signature work as before. Nothing is done when
    matplotlib is missing or already imported, or its ``kwdoc`` is not there."""
    if "matplotlib.artist" in sys.modules:
        return
    try:
        import matplotlib.artist as artist
    except ImportError:
        return
    if callable(getattr(artist, "kwdoc", None)):
        artist.kwdoc = lambda _artist: MATPLOTLIB_DOCS
