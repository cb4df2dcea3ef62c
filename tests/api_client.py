"""Call the JSON API with a bearer token and check every response against the OpenAPI document."""

import re

from jsonschema import Draft202012Validator

from ido.api.openapi import document

DOC = document()


def _operation(path: str, method: str) -> dict:
    bare = path.split("?")[0].removeprefix("/api/v1")
    for template, operations in DOC["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, bare) and method in operations:
            return operations[method]
    raise AssertionError(f"{method.upper()} {bare} is not in the OpenAPI document")


def check_against_openapi(path: str, method: str, response) -> None:
    """The status is documented for this operation and the body matches its schema."""
    documented = _operation(path, method)["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method.upper()} {path} answered undocumented {status}"
    content = documented[status].get("content")
    if content is None:
        assert response.data == b""
        return
    schema = {**content["application/json"]["schema"], "components": DOC["components"]}
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        response.get_json()
    )


class Api:
    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def call(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = self.client.open(path, method=method.upper(), headers=headers, **kwargs)
        check_against_openapi(path, method.lower(), response)
        return response

    def get(self, path, **kwargs):
        return self.call("get", path, **kwargs)

    def post(self, path, **kwargs):
        return self.call("post", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("delete", path, **kwargs)
