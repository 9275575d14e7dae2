"""What the apps share: API base classes, fields, filters, pagination, schema hooks,
middleware, logging, cache, database and time helpers, task publishing."""
