"""Interconnection (互联互通): member systems, signed envelopes, inbound messages and receipts."""
