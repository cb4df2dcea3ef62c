"""The desk script's modules load under their content-hashed addresses through an import map,
which the page's Content-Security-Policy allows by its hash alone: still no inline script."""

import base64
import hashlib
import json
import os
import re

import pytest


@pytest.mark.once  # a page's markup and headers
def test_the_desk_loads_its_modules_through_an_import_map_allowed_by_its_hash(auth, client, app):
    auth.login("vol@a.example")
    response = client.get("/desk/")
    page = response.get_data(as_text=True)
    [text] = re.findall(r'<script type="importmap">(.*?)</script>', page)
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    csp = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' 'sha256-{digest}';" in csp and "unsafe-inline" not in csp
    modules = sorted(os.listdir(os.path.join(app.static_folder, "js", "desk")))
    imports = json.loads(text)["imports"]
    assert sorted(name.rsplit("/", 1)[1] for name in imports) == modules
    for name, url in imports.items():
        assert re.fullmatch(re.escape(name) + r"\?v=[0-9a-f]{12}", url)
        assert f'href="{url}"' in page or f'<script type="module" src="{url}">' in page
    # every other script is a file of the app's own
    assert re.findall(r"<script(?! src=| type=\"module\" src=| type=\"importmap\")", page) == []
    other = client.get("/desk/mine")
    assert "sha256-" not in other.headers["Content-Security-Policy"]  # no map, no hash
