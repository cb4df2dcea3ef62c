# Copy to instance/config.py (make run writes one with a random SECRET_KEY) and adjust.
# Every setting can also come from the environment with the FLASK_ prefix, e.g.
# FLASK_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://ido:secret@db.example/ido

SECRET_KEY = "replace me with: python3 -c 'import secrets; print(secrets.token_hex(32))'"

# Default: SQLite in this folder. For many libraries, PostgreSQL:
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://ido:secret@localhost/ido"

# Behind HTTPS (always, when the app is on the internet): send cookies over HTTPS only.
# SESSION_COOKIE_SECURE = True
# REMEMBER_COOKIE_SECURE = True

# Minutes in which a volunteer may still change or delete their own entry.
# IDO_EDIT_MINUTES = 15
