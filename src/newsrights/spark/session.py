"""Spark sessions for the newsrights jobs.

``local_session`` is what tests, benchmarks and a laptop use (Spark's local
mode); on a cluster ``spark-submit`` provides the session and
:func:`get_session` picks it up.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _require_pyspark() -> Any:
    try:
        import pyspark
    except ModuleNotFoundError as exc:  # pragma: no cover - message path
        from newsrights.errors import ConfigError

        raise ConfigError("the Spark job needs pyspark: pip install 'newsrights[spark]' (and Java 17)") from exc
    return pyspark


def local_session(master: str = "local[2]", *, shuffle_partitions: int = 8, app_name: str = "newsrights") -> Any:
    """A local-mode session whose Python workers run this interpreter (so they see our package)."""
    _require_pyspark()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", os.environ.get("NEWSRIGHTS_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.adaptive.skewJoin.enabled", "true")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
    )
    return builder.getOrCreate()


def get_session(master: str | None = None, **kw: Any) -> Any:
    """The active session (spark-submit), else a local one."""
    _require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return local_session(master or "local[2]", **kw)
