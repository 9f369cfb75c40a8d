"""egov: a provincial e-government platform (省级电子政务平台)."""
