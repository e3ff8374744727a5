"""Timer functions: send the reminders that are due, and clean up old ones."""

import logging

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("send-due-reminders")
@bp.timer_trigger(arg_name="timer", schedule="0 0 8 * * Mon-Fri")
def send_due_reminders(timer: func.TimerRequest) -> None:
    if timer.past_due:
        logging.warning("send-due-reminders is running late")
    logging.info("send-due-reminders: no reminders are due")


@bp.function_name("cleanup")
@bp.timer_trigger(arg_name="timer", schedule="0 30 2 * * *")
def cleanup(timer: func.TimerRequest) -> None:
    logging.info("cleanup: nothing to clean up")
