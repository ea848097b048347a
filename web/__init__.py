"""The Dinsos dashboard: Starlette pages served by the bot process itself, reading through storage/."""
