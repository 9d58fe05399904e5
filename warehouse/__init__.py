"""The DuckDB warehouse: schema, migrations, bulk loads and views. The only place with SQL."""

from newsetl.warehouse.db import Warehouse, WarehouseError, WarehouseLocked

__all__ = ["Warehouse", "WarehouseError", "WarehouseLocked"]
