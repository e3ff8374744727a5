"""HTTP function: preview the reminders of a project."""

import json
import logging

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("preview")
@bp.route(
    route="reminders/preview/{projectId}", methods=["GET"], auth_level=func.AuthLevel.FUNCTION
)
def preview(req: func.HttpRequest) -> func.HttpResponse:
    project_id = req.route_params["projectId"]
    logging.info("preview for project %s", project_id)
    return func.HttpResponse(
        json.dumps({"projectId": project_id, "reminders": []}),
        status_code=200,
        mimetype="application/json",
    )
