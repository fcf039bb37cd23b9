"""HTTP layer: FastAPI app, schemas, auth, routes, templates. The only place that speaks HTTP."""
