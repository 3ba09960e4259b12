"""API routers, one module per resource; registered in ``services.api.app.register_routers``."""
