"""The health probe (Traffic Manager's): anonymous, and it never touches Cosmos DB."""

import azure.functions as func


def health(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(
        '{"status": "ok"}',
        status_code=200,
        headers={"Content-Type": "application/json"},
        mimetype="application/json",
    )
