"""Collecting case events (办件数据采集): intake, checks, storage, each case's projection."""
