"""Pages and API endpoints (页面与接口): HTTP in and out, no business logic."""
