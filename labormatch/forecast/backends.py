"""Run one function over many series: all local cores through joblib, or a dask.distributed cluster.

Both backends call the same pure function on the same inputs and return results in input order, so
the numbers are identical whichever runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from labormatch.errors import LabormatchError

BACKENDS = ("joblib", "dask")
CONNECT_TIMEOUT_S = 20  # seconds to wait for a dask scheduler before giving up


def run_all(
    func: Callable,
    tasks: Sequence,
    backend: str = "joblib",
    n_jobs: int = -1,
    scheduler_address: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list:
    """``[func(*task) for task in tasks]`` in parallel; ``progress(k)`` is called as each batch of k finishes.

    joblib: ``n_jobs`` processes (-1 = all cores; 1 runs in this process). dask: connects to
    ``scheduler_address`` (e.g. ``tcp://host:8786``), or starts a LocalCluster on this machine when it is None.
    """
    check_options(backend, n_jobs, scheduler_address)
    if not tasks:
        return []
    tick = progress or (lambda k: None)
    if backend == "joblib":
        return list(_joblib(func, tasks, n_jobs, tick))
    return _dask(func, tasks, scheduler_address, tick)


def check_options(backend: str, n_jobs: int, scheduler_address: str | None = None) -> None:
    """Refuse an unknown backend, ``n_jobs`` 0 and a dask scheduler address dask cannot parse (e.g. without
    a port), so a caller can check them before any work starts."""
    if backend not in BACKENDS:
        raise LabormatchError(f"forecast backend {backend!r} is not one of {', '.join(BACKENDS)}")
    if n_jobs == 0:
        raise LabormatchError("n_jobs must be a number of processes (1, 2, ...) or negative (-1 = all cores), not 0")
    if backend == "dask" and scheduler_address is not None:
        try:
            from distributed.comm import get_address_host_port
        except ImportError:
            return  # _dask says the package is missing
        try:
            get_address_host_port(scheduler_address)
        except ValueError as exc:
            raise LabormatchError(
                f"cannot reach the dask scheduler at {scheduler_address}: {exc}; e.g. tcp://host:8786"
            ) from None


def _joblib(func, tasks, n_jobs, tick) -> Iterable:
    from joblib import Parallel, delayed

    if n_jobs == 1:
        for task in tasks:
            result = func(*task)
            tick(1)
            yield result
        return
    for result in Parallel(n_jobs=n_jobs, return_as="generator")(delayed(func)(*task) for task in tasks):
        tick(1)
        yield result


def _dask(func, tasks, scheduler_address, tick) -> list:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - distributed is a declared dependency
        raise LabormatchError("the dask backend needs the 'distributed' package") from exc
    cluster = None
    if scheduler_address is None:
        cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
        scheduler_address = cluster.scheduler_address
    try:
        with Client(scheduler_address, timeout=CONNECT_TIMEOUT_S) as client:
            futures = client.map(lambda task: func(*task), list(tasks), pure=False)
            for _ in as_completed(futures):
                tick(1)
            return client.gather(futures)
    except OSError as exc:
        raise LabormatchError(f"cannot reach the dask scheduler at {scheduler_address}: {exc}") from None
    finally:
        if cluster is not None:
            cluster.close()
