"""Create the database named in DATABASE_URL if it does not exist yet."""

import os
import sys

import dj_database_url
import psycopg
from psycopg import sql


def main() -> int:
    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    params = {
        "dbname": "postgres",
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
    }
    params = {k: v for k, v in params.items() if v}
    name = cfg["NAME"]
    with psycopg.connect(**params, autocommit=True) as conn:
        if "--fresh" in sys.argv:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(name)))
            print(f"created database {name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
