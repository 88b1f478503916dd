"""Bulk import of deposits from CSV or XLSX: read the file, check every row, and write all rows or none.

`columns` names the file's columns, `reading` turns the bytes into rows, `cells` tells what a cell's text means,
`checking` checks every row against the registry, and `writing` holds the two services the web page and
`manage.py import_credits` go through: `credit_import_analyse` and `credit_import_commit`.
"""
