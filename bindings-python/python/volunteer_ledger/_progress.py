"""A progress callback that draws a tqdm bar, for the long calls of a ``Ledger``."""

from __future__ import annotations

from typing import Any, Callable, Optional


def tqdm_progress(
    desc: Optional[str] = None, unit: str = "it", **options: Any
) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback drawing a tqdm bar (``tqdm.auto``; tqdm must be
    installed). The bar is made at the call's first report, with its total, and closed at its
    end, so one callback serves one call after another::

        ledger.upload("admin", "june.xlsx", progress=vl.tqdm_progress("June", unit="row"))

    ``options`` go to ``tqdm`` as they are (``file``, ``leave``, ``disable`` …).
    """
    from tqdm.auto import tqdm

    bar: Any = None

    def report(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=desc, unit=unit, **options)
        if bar.total != total:
            bar.total = total
            bar.refresh()
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
            bar = None

    return report
