"""labormatch: from US sector labor-shortage forecasts to H-2A/H-2B demand, caps and circular quotas."""

__version__ = "0.1.0"
